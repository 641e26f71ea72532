// Regression tests for issue 12 item 7, a CHECKPOINT from the future: a faulty replica that
// announces a checkpoint no one else vouches for, or that never answers a FETCH, must not
// stay the replica's preferred state-transfer peer.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

constexpr ReplicaId kLagging = 3;

ReplicaId sender_of(const Wire& w) {
  const Bytes& b = *w.bytes;
  // version:u8 | type:u8 | config:u64 | sender:u32 | ...
  return static_cast<ReplicaId>(b[10]) << 24 | static_cast<ReplicaId>(b[11]) << 16 |
         static_cast<ReplicaId>(b[12]) << 8 | b[13];
}

// Commits `blocks` full blocks while kLagging hears nothing; returns the CHECKPOINTs it missed.
std::vector<Wire> commit_without_lagging(TestCluster& c, std::uint64_t& next_tx, int blocks) {
  std::vector<Wire> missed_checkpoints;
  for (int i = 0; i < 4 * blocks; ++i) c.submit(make_tx(next_tx++));
  c.run([&](const Wire& w) {
    if (w.to != kLagging) return false;
    if (type_of(w) == MsgType::kCheckpoint) missed_checkpoints.push_back(w);
    return true;
  });
  return missed_checkpoints;
}

// The replicas kLagging sends a FETCH to, in order, among the queued messages.
std::vector<ReplicaId> fetches_queued(TestCluster& c) {
  std::vector<ReplicaId> to;
  for (const Wire& w : c.network()) {
    if (sender_of(w) == kLagging && type_of(w) == MsgType::kFetch) to.push_back(w.to);
  }
  return to;
}

TEST(FetchPeer, RegressionCheckpointFromTheFutureIsNotThePreferredFetchPeer) {
  constexpr ReplicaId kLiar = 2;
  TestCluster c(testing::small_cluster_config());
  c.run();  // the start-up fetch rounds end
  // The liar announces, with its own valid signature, a checkpoint far in the future.
  deliver(c, kLagging, signed_wire(c, kLiar, CheckpointMsg{4ull << 40, sha256(Bytes{1})}));
  std::uint64_t next_tx = 0;
  for (const Wire& w : commit_without_lagging(c, next_tx, 12)) c.handle(w.to, MessageReceived{w.bytes});

  const std::vector<ReplicaId> fetches = fetches_queued(c);
  ASSERT_FALSE(fetches.empty()) << "f+1 CHECKPOINTs ahead must start a fetch";
  EXPECT_NE(fetches.front(), kLiar) << "the unvouched checkpoint made the liar the fetch peer";
  // The liar never answers; the others do, and the replica catches up without a retry timer.
  c.run([&](const Wire& w) { return w.to == kLiar && sender_of(w) == kLagging; });
  EXPECT_EQ(c.replica(kLagging).last_executed(), 12u);
}

TEST(FetchPeer, RegressionPeerThatFailsToDeliverIsNotAskedFirstAgain) {
  constexpr ReplicaId kStaller = 0;  // vouches for the right checkpoints but never answers a FETCH
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();  // the start-up fetch rounds end
  const auto staller_filter = [&](const Wire& w) { return w.to == kStaller && sender_of(w) == kLagging; };
  std::uint64_t next_tx = 0;

  // Round 1: the replica falls behind and fetches; the staller's silence costs it a timeout.
  for (const Wire& w : commit_without_lagging(c, next_tx, 12)) c.handle(w.to, MessageReceived{w.bytes});
  for (std::uint32_t i = 0; i < 2 * cfg.replica_count + 2; ++i) {  // every retry of the round
    c.run(staller_filter);
    c.advance_ms(cfg.fetch_retry_ms);
    c.handle(kLagging, TimerFired{TimerKind::kFetch});
  }
  c.run(staller_filter);
  ASSERT_EQ(c.replica(kLagging).last_executed(), 12u);

  // Round 2: behind again. The peer that failed to deliver is not the first one asked.
  for (const Wire& w : commit_without_lagging(c, next_tx, 12)) c.handle(w.to, MessageReceived{w.bytes});
  const std::vector<ReplicaId> fetches = fetches_queued(c);
  ASSERT_FALSE(fetches.empty());
  EXPECT_NE(fetches.front(), kStaller) << "the peer that never delivered is still preferred";
  c.run(staller_filter);
  EXPECT_EQ(c.replica(kLagging).last_executed(), 24u);
}

}  // namespace
}  // namespace hc::consensus
