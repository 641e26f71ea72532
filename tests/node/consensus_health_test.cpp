#include "node/consensus_health.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

ConsensusObservation at(std::uint64_t now_ms, std::uint64_t height, std::uint64_t pending, std::size_t peers = 3) {
  ConsensusObservation o;
  o.now_ms = now_ms;
  o.height = height;
  o.pending_txs = pending;
  o.replicas = 4;
  o.peers_connected = peers;
  return o;
}

TEST(ConsensusHealthTest, IdleReplicaIsNeverStalled) {
  ConsensusHealthWatch watch;
  for (std::uint64_t t = 1000; t < 100000; t += 1000) EXPECT_FALSE(watch.observe(at(t, 5, 0)).stalled) << t;
}

TEST(ConsensusHealthTest, PendingWorkWithoutACommitPastTheBoundIsAStall) {
  ConsensusHealthBounds bounds;
  ConsensusHealthWatch watch(bounds);
  EXPECT_FALSE(watch.observe(at(1000, 5, 0)).stalled);
  EXPECT_FALSE(watch.observe(at(2000, 5, 3)).stalled);  // work pending from t = 2 s
  EXPECT_FALSE(watch.observe(at(2000 + bounds.stall_bound_ms, 5, 3)).stalled);
  ConsensusHealth h = watch.observe(at(2001 + bounds.stall_bound_ms, 5, 3));
  EXPECT_TRUE(h.stalled);
  EXPECT_NE(h.reason.find("no commit"), std::string::npos) << h.reason;
  // A commit clears it at once.
  EXPECT_FALSE(watch.observe(at(2002 + bounds.stall_bound_ms, 6, 3)).stalled);
}

TEST(ConsensusHealthTest, CommitsKeepAReplicaWithSteadyWorkHealthy) {
  ConsensusHealthWatch watch;
  std::uint64_t height = 1;
  for (std::uint64_t t = 1000; t < 120000; t += 1000) {
    if (t % 5000 == 0) ++height;
    EXPECT_FALSE(watch.observe(at(t, height, 10)).stalled) << t;
  }
}

TEST(ConsensusHealthTest, QuorumLostPastTheGraceIsAStall) {
  ConsensusHealthBounds bounds;
  ConsensusHealthWatch watch(bounds);
  EXPECT_FALSE(watch.observe(at(1000, 5, 0, 2)).stalled);  // 3 of 4: a quorum
  EXPECT_FALSE(watch.observe(at(2000, 5, 0, 1)).stalled);  // 2 of 4 from t = 2 s
  EXPECT_FALSE(watch.observe(at(2000 + bounds.quorum_grace_ms, 5, 0, 1)).stalled);
  ConsensusHealth h = watch.observe(at(2001 + bounds.quorum_grace_ms, 5, 0, 1));
  EXPECT_TRUE(h.stalled);
  EXPECT_NE(h.reason.find("no quorum"), std::string::npos) << h.reason;
  EXPECT_FALSE(watch.observe(at(2002 + bounds.quorum_grace_ms, 5, 0, 2)).stalled);
}

// Regression (the quorum of n = 3f+2 or 3f+3 is more than 2f+1, docs/consensus.md): with 6
// replicas, 3 of them (2f+1) connected are not a quorum; 4 are. Seen failing with 2f+1.
TEST(ConsensusHealthTest, SixReplicasNeedFourConnectedNotTwoFPlusOne) {
  ConsensusHealthBounds bounds;
  ConsensusHealthWatch watch(bounds);
  ConsensusObservation o = at(1000, 5, 0, 2);
  o.replicas = 6;
  EXPECT_FALSE(watch.observe(o).stalled);
  o.now_ms = 1001 + bounds.quorum_grace_ms;
  ConsensusHealth h = watch.observe(o);
  EXPECT_TRUE(h.stalled);
  EXPECT_NE(h.reason.find("no quorum"), std::string::npos) << h.reason;
  o.peers_connected = 3;
  o.now_ms += 1;
  EXPECT_FALSE(watch.observe(o).stalled);
}

TEST(ConsensusHealthTest, ASingleReplicaNeedsNoPeers) {
  ConsensusHealthWatch watch;
  ConsensusObservation o = at(1000, 1, 0, 0);
  o.replicas = 1;
  EXPECT_FALSE(watch.observe(o).stalled);
  o.now_ms = 100000;
  EXPECT_FALSE(watch.observe(o).stalled);
}

TEST(ConsensusHealthTest, CatchingUpWhileFetchedBlocksArrive) {
  ConsensusHealthBounds bounds;
  ConsensusHealthWatch watch(bounds);
  ConsensusObservation o = at(1000, 1, 0);
  o.blocks_fetched = 7;  // fetched before the watch started: not news
  EXPECT_FALSE(watch.observe(o).catching_up);
  o.now_ms = 2000;
  o.blocks_fetched = 9;
  o.height = 3;
  EXPECT_TRUE(watch.observe(o).catching_up);
  o.now_ms = 2000 + bounds.catching_up_window_ms;
  EXPECT_TRUE(watch.observe(o).catching_up);
  o.now_ms = 2001 + bounds.catching_up_window_ms;
  EXPECT_FALSE(watch.observe(o).catching_up);
}

}  // namespace
}  // namespace hc::node
