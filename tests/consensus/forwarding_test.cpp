// Regression test for issue 12 item 2: a Byzantine replica cannot depose an honest, working
// primary by handing a valid transaction to the backups only. A backup that holds a pending
// transaction the primary has not proposed forwards it to the primary, and suspects the
// primary only once the forwarded transaction has waited a full request timeout.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

void fire_request_timers(TestCluster& c) {
  for (ReplicaId r = 0; r < 4; ++r) c.handle(r, TimerFired{TimerKind::kRequest});
  c.run();
}

TEST(Forwarding, TransactionGossipedToBackupsOnlyDoesNotDeposeTheWorkingPrimary) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  for (std::uint64_t i = 0; i < 3; ++i) {
    for (ReplicaId r = 1; r < 4; ++r) c.handle(r, ClientTransaction{make_tx(i)});  // not to 0
  }
  c.run();
  // Drive every request timer through and well past the request timeout.
  for (int step = 0; step < 6; ++step) {
    c.advance_ms(cfg.request_timeout_ms / 2);
    fire_request_timers(c);
  }
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).view(), 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).stats().view_changes_started, 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u) << "replica " << r;
    std::size_t txs = 0;
    for (const auto& [h, cb] : c.app(r).blocks()) txs += cb.block.txs.size();
    EXPECT_EQ(txs, 3u) << "replica " << r;
  }
}

// A primary that never proposes is still replaced once forwarded transactions time out.
TEST(Forwarding, SilentPrimaryIsStillSuspectedAfterTheForward) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  const auto to_or_from_primary = [](const testing::Wire& w) {
    return w.to == 0 || (w.bytes->size() > 13 && (*w.bytes)[13] == 0);  // sender's low byte
  };
  for (ReplicaId r = 1; r < 4; ++r) c.handle(r, ClientTransaction{make_tx(7)});
  c.run(to_or_from_primary);
  for (int step = 0; step < 8; ++step) {
    c.advance_ms(cfg.request_timeout_ms / 2);
    for (ReplicaId r = 1; r < 4; ++r) c.handle(r, TimerFired{TimerKind::kRequest});
    c.run(to_or_from_primary);
  }
  for (ReplicaId r = 1; r < 4; ++r) EXPECT_GE(c.replica(r).view(), 1u) << "replica " << r;
}

// A pending transaction that a commit made invalid (the same content committed under another
// transaction id, as a record replayed to two hospitals at once) is dropped, not held against
// the primary that rightly never proposes it.
TEST(Forwarding, RegressionTransactionInvalidatedByACommitDoesNotDeposeThePrimary) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  const auto keyed = [](std::uint8_t copy) {
    Bytes tx{TestApplication::kContentKeyed};
    append_u64_be(tx, 42);
    tx.push_back(copy);
    return tx;
  };
  for (ReplicaId r : {0u, 3u}) c.handle(r, ClientTransaction{keyed(1)});
  for (ReplicaId r : {1u, 2u}) c.handle(r, ClientTransaction{keyed(2)});
  c.run();
  for (int step = 0; step < 6; ++step) {
    c.advance_ms(cfg.request_timeout_ms / 2);
    fire_request_timers(c);
  }
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).stats().view_changes_started, 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u) << "replica " << r;
    EXPECT_EQ(c.app(r).last_height(), 1u) << "replica " << r;
  }
}

// Issue 18: a record's group signature is verified with its block, not on arrival, so a
// pending transaction may fail the deferred checks (TestApplication::kBadSignature). Before the
// engine ran them, a primary proposed such a transaction (every replica then refused the block)
// and a backup forwarded it and suspected the primary that dropped it.
Bytes bad_signature_tx(std::uint64_t i) {
  Bytes tx{TestApplication::kBadSignature};
  append_u64_be(tx, i);
  return tx;
}

TEST(DeferredChecks, RegressionThePrimaryNeverProposesATransactionThatFailsThem) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  for (ReplicaId r = 0; r < 4; ++r) {
    c.handle(r, ClientTransaction{make_tx(1)});
    c.handle(r, ClientTransaction{bad_signature_tx(2)});
    c.handle(r, ClientTransaction{make_tx(3)});
  }
  c.run();
  for (int step = 0; step < 6; ++step) {
    c.advance_ms(cfg.request_timeout_ms / 2);
    fire_request_timers(c);
  }
  EXPECT_GE(c.replica(0).stats().deferred_checks_failed, 1u);
  EXPECT_GE(c.app(0).deferred_checked(), 3u);
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).view(), 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).stats().view_changes_started, 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u) << "replica " << r;
    std::size_t txs = 0;
    for (const auto& [h, cb] : c.app(r).blocks()) {
      for (const Bytes& tx : cb.block.txs) {
        EXPECT_NE(tx.front(), TestApplication::kBadSignature) << "replica " << r << " height " << h;
        ++txs;
      }
    }
    EXPECT_EQ(txs, 2u) << "replica " << r;
  }
}

// A Byzantine hospital floods the backups (not the primary) with transactions that fail the
// deferred checks: each backup drops them when it would forward them, so it neither forwards
// them nor suspects the primary, and its pool empties.
TEST(DeferredChecks, RegressionAFloodToTheBackupsDoesNotDeposeThePrimary) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  constexpr std::uint64_t kFlood = 50;
  for (std::uint64_t i = 0; i < kFlood; ++i) {
    for (ReplicaId r = 1; r < 4; ++r) c.handle(r, ClientTransaction{bad_signature_tx(100 + i)});
  }
  c.run();
  for (ReplicaId r = 1; r < 4; ++r) EXPECT_EQ(c.replica(r).pending_txs(), kFlood) << "replica " << r;
  for (int step = 0; step < 8; ++step) {
    c.advance_ms(cfg.request_timeout_ms / 2);
    fire_request_timers(c);
  }
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).view(), 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).stats().view_changes_started, 0u) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u) << "replica " << r;
  }
  for (ReplicaId r = 1; r < 4; ++r) EXPECT_EQ(c.replica(r).stats().deferred_checks_failed, kFlood) << "replica " << r;
  EXPECT_EQ(c.app(0).deferred_checked(), 0u);  // nothing of it reached the primary
}

}  // namespace
}  // namespace hc::consensus
