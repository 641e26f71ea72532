// The simulator's checkers must be able to fail, and runs must replay bit for bit.
#include <gtest/gtest.h>

#include "consensus/messages.h"
#include "sim/checkers.h"
#include "sim/digest_authenticator.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace hc::sim {
namespace {

using consensus::Block;
using consensus::CommittedBlock;

CommittedBlock certified(const Block& b, std::uint32_t n) {
  CommittedBlock cb{b, {0, b.height, consensus::block_digest(b), {}}};
  for (consensus::ReplicaId r = 0; r < 2 * ((n - 1) / 3) + 1; ++r) {
    cb.cert.commits.push_back(
        {r, digest_authenticator(r, consensus::signing_input(sim_chain_id(), 0, consensus::MsgType::kCommit, r,
                                             consensus::vote_statement(0, b.height, cb.cert.digest)))});
  }
  return cb;
}

TEST(Checkers, DetectEachViolation) {
  DigestVerifier verifier(4);
  std::vector<std::uint64_t> lat;
  const Bytes tx1{1, 1}, tx2{1, 2}, bad{0xFF, 3};
  {
    Checkers c(4, sim_chain_id(), {true, true, true, true}, verifier);
    c.on_submit(consensus::tx_digest(tx1), true, 0);
    c.on_submit(consensus::tx_digest(tx2), true, 0);
    c.on_deliver(0, certified(Block{1, 0, 0, 0, {tx1}}, 4), 1, lat);
    EXPECT_TRUE(c.ok());
    c.on_deliver(1, certified(Block{1, 0, 0, 0, {tx2}}, 4), 1, lat);
    EXPECT_NE(c.violation().find("agreement"), std::string::npos);
  }
  {
    Checkers c(4, sim_chain_id(), {true, true, true, true}, verifier);
    c.on_submit(consensus::tx_digest(tx1), true, 0);
    c.on_deliver(0, certified(Block{1, 0, 0, 0, {tx1}}, 4), 1, lat);
    c.on_deliver(0, certified(Block{2, 0, 0, 0, {tx1}}, 4), 1, lat);
    EXPECT_NE(c.violation().find("integrity"), std::string::npos);
  }
  {
    Checkers c(4, sim_chain_id(), {true, true, true, true}, verifier);
    c.on_submit(consensus::tx_digest(bad), false, 0);
    c.on_deliver(0, certified(Block{1, 0, 0, 0, {bad}}, 4), 1, lat);
    EXPECT_NE(c.violation().find("validity"), std::string::npos);
  }
  {
    Checkers c(4, sim_chain_id(), {true, true, true, true}, verifier);
    CommittedBlock cb = certified(Block{1, 0, 0, 0, {}}, 4);
    cb.cert.commits.pop_back();
    c.on_deliver(0, cb, 1, lat);
    EXPECT_NE(c.violation().find("certificate"), std::string::npos);
  }
  {
    Checkers c(4, sim_chain_id(), {true, true, true, false}, verifier);
    c.on_submit(consensus::tx_digest(tx1), true, 0);
    c.on_deliver(0, certified(Block{1, 0, 0, 0, {tx1}}, 4), 1, lat);
    c.check_liveness(10);
    EXPECT_NE(c.violation().find("liveness"), std::string::npos);
  }
}

TEST(Checkers, CountHonestPrimariesDeposedByWeakQuorum) {
  DigestVerifier verifier(4);
  // Replica 0 is faulty: leaving view 0 (its view) is no deposition; view 1 (primary 1) is
  // deposed only once f+1 = 2 correct replicas are past it.
  Checkers c(4, sim_chain_id(), {false, true, true, true}, verifier);
  c.set_deposition_bound(0);
  c.on_view(1, 1);
  c.on_view(2, 1);
  EXPECT_EQ(c.honest_depositions(), 0u);
  c.on_view(1, 2);
  EXPECT_TRUE(c.ok());
  c.on_view(3, 2);
  EXPECT_EQ(c.honest_depositions(), 1u);
  EXPECT_NE(c.violation().find("deposing"), std::string::npos);
}

TEST(Checkers, ResourceOverBudgetFailsOnlyForCorrectReplicas) {
  DigestVerifier verifier(4);
  Checkers c(4, sim_chain_id(), {false, true, true, true}, verifier);
  c.on_resource(0, "buffered bytes", 100, 10);  // a faulty replica's own state is not checked
  c.on_resource(1, "buffered bytes", 10, 10);
  EXPECT_TRUE(c.ok());
  c.on_resource(2, "buffered bytes", 11, 10);
  EXPECT_NE(c.violation().find("resources: replica 2"), std::string::npos);
}

TEST(Simulator, ClientTransactionReachesOneReplicaAndIsRetriedUntilCommitted) {
  // Replica 0 (client 0's hospital) is silent: client 0's transactions only commit because
  // the client resends them to the next replica.
  SimConfig c = *scenario_config("byzantine-silent", 4, 3);
  const RunResult r = run_simulation(c);
  EXPECT_TRUE(r.ok) << r.violation;
  SimConfig no_retry = c;
  no_retry.client_retry_ms = 1'000'000;
  const RunResult stuck = run_simulation(no_retry);
  EXPECT_FALSE(stuck.ok);
  EXPECT_NE(stuck.violation.find("liveness"), std::string::npos) << stuck.violation;
}

TEST(Simulator, SameSeedReplaysBitForBit) {
  for (const char* scenario : {"chaos", "byzantine-equivocate"}) {
    const SimConfig c = *scenario_config(scenario, 7, 42);
    const RunResult a = run_simulation(c);
    const RunResult b = run_simulation(c);
    EXPECT_TRUE(a.ok) << a.violation;
    EXPECT_EQ(a.fingerprint, b.fingerprint);
    EXPECT_EQ(a.events, b.events);
    SimConfig other = c;
    other.seed = 43;
    EXPECT_NE(run_simulation(other).fingerprint, a.fingerprint);
  }
}

TEST(Simulator, ReportsLivenessViolationWithTrace) {
  // Two silent replicas out of four leave no quorum: nothing can commit, and the run must say
  // so (with a trace and every replica's end state) rather than pass.
  SimConfig c = *scenario_config("byzantine-silent", 4, 5);
  c.byzantine = 2;
  const RunResult r = run_simulation(c);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.violation.find("liveness"), std::string::npos) << r.violation;
  EXPECT_FALSE(r.trace.empty());
  EXPECT_EQ(r.committed_txs, 0u);
}

}  // namespace
}  // namespace hc::sim
