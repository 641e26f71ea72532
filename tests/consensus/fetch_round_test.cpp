// Regression test for the liveness stall the issue 12 soak found (hc-sim --scenario
// byzantine-slow --replicas 13 --seed 100008 --partition 2 --loss 0.03 --duplicate 0.03
// --duration 8000 --heal 30000): a replica that lost the last block's PRE-PREPARE heard f+1
// COMMITs for it while a state-transfer round was still open; the round then ended on its
// timer, the evidence went with it, nothing armed another round, and on a quiet chain nothing
// ever told the replica again. It stayed one block behind for good.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

constexpr ReplicaId kRoundLagging = 3;

ReplicaId fetch_round_sender(const Wire& w) { return static_cast<ReplicaId>((*w.bytes)[13]); }  // sender's low byte

// One block of one fresh transaction, committed by replicas 0..2 while kRoundLagging hears only
// the COMMITs, which are returned instead of delivered.
std::vector<Wire> commit_block_past_lagging(TestCluster& c, std::uint64_t& next_tx) {
  const Bytes tx = make_tx(next_tx++);
  for (ReplicaId r = 0; r < kRoundLagging; ++r) c.handle(r, ClientTransaction{tx});
  std::vector<Wire> commits;
  c.run([&](const Wire& w) {
    if (w.to != kRoundLagging) return false;
    if (type_of(w) == MsgType::kCommit) commits.push_back(w);
    return true;
  });
  return commits;
}

void deliver_all(TestCluster& c, const std::vector<Wire>& wires) {
  for (const Wire& w : wires) c.handle(w.to, MessageReceived{w.bytes});
}

TEST(FetchRound, RegressionEvidenceArrivingDuringARoundStartsAnotherRound) {
  TestCluster c(small_cluster_config(/*batch_txs=*/1));
  c.run();
  std::uint64_t next_tx = 0;
  c.submit(make_tx(next_tx++));
  c.run();
  ASSERT_EQ(c.replica(kRoundLagging).last_executed(), 1u);

  // Height 2: kRoundLagging sees f+1 COMMITs it cannot match and, on its fetch timer, fetches. The
  // first peer sends block 2; the second FETCH of the round is lost, so the round stays open.
  deliver_all(c, commit_block_past_lagging(c, next_tx));
  ASSERT_TRUE(c.fire_if_armed(kRoundLagging, TimerKind::kFetch));
  int fetches = 0;
  c.run([&](const Wire& w) {
    return fetch_round_sender(w) == kRoundLagging && type_of(w) == MsgType::kFetch && ++fetches > 1;
  });
  ASSERT_EQ(c.replica(kRoundLagging).last_executed(), 2u);
  ASSERT_EQ(fetches, 2);

  // Height 3 commits meanwhile; kRoundLagging hears its COMMITs while the round is open, and then the
  // round's timer ends the round (it reached what it set out to fetch).
  deliver_all(c, commit_block_past_lagging(c, next_tx));
  ASSERT_EQ(c.replica(0).last_executed(), 3u);
  c.advance_ms(c.config().fetch_retry_ms);
  ASSERT_TRUE(c.fire_if_armed(kRoundLagging, TimerKind::kFetch));
  c.run();

  // No more traffic: only kRoundLagging's own armed timers can bring it to height 3.
  for (int round = 0; round < 8 && c.replica(kRoundLagging).last_executed() < 3; ++round) {
    c.advance_ms(c.config().fetch_retry_ms);
    if (!c.fire_if_armed(kRoundLagging, TimerKind::kFetch)) break;
    c.run();
  }
  EXPECT_EQ(c.replica(kRoundLagging).last_executed(), 3u) << "the COMMITs of height 3 were forgotten";
}

}  // namespace
}  // namespace hc::consensus
