// Regression tests for issue 12 item 4 (view change within the message budget): VIEW-CHANGE
// and NEW-VIEW carry digests, not blocks, and a replica that lacks a block the new view
// re-proposes fetches it from a replica that proved it prepared, before installing the view.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

constexpr std::size_t kBlocks = 8;  // the whole window

ConsensusConfig large_block_config() {
  ConsensusConfig cfg = testing::small_cluster_config(16);
  cfg.max_inflight_blocks = kBlocks;
  cfg.max_message_bytes = 16u << 20;
  return cfg;
}


// The sequence number of a PRE-PREPARE, PREPARE or COMMIT (view:u64 | seq:u64 after the
// 18-byte envelope header).
SeqNumber vote_seq(const Wire& w) {
  SeqNumber s = 0;
  for (std::size_t i = 26; i < 34; ++i) s = (s << 8) | (*w.bytes)[i];
  return s;
}

// What the transport does with a frame over its limit: it never arrives.
bool over_frame_limit(const TestCluster& c, const Wire& w) {
  return w.bytes->size() > c.config().max_message_bytes;
}

// kBlocks maximum-size (1 MiB) blocks: every replica (but replica 3 if skip_replica_3, which
// sees no PRE-PREPARE) executes the first kBlocks - 1 and prepares the last, whose COMMITs are
// lost; every CHECKPOINT is lost too, so all of them stay above the stable checkpoint and go
// into each VIEW-CHANGE.
void prepare_large_blocks(TestCluster& c, bool skip_replica_3) {
  std::uint64_t next_tx = 0;
  for (std::size_t block = 0; block < kBlocks * 16; ++block) {
    c.submit(testing::make_tx_of_size(next_tx++, testing::kSixteenthOfMaxBatchBytes));
  }
  c.run([&](const Wire& w) {
    if (type_of(w) == MsgType::kCheckpoint) return true;
    if (type_of(w) == MsgType::kCommit && vote_seq(w) == kBlocks) return true;
    return skip_replica_3 && w.to == 3 && type_of(w) == MsgType::kPrePrepare;
  });
}

// The backups suspect the silent primary (request timer: catch up first, then suspect) and
// the cluster runs to quiescence with the transport's frame limit (and `lose`); returns the
// largest frame.
template <typename Lose>
std::size_t change_view(TestCluster& c, Lose lose) {
  std::size_t largest = 0;
  const auto transport = [&](const Wire& w) {
    largest = std::max(largest, w.bytes->size());
    return over_frame_limit(c, w) || lose(w);
  };
  for (int round = 0; round < 3; ++round) {
    c.advance_ms(c.config().request_timeout_ms + 1);
    for (ReplicaId r = 1; r < 4; ++r) c.handle(r, TimerFired{TimerKind::kRequest});
    c.run(transport);
  }
  // A replica still waiting for NEW-VIEW or a block retries on its timers.
  for (int round = 0; round < 3; ++round) {
    c.advance_ms(c.config().fetch_retry_ms + 1);
    for (ReplicaId r = 0; r < 4; ++r) {
      if (c.replica(r).in_view_change()) c.handle(r, TimerFired{TimerKind::kViewChange});
      c.handle(r, TimerFired{TimerKind::kFetch});
    }
    c.run(transport);
  }
  // The new view works: a new transaction commits everywhere.
  c.submit(make_tx(1u << 20));
  c.run(transport);
  return largest;
}
std::size_t change_view(TestCluster& c) {
  return change_view(c, [](const Wire&) { return false; });
}

void expect_all_in_view_one_with_the_same_state(TestCluster& c) {
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).view(), 1u) << "replica " << r;
    EXPECT_FALSE(c.replica(r).in_view_change()) << "replica " << r;
    EXPECT_EQ(c.replica(r).last_executed(), kBlocks + 1) << "replica " << r;
    EXPECT_EQ(c.app(r).app_hash(), c.app(0).app_hash()) << "replica " << r;
    EXPECT_EQ(c.replica(r).stats().messages_over_budget, 0u) << "replica " << r;
  }
}

TEST(ViewChangeBudget, RegressionViewChangeWithManyMaximumSizePreparedBlocksCompletes) {
  TestCluster c(large_block_config());
  prepare_large_blocks(c, /*skip_replica_3=*/false);
  for (ReplicaId r = 0; r < 4; ++r) ASSERT_EQ(c.replica(r).last_executed(), kBlocks - 1);
  const std::size_t largest = change_view(c);
  EXPECT_LE(largest, c.config().max_message_bytes);
  expect_all_in_view_one_with_the_same_state(c);
}

// Replica 3 never saw the PRE-PREPAREs: it catches up on the executed blocks by state
// transfer, and the NEW-VIEW names the prepared one by digest only, so it fetches that block
// from a replica whose VIEW-CHANGE proved it prepared, checks it against the digest, and
// executes it like the others.
TEST(ViewChangeBudget, ReplicaMissingAPreparedBlockFetchesItBeforeInstallingTheView) {
  TestCluster c(large_block_config());
  prepare_large_blocks(c, /*skip_replica_3=*/true);
  const std::size_t largest = change_view(c);
  EXPECT_LE(largest, c.config().max_message_bytes);
  expect_all_in_view_one_with_the_same_state(c);
  EXPECT_GT(c.replica(3).stats().blocks_requested, 0u);
  EXPECT_EQ(dropped(c.replica(3), DropReason::kBadProof), 0u);
}

// A BLOCK-REPLY whose block does not match the planned digest is refused, and the view is
// installed only with the right block (here from a retry once replies flow again).
TEST(ViewChangeBudget, BlockReplyNotMatchingThePlannedDigestIsRefused) {
  TestCluster c(large_block_config());
  prepare_large_blocks(c, /*skip_replica_3=*/true);
  // Replica 3 gets no block: neither by BLOCK-REPLY nor by state transfer (nor a checkpoint
  // that would make the block unnecessary).
  change_view(c, [](const Wire& w) {
    return w.to == 3 && (type_of(w) == MsgType::kBlockReply || type_of(w) == MsgType::kBlocks ||
                         type_of(w) == MsgType::kCheckpoint);
  });
  ASSERT_TRUE(c.replica(3).in_view_change());
  ASSERT_EQ(c.replica(3).view(), 1u);
  const Block forged = testing::big_block(kBlocks, 0, 4, 2, 100, 777);
  testing::deliver(c, 3, testing::signed_wire(c, 1, BlockReply{forged}));
  EXPECT_EQ(dropped(c.replica(3), DropReason::kBadProof), 1u);
  EXPECT_TRUE(c.replica(3).in_view_change());
  c.advance_ms(c.config().fetch_retry_ms + 1);
  c.handle(3, TimerFired{TimerKind::kViewChange});
  c.run();
  EXPECT_FALSE(c.replica(3).in_view_change());
  EXPECT_EQ(c.replica(3).last_executed(), kBlocks);
  // The checkpoints it lost left block 9 outside its window: state transfer brings it.
  c.handle(3, TimerFired{TimerKind::kFetch});
  c.run();
  EXPECT_EQ(c.replica(3).last_executed(), c.replica(0).last_executed());
  EXPECT_EQ(c.app(3).app_hash(), c.app(0).app_hash());
}

// Serving BLOCK-REQUESTs is charged to the requester's state-transfer allowance: a flood of
// requests for a maximum-size block from one peer is answered at most allowance / block size
// times, and requests for blocks not held cost the minimum charge too.
TEST(ViewChangeBudget, BlockRequestFloodIsServedOnlyWithinThePeerAllowance) {
  ConsensusConfig cfg = large_block_config();
  cfg.fetch_serve_burst_bytes_per_peer = 4u << 20;
  cfg.fetch_serve_bytes_per_s_per_peer = 1u << 20;
  TestCluster c(cfg);
  prepare_large_blocks(c, /*skip_replica_3=*/false);
  c.network().clear();
  const std::optional<CommittedBlock> executed = c.app(1).load_block(1);
  ASSERT_TRUE(executed.has_value());
  const Bytes request = testing::signed_wire(c, 3, BlockRequest{0, 1, executed->cert.digest});
  for (int i = 0; i < 100; ++i) testing::deliver(c, 1, request);
  EXPECT_LE(c.replica(1).stats().blocks_served, 4u);  // 4 MiB burst, 1 MiB blocks
  EXPECT_GE(c.replica(1).stats().blocks_served, 3u);
  EXPECT_GE(dropped(c.replica(1), DropReason::kRateLimited), 96u);
  const Bytes unknown = testing::signed_wire(c, 2, BlockRequest{0, 1, Digest{}});
  for (int i = 0; i < 2000; ++i) testing::deliver(c, 1, unknown);
  EXPECT_LE(dropped(c.replica(1), DropReason::kStale), (4u << 20) / Replica::kMinServeChargeBytes);
}

// Budgets are checked when a configuration is validated and when a message arrives: a frame
// limit too small for the largest NEW-VIEW is refused by name, and a PRE-PREPARE larger than
// any honest primary builds is dropped as malformed before its signature is checked.
TEST(ViewChangeBudget, BudgetsAreCheckedInTheConfigAndOnArrival) {
  ConsensusConfig cfg = testing::small_cluster_config(16);
  cfg.replica_count = 40;
  cfg.window_blocks = 64;
  cfg.checkpoint_interval_blocks = 16;
  cfg.max_message_bytes = 2u << 20;
  const Status s = cfg.validate();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.to_string().find("NEW-VIEW"), std::string::npos) << s.to_string();

  ConsensusConfig small_blocks = testing::small_cluster_config(16);
  small_blocks.max_batch_bytes = 64 * 1024;
  TestCluster c(small_blocks);
  c.run();
  // 16 transactions of 60 KiB decode (each within max_tx_bytes), but no honest primary cuts a
  // 960 KiB block when blocks end at 64 KiB.
  const Block huge = testing::big_block(1, 0, 4, 16, 60 * 1024);
  const Bytes wire = testing::signed_wire(c, 0, PrePrepare{0, 1, block_digest(huge), huge});
  ASSERT_LE(wire.size(), c.config().max_message_bytes);
  testing::deliver(c, 1, wire);
  EXPECT_EQ(dropped(c.replica(1), DropReason::kMalformed), 1u);
}

}  // namespace
}  // namespace hc::consensus
