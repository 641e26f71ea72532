// Votes of the next configuration that reach a replica before it crosses the boundary
// (docs/consensus.md, section 2c): kept, checked and bounded like the messages of a later
// view, and replayed once the replica enters that configuration.
//
// The cluster: five replicas, replica 0 leaves at boundary 12, so configuration 1 is
// {1, 2, 3, 4} (quorum 3, view 0's primary replica 1). Replica 4 executed through height 4
// (so it knows the change), then missed everything while the others went past the boundary.
#include <gtest/gtest.h>

#include "reconfig_cluster.h"
#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h, reconfig_cluster.h and signed_messages.h

constexpr ReplicaId kBehind = 4;

// Submits one transaction at a time until replica 1 has executed `height`.
void commit_through(TestCluster& c, std::uint64_t& next_tx, SeqNumber height) {
  while (c.replica(1).last_executed() < height) {
    c.submit(make_tx(next_tx++));
    c.run();
  }
}

// Replica kBehind restarted at height 4, configuration 0; the others idle at height 13, just
// above the boundary, in configuration 1 (no idle blocks: the test's clock never reaches them).
TestCluster cluster_with_a_replica_behind_the_boundary(std::uint64_t& next_tx,
                                                        ConsensusConfig cfg = small_cluster_config()) {
  cfg.idle_block_interval_ms = 24 * 3600 * 1000;
  TestCluster c = cluster_with_change(5, 5, {1, 2, 3, 4}, cfg);
  commit_through(c, next_tx, 4);
  c.crash(kBehind);
  commit_through(c, next_tx, kBoundary + 1);
  c.start(kBehind);
  return c;
}

// What configuration 1's replicas 1, 2 and 3 send for a new block at `seq`: the primary's
// PRE-PREPARE, two backups' PREPAREs and three COMMITs (a quorum).
struct NextConfigVotes {
  Bytes preprepare;
  std::vector<Bytes> prepares;
  std::vector<Bytes> commits;
};

NextConfigVotes next_config_votes(TestCluster& c, SeqNumber seq, std::uint64_t tx) {
  Block b = big_block(seq, 0, 4, 1, 16, tx);
  b.proposer = 1;
  b.timestamp_ms = c.now_ms();
  const Digest d = block_digest(b);
  NextConfigVotes v;
  v.preprepare = signed_wire(c, 1, PrePrepare{0, seq, d, b}, 1);
  for (ReplicaId r : {2u, 3u}) v.prepares.push_back(signed_wire(c, r, Prepare{0, seq, d}, 1));
  for (ReplicaId r : {1u, 2u, 3u}) v.commits.push_back(signed_wire(c, r, Commit{0, seq, d}, 1));
  return v;
}

// Regression (the reconfiguration sweep's seed 110018: `hc-sim --scenario byzantine-slow
// --replicas 10 --seed 110018 --partition 2 --loss 0.03 --duplicate 0.03 --duration 2000
// --heal 30000 --reconfig leave`, "replica 8 lacks 5 submitted transactions after healing"): a
// replica still in the old configuration dropped the new one's votes for the first block above
// the boundary as wrong_config, then crossed by state transfer before any peer had that block;
// no vote came again and nothing told it that it was behind. Here no peer ever commits the
// block: replica 4 can execute it only with the votes it received before crossing.
TEST(NextConfigVotes, RegressionVotesReceivedBeforeTheBoundaryCountAfterIt) {
  std::uint64_t next_tx = 0;
  TestCluster c = cluster_with_a_replica_behind_the_boundary(next_tx);
  const SeqNumber tip = c.replica(1).last_executed();
  ASSERT_GT(tip, kBoundary);
  ASSERT_EQ(c.replica(1).configuration().number, 1u);
  ASSERT_EQ(c.replica(kBehind).configuration().number, 0u);
  ASSERT_EQ(c.replica(kBehind).last_executed(), 4u);

  const NextConfigVotes votes = next_config_votes(c, tip + 1, next_tx++);
  deliver(c, kBehind, votes.preprepare);
  for (const Bytes& w : votes.prepares) deliver(c, kBehind, w);
  for (const Bytes& w : votes.commits) deliver(c, kBehind, w);
  EXPECT_EQ(c.replica(kBehind).stats().next_config_messages_kept, 6u);
  EXPECT_EQ(dropped(c.replica(kBehind), DropReason::kWrongConfig), 0u);

  c.run();  // replica 4 catches up by state transfer and crosses the boundary
  ASSERT_EQ(c.replica(kBehind).configuration().number, 1u);
  EXPECT_EQ(c.replica(kBehind).last_executed(), tip + 1)
      << "the votes of configuration 1 received before the boundary were lost";
  EXPECT_EQ(c.replica(1).last_executed(), tip);  // no peer had the block: only the kept votes count
}

// What a peer can make a replica keep for the next configuration: only votes of configuration
// current + 1, from its members, for its first window and first views, correctly signed; the
// rest is dropped and counted, and nothing is replayed from a sender that is no member.
TEST(NextConfigVotes, OnlyVerifiedVotesOfTheNextConfigurationsFirstWindowAreKept) {
  std::uint64_t next_tx = 0;
  TestCluster c = cluster_with_a_replica_behind_the_boundary(next_tx);
  Replica& behind = c.replica(kBehind);
  const Digest d = sha256(Bytes{7});
  const SeqNumber first = kBoundary + 1;
  const SeqNumber last = kBoundary + c.config().window_blocks;

  const std::uint64_t not_member = dropped(behind, DropReason::kNotMember);
  deliver(c, kBehind, signed_wire(c, 0, Commit{0, first, d}, 1));  // the leaver
  EXPECT_EQ(dropped(behind, DropReason::kNotMember), not_member + 1);

  const std::uint64_t outside = dropped(behind, DropReason::kOutsideWindow);
  deliver(c, kBehind, signed_wire(c, 2, Commit{0, kBoundary, d}, 1));  // at the boundary: the old one's
  deliver(c, kBehind, signed_wire(c, 2, Commit{0, last + 1, d}, 1));   // beyond the first window
  deliver(c, kBehind, signed_wire(c, 2, Commit{c.config().future_view_window + 1, first, d}, 1));
  EXPECT_EQ(dropped(behind, DropReason::kOutsideWindow), outside + 3);

  const std::uint64_t wrong = dropped(behind, DropReason::kWrongConfig);
  deliver(c, kBehind, signed_wire(c, 2, Commit{0, first, d}, 2));  // two configurations ahead
  EXPECT_EQ(dropped(behind, DropReason::kWrongConfig), wrong + 1);

  Bytes forged = signed_wire(c, 2, Commit{0, first, d}, 1);
  forged.back() ^= 0x01;  // the signature closes the envelope
  const std::uint64_t bad = dropped(behind, DropReason::kBadSignature);
  deliver(c, kBehind, forged);
  EXPECT_EQ(dropped(behind, DropReason::kBadSignature), bad + 1);
  EXPECT_EQ(behind.stats().next_config_messages_kept, 0u);

  const Bytes kept = signed_wire(c, 2, Commit{0, first, d}, 1);
  deliver(c, kBehind, kept);
  deliver(c, kBehind, kept);  // a replay costs nothing more
  EXPECT_EQ(behind.stats().next_config_messages_kept, 2u);
  EXPECT_EQ(behind.buffered_from(2).messages, 1u);
  EXPECT_EQ(dropped(behind, DropReason::kDuplicate), 1u);
}

// A member of the next configuration flooding distinct votes for it holds no more than its
// per-peer budget, the one it shares with its later-view messages (config.h).
TEST(NextConfigVotes, AFloodOfNextConfigurationVotesStaysWithinTheSendersBudget) {
  ConsensusConfig cfg = small_cluster_config();
  cfg.max_future_messages_per_peer = 8;
  std::uint64_t next_tx = 0;
  TestCluster c = cluster_with_a_replica_behind_the_boundary(next_tx, cfg);
  Replica& behind = c.replica(kBehind);
  std::size_t sent = 0;
  for (ViewNumber v = 0; v <= cfg.future_view_window; ++v) {
    for (SeqNumber s = kBoundary + 1; s <= kBoundary + cfg.window_blocks; ++s) {
      deliver(c, kBehind, signed_wire(c, 2, Commit{v, s, sha256(Bytes{static_cast<std::uint8_t>(s)})}, 1));
      ++sent;
    }
  }
  ASSERT_EQ(sent, 40u);
  EXPECT_EQ(behind.buffered_from(2).messages, 8u);
  EXPECT_EQ(dropped(behind, DropReason::kBufferFull), sent - 8);
  EXPECT_EQ(behind.buffered_from(3).messages, 0u);
  // View 0's eight arrived first and the later views never evict nearer ones; on crossing they
  // are all replayed (into the window's slots), nothing is left over.
  c.run();
  EXPECT_EQ(behind.configuration().number, 1u);
  EXPECT_EQ(behind.buffered_from(2).messages, 0u);
}

}  // namespace
}  // namespace hc::consensus
