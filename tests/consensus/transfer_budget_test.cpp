// Regression tests for issue 12 items 4 and 7 (state transfer and the pool): a BLOCKS reply
// never exceeds the message budget (the requester asks for the rest), a FETCH cannot make a
// replica read and send blocks without bound, and the pending pool is bounded in bytes.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

std::size_t replies_to(TestCluster& c, ReplicaId to, const DecodeLimits& limits) {
  std::size_t n = 0;
  for (const auto& w : c.network()) {
    if (w.to != to) continue;
    auto m = decode_message(*w.bytes, limits);
    if (m.ok() && std::holds_alternative<BlocksReply>(m->body)) ++n;
  }
  return n;
}

// Maximum-size (1 MiB) blocks: a replica that missed 24 of them catches up although they do
// not fit one message; no message on the network exceeds max_message_bytes.
TEST(TransferBudget, MaximumSizeBlocksArriveInChunksWithinTheMessageBudget) {
  ConsensusConfig cfg = testing::small_cluster_config(16);
  cfg.max_fetch_blocks = 32;
  cfg.max_message_bytes = 16u << 20;
  TestCluster c(cfg);
  c.crash(3);
  std::uint64_t next_tx = 0;
  for (int block = 0; block < 24; ++block) {
    for (int i = 0; i < 16; ++i) c.submit(testing::make_tx_of_size(next_tx++, testing::kSixteenthOfMaxBatchBytes));
    c.run();
  }
  ASSERT_GE(c.replica(0).last_executed(), 24u);
  c.start(3);
  std::size_t largest = 0;
  c.run([&](const testing::Wire& w) {
    largest = std::max(largest, w.bytes->size());
    return false;
  });
  EXPECT_LE(largest, cfg.max_message_bytes);
  EXPECT_GT(largest, 8u << 20);  // the chunks were large, not one block each
  EXPECT_EQ(c.replica(3).last_executed(), c.replica(0).last_executed());
  EXPECT_EQ(dropped(c.replica(3), DropReason::kMalformed), 0u);
}

// The amplification: 24-byte FETCHes replayed by one peer. Each costs the responder
// reading and signing blocks, so a peer is served at most its byte allowance per second.
TEST(TransferBudget, FetchFloodIsServedOnlyWithinThePeerAllowance) {
  ConsensusConfig cfg = testing::small_cluster_config(16);
  cfg.fetch_serve_burst_bytes_per_peer = 64 * 1024;
  cfg.fetch_serve_bytes_per_s_per_peer = 64 * 1024;
  TestCluster c(cfg);
  for (std::uint64_t i = 0; i < 8 * 16; ++i) c.submit(make_tx(i));
  c.run();
  ASSERT_GE(c.replica(1).last_executed(), 8u);
  c.network().clear();
  const Bytes fetch = signed_wire(c, 3, Fetch{1, 0});
  for (int i = 0; i < 100; ++i) deliver(c, 1, fetch);
  const std::size_t served = replies_to(c, 3, decode_limits(cfg));
  EXPECT_GE(served, 1u);
  EXPECT_LE(served, 2u);  // 64 KiB allowance, each reply charged >= 8 blocks x 4 KiB
  EXPECT_GE(dropped(c.replica(1), DropReason::kRateLimited), 98u);
  c.network().clear();
  c.advance_ms(1000);  // the allowance refills
  deliver(c, 1, fetch);
  EXPECT_EQ(replies_to(c, 3, decode_limits(cfg)), 1u);
}

// mempool_max_bytes: the pending pool is bounded in bytes as well as in count.
TEST(TransferBudget, PendingPoolIsBoundedInBytes) {
  ConsensusConfig cfg = testing::small_cluster_config(16);
  cfg.max_pending_bytes = 3000;
  cfg.max_tx_bytes = 2000;
  TestCluster c(cfg);
  c.run();
  for (std::uint64_t i = 0; i < 4; ++i) {
    c.handle(1, ClientTransaction{testing::make_tx_of_size(i, 1000)});  // replica 1 is a backup: they stay pending
  }
  EXPECT_EQ(c.replica(1).pending_txs(), 3u);
  EXPECT_EQ(c.replica(1).stats().client_txs_rejected, 1u);
}

}  // namespace
}  // namespace hc::consensus
