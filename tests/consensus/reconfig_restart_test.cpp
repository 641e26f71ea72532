// A restart in the middle of a catch-up across a membership change (docs/consensus.md, section
// 2c, "Restart between an adopted checkpoint and the blocks below it"). Replica 3 is cut off
// while the others commit; then it catches up by state transfer, two blocks per BLOCKS reply,
// and is crashed and restarted after every reply that moved its stable checkpoint or its
// executed height. After each restart its configuration must be the one that truly orders the
// sequence number after its stable checkpoint (replica 0's schedule, which executed every
// change). K = 4, L = 8.
//   - A join accepted at height 6 (boundary 16) with the others at stable checkpoint 8: replica
//     3 adopts checkpoint 8 after executing blocks 1 and 2, so the block that accepted the
//     change (6, in the last interval before the checkpoint) is not executed when it restarts:
//     the narrow case the section used to list as open.
//   - An exit and a join accepted at height 4 (boundary 12) with the others at stable checkpoint
//     12 (configuration 1 in force after it): checkpoint 12 must not be adopted before block 4
//     is executed, since the configuration after it depends on that block (without the
//     known_through() check of Replica::on_blocks replica 3 adopts it after blocks 1 and 2 and
//     takes configuration 0 after it).
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "consensus/messages.h"
#include "test_cluster.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h

constexpr ReplicaId kCutOff = 3;

struct RestartScenario {
  SeqNumber change_height = 0;
  std::vector<ReplicaId> members;
  SeqNumber others_reach = 0;  // the others commit at least this far while replica 3 is cut off
};

struct RestartReport {
  std::size_t restarts = 0;
  // Restarts at a stable checkpoint above the executed height with an unexecuted block
  // accepting a change at or below the checkpoint.
  std::size_t restarts_above_unexecuted_change = 0;
  SeqNumber highest_stable_with_change_unexecuted = 0;
  // Restarts at a stable checkpoint at or above the boundary of a change whose accepting block
  // is not executed (the configuration after the checkpoint would then be a guess).
  std::size_t restarts_past_unexecuted_boundary = 0;
};

std::optional<ReplicaId> sender_of(const TestCluster& c, const Wire& w) {
  auto m = decode_message(*w.bytes, decode_limits(c.config()));
  if (!m.ok()) return std::nullopt;
  return m->sender;
}

TestCluster make_cluster(const RestartScenario& s) {
  ConsensusConfig cfg = small_cluster_config();
  cfg.replica_count = 4;
  cfg.replica_id_space = 5;
  cfg.max_fetch_blocks = 2;  // a catch-up of many replies, each a point to restart at
  TestCluster c(cfg);
  for (ReplicaId r = 0; r < 5; ++r) c.app(r).schedule_change({s.change_height, s.members});
  c.run();  // the start-up fetch rounds end
  return c;
}

// The others (0, 1, 2 and the learner 4) commit until replica 0 has executed `reach`, then
// finish what is in flight without firing any timer (a change waiting for its boundary would
// otherwise have the primary cut empty blocks up to it), while replica 3 hears nothing and is
// not heard; returns the CHECKPOINTs that were meant for it.
std::vector<SharedBytes> commit_without_replica_3(TestCluster& c, SeqNumber reach) {
  std::vector<SharedBytes> checkpoints;
  const auto cut = [&](const Wire& w) {
    if (w.to == kCutOff) {
      if (type_of(w) == MsgType::kCheckpoint) checkpoints.push_back(w.bytes);
      return true;
    }
    return sender_of(c, w) == kCutOff;
  };
  const auto batch_timer_pending = [&]() {
    for (ReplicaId r = 0; r < 5; ++r) {
      if (c.batch_timer_pending(r)) return true;
    }
    return false;
  };
  std::uint64_t next_tx = 0;
  for (int step = 0; step < 200000 && c.replica(0).last_executed() < reach; ++step) {
    if (c.network().empty() && !batch_timer_pending()) {
      for (int i = 0; i < 4; ++i) {
        const Bytes tx = make_tx(next_tx++);
        for (ReplicaId r : {0u, 1u, 2u}) c.handle(r, ClientTransaction{tx});
      }
    }
    c.run(cut, 1);
  }
  while (!c.network().empty()) {
    Wire w = c.network().front();
    c.network().pop_front();
    if (!cut(w)) c.handle(w.to, MessageReceived{w.bytes});
  }
  return checkpoints;
}

// Whether a block replica 3 has not executed, at or below its stable checkpoint, accepts a change.
bool change_unexecuted_below_stable(TestCluster& c, const RestartScenario& s) {
  const Replica& r = c.replica(kCutOff);
  return r.stable_seq() > r.last_executed() && s.change_height > r.last_executed() &&
         s.change_height <= r.stable_seq();
}

// Replica 3 catches up from the CHECKPOINTs it missed; after every delivery that moves its
// stable checkpoint or executed height it is crashed and restarted, and its configuration is
// checked against replica 0's schedule before and after.
RestartReport catch_up_with_restarts(TestCluster& c, const RestartScenario& s, std::vector<SharedBytes> hints) {
  RestartReport report;
  for (const SharedBytes& wire : hints) c.handle(kCutOff, MessageReceived{wire});
  const auto truth = [&]() { return c.replica(0).schedule().at(c.replica(kCutOff).stable_seq() + 1); };
  std::pair<SeqNumber, SeqNumber> seen{c.replica(kCutOff).stable_seq(), c.replica(kCutOff).last_executed()};
  for (std::size_t step = 0; step < 200000 && !c.network().empty(); ++step) {
    Wire w = c.network().front();
    c.network().pop_front();
    c.handle(w.to, MessageReceived{w.bytes});
    if (w.to != kCutOff) continue;
    const std::pair<SeqNumber, SeqNumber> now{c.replica(kCutOff).stable_seq(), c.replica(kCutOff).last_executed()};
    if (now == seen) continue;
    seen = now;
    EXPECT_EQ(c.replica(kCutOff).configuration(), truth()) << "before a restart at stable " << now.first;
    if (change_unexecuted_below_stable(c, s)) {
      ++report.restarts_above_unexecuted_change;
      report.highest_stable_with_change_unexecuted = now.first;
      if (now.first >= change_boundary(s.change_height, 4, 8)) ++report.restarts_past_unexecuted_boundary;
    }
    c.crash(kCutOff);
    c.start(kCutOff);
    ++report.restarts;
    EXPECT_FALSE(c.replica(kCutOff).halted());
    EXPECT_EQ(c.replica(kCutOff).stable_seq(), now.first);
    EXPECT_EQ(c.replica(kCutOff).last_executed(), now.second);
    EXPECT_EQ(c.replica(kCutOff).configuration(), truth())
        << "after a restart at stable " << now.first << ", executed " << now.second;
  }
  return report;
}

TEST(ReconfigurationRestart, AdoptedCheckpointAboveTheUnexecutedChangingBlockKeepsTheRightConfiguration) {
  const RestartScenario s{6, {0, 1, 2, 3, 4}, 8};
  TestCluster c = make_cluster(s);
  ASSERT_EQ(change_boundary(s.change_height, 4, 8), 16u);
  std::vector<SharedBytes> hints = commit_without_replica_3(c, s.others_reach);
  ASSERT_EQ(c.replica(0).stable_seq(), 8u);
  ASSERT_LT(c.replica(0).last_executed(), 12u);
  ASSERT_EQ(c.replica(kCutOff).last_executed(), 0u);

  const RestartReport report = catch_up_with_restarts(c, s, hints);
  EXPECT_GE(report.restarts_above_unexecuted_change, 1u) << "the narrow case was not reached";
  EXPECT_EQ(report.highest_stable_with_change_unexecuted, 8u);
  EXPECT_EQ(report.restarts_past_unexecuted_boundary, 0u);
  EXPECT_EQ(c.replica(kCutOff).last_executed(), c.replica(0).last_executed());
  EXPECT_EQ(c.app(kCutOff).app_hash(), c.app(0).app_hash());
  EXPECT_EQ(c.replica(kCutOff).schedule().at(17), c.replica(0).schedule().at(17)) << "the change learned by executing";

  // Everyone then crosses the boundary together; replica 3 votes in configuration 1 only.
  std::uint64_t next_tx = 1000;
  std::vector<Message> seen;
  for (int round = 0; round < 200 && c.replica(0).last_executed() < 24; ++round) {
    for (int i = 0; i < 4; ++i) c.submit(make_tx(next_tx++));
    c.run([&](const Wire& w) {
      auto m = decode_message(*w.bytes, decode_limits(c.config()));
      if (m.ok()) seen.push_back(std::move(m).value());
      return false;
    });
  }
  ASSERT_GE(c.replica(0).last_executed(), 24u);
  EXPECT_EQ(c.replica(kCutOff).configuration().number, 1u);
  EXPECT_EQ(c.replica(kCutOff).last_executed(), c.replica(0).last_executed());
  bool voted_in_new = false;
  for (const Message& m : seen) {
    if (m.sender != kCutOff) continue;
    if (const auto* commit = std::get_if<Commit>(&m.body)) {
      EXPECT_EQ(m.config, commit->seq > 16 ? 1u : 0u) << "COMMIT for " << commit->seq;
      voted_in_new |= m.config == 1;
    }
  }
  EXPECT_TRUE(voted_in_new);
}

TEST(ReconfigurationRestart, CheckpointAtAnUnexecutedChangesBoundaryIsNotAdoptedSoARestartNeverGuesses) {
  const RestartScenario s{4, {0, 1, 2, 4}, 12};
  TestCluster c = make_cluster(s);
  ASSERT_EQ(change_boundary(s.change_height, 4, 8), 12u);
  std::vector<SharedBytes> hints = commit_without_replica_3(c, s.others_reach);
  // The boundary itself is the others' stable checkpoint: its proof is configuration 0's (so
  // it verifies with what replica 3 knows after blocks 1 and 2), the configuration after it 1.
  ASSERT_EQ(c.replica(0).stable_seq(), 12u);
  ASSERT_EQ(c.replica(0).configuration().number, 1u);

  const RestartReport report = catch_up_with_restarts(c, s, hints);
  EXPECT_GE(report.restarts, 4u);
  EXPECT_EQ(report.restarts_past_unexecuted_boundary, 0u)
      << "checkpoint " << report.highest_stable_with_change_unexecuted
      << " adopted while block 4, which decides the configuration after it, was not executed";
  EXPECT_EQ(c.replica(kCutOff).last_executed(), c.replica(0).last_executed());
  EXPECT_EQ(c.app(kCutOff).app_hash(), c.app(0).app_hash());
  EXPECT_EQ(c.replica(kCutOff).configuration(), c.replica(0).configuration());
  EXPECT_FALSE(c.replica(kCutOff).is_member()) << "replica 3 left at the boundary";
}

}  // namespace
}  // namespace hc::consensus
