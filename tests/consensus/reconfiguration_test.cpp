// Reconfiguration in the engine (docs/consensus.md, section 2c), step by step with real
// Ed25519 keys: a change accepted at height 2 takes effect after c(2) + L = 4 + 8 = 12 (K = 4,
// L = 8); a joiner learns the chain by state transfer and takes part from the boundary, a
// leaver's messages are refused after it, the window never straddles it, certificates are
// bound to their configuration's number, and a restart keeps the configuration.
#include <gtest/gtest.h>

#include "consensus/certificates.h"
#include "reconfig_cluster.h"
#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

void commit_txs(TestCluster& c, std::uint64_t& next_tx, int count, std::vector<Message>* seen = nullptr) {
  for (int i = 0; i < count; ++i) c.submit(make_tx(next_tx++));
  c.run([&](const Wire& w) {
    if (seen != nullptr) {
      auto m = decode_message(*w.bytes, decode_limits(c.config()));
      if (m.ok()) seen->push_back(std::move(m).value());
    }
    return false;
  });
}

SeqNumber seq_of_vote(const Message& m) {
  if (const auto* pp = std::get_if<PrePrepare>(&m.body)) return pp->seq;
  if (const auto* p = std::get_if<Prepare>(&m.body)) return p->seq;
  if (const auto* cm = std::get_if<Commit>(&m.body)) return cm->seq;
  return 0;
}

TEST(ConfigSchedule, BoundaryIsTheCheckpointAWindowAfterTheAcceptingBlock) {
  EXPECT_EQ(change_boundary(1, 4, 8), 12u);
  EXPECT_EQ(change_boundary(4, 4, 8), 12u);
  EXPECT_EQ(change_boundary(5, 4, 8), 16u);
  ConfigSchedule s(Configuration::genesis(4), 4, 8);
  ASSERT_TRUE(s.add({2, {0, 1, 2, 3, 4}}));
  EXPECT_FALSE(s.add({2, {0, 1, 2, 3}}));  // the same height twice: refused
  EXPECT_EQ(s.at(12).number, 0u);
  EXPECT_EQ(s.at(13).number, 1u);
  EXPECT_EQ(s.at(13).n(), 5u);
  EXPECT_EQ(s.next_boundary(1), std::optional<SeqNumber>(12));
  EXPECT_EQ(s.next_boundary(13), std::nullopt);
  // A later change within the same checkpoint interval replaces it before it governs anything.
  ASSERT_TRUE(s.add({3, {1, 2, 3, 4}}));
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.at(13).members, (std::vector<ReplicaId>{1, 2, 3, 4}));
  EXPECT_FALSE(check_members({0, 1, 2}, 8).ok());
  EXPECT_FALSE(check_members({0, 1, 2, 2}, 8).ok());
  EXPECT_FALSE(check_members({0, 1, 2, 9}, 8).ok());
  EXPECT_TRUE(check_members({7, 1, 2, 3}, 8).ok());
}

// Regression (found by scripts/soak_reconfig.sh: byzantine-equivocate with a join to n = 5,
// and at n = 6 in every seed without any change): quorums were 2f + 1, which for n = 3f + 2
// or 3f + 3 lets two quorums meet only in the faulty replica, and an equivocating primary got
// two blocks committed at one height. Every n a configuration may have must give quorums that
// share at least f + 1 replicas (so a correct one) and that n - f replicas can still form.
TEST(Configuration, RegressionAnyTwoQuorumsShareACorrectReplica) {
  for (std::uint32_t n = 4; n <= 200; ++n) {
    const std::uint32_t f = (n - 1) / 3;
    const std::uint32_t q = Configuration::quorum_of(n);
    EXPECT_GE(2 * q, n + f + 1) << "n = " << n;
    EXPECT_LE(q, n - f) << "n = " << n;
    if (n % 3 == 1) {
      EXPECT_EQ(q, 2 * f + 1) << "n = " << n;
    }
  }
  EXPECT_EQ(Configuration::genesis(5).quorum(), 4u);
  EXPECT_EQ(Configuration::genesis(6).quorum(), 4u);
  EXPECT_EQ(Configuration::genesis(8).quorum(), 6u);
}

TEST(Reconfiguration, JoinerCatchesUpAndTakesPartFromTheBoundary) {
  TestCluster c = cluster_with_change(4, 5, {0, 1, 2, 3, 4});
  std::uint64_t next_tx = 0;
  std::vector<Message> seen;
  commit_txs(c, next_tx, 4 * 20, &seen);
  commit_txs(c, next_tx, 4 * 4, &seen);  // the joiner, now a member, takes part in these

  const SeqNumber height = c.replica(0).last_executed();
  ASSERT_GT(height, kBoundary + 4);
  for (ReplicaId r = 0; r < 5; ++r) {
    EXPECT_EQ(c.replica(r).configuration().number, 1u) << "replica " << r;
    EXPECT_TRUE(c.replica(r).is_member()) << "replica " << r;
    EXPECT_EQ(c.replica(r).last_executed(), height) << "replica " << r;
    EXPECT_EQ(c.replica(r).view(), 0u) << "replica " << r;
  }
  EXPECT_EQ(c.app(4).last_height(), height);  // the joiner holds the whole chain from the genesis
  EXPECT_GT(c.replica(4).stats().blocks_fetched, 0u);

  // The window never straddles the boundary; the joiner votes only in the new configuration.
  bool joiner_voted = false;
  for (const Message& m : seen) {
    const SeqNumber s = seq_of_vote(m);
    if (s == 0) continue;
    if (m.config == 0) {
      EXPECT_LE(s, kBoundary) << msg_type_name(m.type()) << " from " << m.sender;
    } else {
      EXPECT_GT(s, kBoundary) << msg_type_name(m.type()) << " from " << m.sender;
    }
    if (m.sender == 4) {
      EXPECT_EQ(m.config, 1u);
      joiner_voted = true;
    }
  }
  EXPECT_TRUE(joiner_voted);

  // Each certificate verifies with the configuration of its height only.
  const Configuration genesis = Configuration::genesis(4);
  const Configuration five_under_genesis_number{0, {0, 1, 2, 3, 4}};
  const Configuration next = c.replica(0).schedule().at(kBoundary + 1);
  for (const auto& [r, cb] : c.delivered()) {
    if (r != 1) continue;
    const SeqNumber h = cb->block.height;
    const Configuration& own = h <= kBoundary ? genesis : next;
    EXPECT_TRUE(verify_commit_certificate(c.config().chain_id, *cb, own, c.verifier(1)).ok()) << h;
    if (h > kBoundary) {
      EXPECT_EQ(verify_commit_certificate(c.config().chain_id, *cb, five_under_genesis_number, c.verifier(1)).code(),
                ErrorCode::kAuthFailed)
          << "a certificate of configuration 1 counted in configuration 0 at height " << h;
    }
  }
}

TEST(Reconfiguration, LeaverAndOldConfigurationMessagesAreRefusedAfterTheBoundary) {
  TestCluster c = cluster_with_change(5, 5, {1, 2, 3, 4});
  std::uint64_t next_tx = 0;
  commit_txs(c, next_tx, 4 * 20);
  ASSERT_EQ(c.replica(1).configuration().number, 1u);
  EXPECT_FALSE(c.replica(0).is_member());
  EXPECT_EQ(c.replica(0).pending_txs(), 0u);
  const SeqNumber h = c.replica(1).last_executed();
  ASSERT_GT(h, kBoundary);
  const Digest d = sha256(Bytes{7});

  // The leaver signs for the new configuration: not a member.
  const std::uint64_t not_member = dropped(c.replica(1), DropReason::kNotMember);
  deliver(c, 1, signed_wire(c, 0, Commit{0, h + 1, d}, 1));
  EXPECT_EQ(dropped(c.replica(1), DropReason::kNotMember), not_member + 1);
  // A member signs in the old configuration: refused as of another configuration.
  const std::uint64_t wrong = dropped(c.replica(1), DropReason::kWrongConfig);
  deliver(c, 1, signed_wire(c, 2, Commit{0, h + 1, d}, 0));
  deliver(c, 1, signed_wire(c, 0, Commit{0, h + 1, d}, 0));
  EXPECT_EQ(dropped(c.replica(1), DropReason::kWrongConfig), wrong + 2);
  // The same COMMIT in the right configuration from a member is accepted.
  const std::uint64_t accepted = c.replica(1).stats().messages_accepted;
  deliver(c, 1, signed_wire(c, 2, Commit{0, h + 1, d}, 1));
  EXPECT_EQ(c.replica(1).stats().messages_accepted, accepted + 1);

  // The new configuration keeps ordering without the leaver; the leaver keeps learning the
  // chain by state transfer (its poll timer, as a non-member).
  commit_txs(c, next_tx, 8);
  EXPECT_GT(c.replica(1).last_executed(), h);
  EXPECT_TRUE(c.fire_if_armed(0, TimerKind::kFetch));
  c.run();
  EXPECT_EQ(c.replica(0).last_executed(), c.replica(1).last_executed());
}

TEST(Reconfiguration, RestartAfterTheBoundaryKeepsTheConfiguration) {
  TestCluster c = cluster_with_change(4, 5, {0, 1, 2, 3, 4});
  std::uint64_t next_tx = 0;
  commit_txs(c, next_tx, 4 * 20);
  ASSERT_EQ(c.replica(2).configuration().number, 1u);
  c.crash(2);
  c.start(2);
  EXPECT_EQ(c.replica(2).configuration().number, 1u);
  EXPECT_TRUE(c.replica(2).is_member());
  EXPECT_FALSE(c.replica(2).halted());
  c.run();
  commit_txs(c, next_tx, 8);
  EXPECT_EQ(c.replica(2).last_executed(), c.replica(0).last_executed());
}

TEST(Reconfiguration, ChangeThatIsNoConfigurationIsIgnoredByEveryReplica) {
  TestCluster c = cluster_with_change(4, 4, {0, 1, 2});
  std::uint64_t next_tx = 0;
  commit_txs(c, next_tx, 4 * 20);
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).configuration().number, 0u);
    EXPECT_EQ(c.replica(r).stats().changes_ignored, 1u);
    EXPECT_GT(c.replica(r).last_executed(), kBoundary);
  }
}

// A VIEW-CHANGE belongs to one configuration: its signature is checked under that
// configuration's number, and its checkpoint must open that configuration's window.
TEST(Reconfiguration, ViewChangeNeverMixesConfigurations) {
  TestCluster c = cluster_with_change(4, 5, {0, 1, 2, 3, 4});
  ConfigSchedule schedule(Configuration::genesis(4), 4, 8);
  ASSERT_TRUE(schedule.add({kChangeHeight, {0, 1, 2, 3, 4}}));
  const ViewChange vc{1, CheckpointProof{}, {}};  // from the genesis checkpoint, nothing prepared
  const auto signed_in = [&](ConfigNumber number) {
    const Bytes input = signing_input(c.config().chain_id, number, MsgType::kViewChange, 1, view_change_statement(vc));
    return SignedViewChange{1, vc, c.signer(1).sign(input)};
  };
  EXPECT_TRUE(verify_view_change(signed_in(0), c.config(), schedule, 0, 100, c.verifier(0)).ok());
  // Signed in configuration 0, presented as configuration 1's: the signature does not hold.
  EXPECT_EQ(verify_view_change(signed_in(0), c.config(), schedule, 1, 100, c.verifier(0)).code(),
            ErrorCode::kAuthFailed);
  // Signed in configuration 1 but from configuration 0's window (checkpoint 0 opens it).
  const Status other = verify_view_change(signed_in(1), c.config(), schedule, 1, 100, c.verifier(0));
  EXPECT_EQ(other.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(other.message().find("another configuration"), std::string::npos) << other.to_string();
  // Configuration 2 is unknown.
  EXPECT_FALSE(verify_view_change(signed_in(2), c.config(), schedule, 2, 100, c.verifier(0)).ok());
}

// Regression (scripts/soak_reconfig.sh, hc-sim --scenario byzantine-fetch-flood --replicas 7
// --seed 1008 --partition 2 --loss 0.03 --duplicate 0.03 --duration 2000 --heal 30000
// --reconfig join; tests/consensus/reconfig_scenario_test.cpp replays it): the CHECKPOINTs for
// the boundary are lost. The window ends at the boundary, so nothing above it is proposed and
// no later checkpoint can make it stable; CHECKPOINTs were sent once, so the chain stalled for
// good, through any number of view changes. Every replica must cross the boundary once the
// network delivers again, with only its own timers to drive it.
TEST(Reconfiguration, RegressionLostBoundaryCheckpointsAreSentAgain) {
  TestCluster c = cluster_with_change(4, 5, {0, 1, 2, 3, 4});
  const DecodeLimits limits = decode_limits(c.config());
  const auto boundary_checkpoint = [&](const Wire& w) {
    if (type_of(w) != MsgType::kCheckpoint) return false;
    auto m = decode_message(*w.bytes, limits);
    return m.ok() && std::get<CheckpointMsg>(m.value().body).seq == kBoundary;
  };
  std::uint64_t next_tx = 0;
  for (int i = 0; i < 4 * 20; ++i) c.submit(make_tx(next_tx++));
  c.run(boundary_checkpoint);
  for (ReplicaId r = 0; r < 4; ++r) {
    ASSERT_EQ(c.replica(r).last_executed(), kBoundary) << "replica " << r;
    ASSERT_LT(c.replica(r).stable_seq(), kBoundary) << "replica " << r;
    ASSERT_GT(c.replica(r).pending_txs(), 0u) << "replica " << r;
  }
  // The network heals: timers fire as they fall due, every message is delivered.
  for (int round = 0; round < 20 && c.replica(0).configuration().number == 0; ++round) {
    c.advance_ms(c.config().max_view_change_timeout_ms);
    c.fire_armed_timers();
    c.run();
  }
  for (ReplicaId r = 0; r < 5; ++r) {
    EXPECT_EQ(c.replica(r).configuration().number, 1u) << "replica " << r;
    EXPECT_GE(c.replica(r).stable_seq(), kBoundary) << "replica " << r;
  }
  // And the new configuration orders what waited.
  commit_txs(c, next_tx, 8);
  for (ReplicaId r = 0; r < 5; ++r) {
    EXPECT_GT(c.replica(r).last_executed(), kBoundary) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u) << "replica " << r;
  }
}

}  // namespace
}  // namespace hc::consensus
