// The replica state machine driven directly, with real Ed25519 signatures.
#include <gtest/gtest.h>

#include "consensus/certificates.h"
#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

TEST(Replica, NormalCaseCommitsInOrderWithCertificates) {
  TestCluster c(testing::small_cluster_config());
  for (std::uint64_t i = 0; i < 10; ++i) c.submit(make_tx(i));
  c.run();
  for (ReplicaId r = 0; r < 4; ++r) {
    std::size_t txs = 0;
    for (const auto& [height, cb] : c.app(r).blocks()) {
      txs += cb.block.txs.size();
      EXPECT_TRUE(verify_commit_certificate(c.config().chain_id, cb, Configuration::genesis(4), c.verifier(0)).ok());
      EXPECT_EQ(cb.cert.digest, c.app(0).blocks().at(height).cert.digest);  // agreement
    }
    EXPECT_EQ(txs, 10u) << "replica " << r;
    EXPECT_EQ(c.replica(r).pending_txs(), 0u);
  }
}

TEST(Replica, InvalidAndDuplicateTransactionsNeverCommit) {
  TestCluster c(testing::small_cluster_config());
  c.submit(Bytes{0xFF, 1});  // rejected by check_tx
  c.submit(make_tx(1));
  c.submit(make_tx(1));  // duplicate
  c.run();
  EXPECT_EQ(c.replica(1).stats().client_txs_rejected, 1u);
  std::size_t txs = 0;
  for (const auto& [h, cb] : c.app(2).blocks()) txs += cb.block.txs.size();
  EXPECT_EQ(txs, 1u);
}

TEST(Replica, DropsInvalidMessagesByReason) {
  TestCluster c(testing::small_cluster_config());
  Replica& r1 = c.replica(1);
  deliver(c, 1, Bytes{1, 2, 3});
  EXPECT_EQ(dropped(r1, DropReason::kMalformed), 1u);

  Bytes bad_sig = signed_wire(c, 2, Prepare{0, 1, Digest{}});
  bad_sig.back() ^= 1;
  deliver(c, 1, bad_sig);
  EXPECT_EQ(dropped(r1, DropReason::kBadSignature), 1u);

  Message stranger{9, Prepare{0, 1, Digest{}}, Signature{}};
  deliver(c, 1, encode_message(stranger));
  EXPECT_EQ(dropped(r1, DropReason::kNotMember), 1u);

  deliver(c, 1, signed_wire(c, 2, Prepare{0, 100, Digest{}}));  // beyond the window
  EXPECT_EQ(dropped(r1, DropReason::kOutsideWindow), 1u);

  const Block b{1, 0, 0, 0, {make_tx(5)}};
  deliver(c, 1, signed_wire(c, 2, PrePrepare{0, 1, block_digest(b), b}));  // 2 is not primary
  EXPECT_EQ(dropped(r1, DropReason::kWrongSender), 1u);

  deliver(c, 1, signed_wire(c, 0, PrePrepare{0, 1, Digest{}, b}));  // digest does not match
  EXPECT_EQ(dropped(r1, DropReason::kMalformed), 2u);

  const Bytes vote = signed_wire(c, 2, Prepare{0, 1, block_digest(b)});
  deliver(c, 1, vote);
  deliver(c, 1, vote);  // replayed
  EXPECT_EQ(dropped(r1, DropReason::kDuplicate), 1u);
  deliver(c, 1, signed_wire(c, 2, Prepare{0, 1, Digest{}}));  // 2 contradicts itself
  EXPECT_EQ(dropped(r1, DropReason::kConflict), 1u);
}

TEST(Replica, BackupRefusesBlockItsApplicationRejects) {
  TestCluster c(testing::small_cluster_config());
  c.run();  // the start-up catch-up probes
  const Block b{1, 0, 0, 0, {make_tx(1), Bytes{0xFF, 7}}};
  deliver(c, 1, signed_wire(c, 0, PrePrepare{0, 1, block_digest(b), b}));
  EXPECT_EQ(dropped(c.replica(1), DropReason::kRejectedBlock), 1u);
  EXPECT_TRUE(c.network().empty());  // no PREPARE was sent
}

TEST(Replica, CheckpointsBecomeStable) {
  ConsensusConfig cfg = testing::small_cluster_config();
  cfg.max_batch_txs = 1;
  TestCluster c(cfg);
  for (std::uint64_t i = 0; i < 9; ++i) {
    c.submit(make_tx(i));
    c.run();
  }
  for (ReplicaId r = 0; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).last_executed(), 9u);
    EXPECT_EQ(c.replica(r).stable_seq(), 8u);
  }
  // The durable log was compacted at the last stable checkpoint.
  auto st = decode_persisted_state(c.records(1), decode_limits(cfg));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->stable.seq, 8u);
  EXPECT_EQ(st->stable.sigs.size(), 3u);
}

TEST(Replica, SilentPrimaryIsReplacedByViewChange) {
  TestCluster c(testing::small_cluster_config());
  const auto from_primary = [](const Wire& w) { return w.bytes->size() > 13 && (*w.bytes)[13] == 0; };  // sender's low byte
  c.submit(make_tx(1));
  c.run(from_primary);
  c.advance_ms(2500);
  // First expiry forwards the transaction to the primary; once the forward has waited the
  // request timeout, one expiry tries to catch up and the next suspects the primary.
  for (int round = 0; round < 4; ++round) {
    for (ReplicaId r = 1; r < 4; ++r) c.handle(r, TimerFired{TimerKind::kRequest});
    c.run(from_primary);
    c.advance_ms(1500);
  }
  for (ReplicaId r = 1; r < 4; ++r) {
    EXPECT_EQ(c.replica(r).view(), 1u);
    EXPECT_FALSE(c.replica(r).in_view_change());
    EXPECT_EQ(c.replica(r).last_executed(), 1u) << "replica " << r;
  }
}

TEST(Replica, RestartedPrimaryNeverReusesASequenceNumber) {
  TestCluster c(testing::small_cluster_config());
  c.run();
  c.handle(0, ClientTransaction{make_tx(1)});
  c.handle(0, TimerFired{TimerKind::kBatch});
  ASSERT_EQ(c.network().size(), 3u);  // PRE-PREPARE for seq 1 to three backups
  c.network().clear();                // ... all lost
  c.crash(0);
  c.start(0);  // restores from its records
  c.network().clear();
  c.handle(0, ClientTransaction{make_tx(2)});
  c.handle(0, TimerFired{TimerKind::kBatch});  // seq 1 is in flight, so it batches
  ASSERT_FALSE(c.network().empty());
  auto msg = decode_message(*c.network().front().bytes, decode_limits(testing::small_cluster_config()));
  ASSERT_TRUE(msg.ok());
  const auto* pp = std::get_if<PrePrepare>(&msg->body);
  ASSERT_NE(pp, nullptr);
  EXPECT_EQ(pp->seq, 2u);  // seq 1 stays bound to the block it already signed
}

TEST(Replica, RestartedReplicaCatchesUpByStateTransfer) {
  TestCluster c(testing::small_cluster_config());
  c.crash(3);
  for (std::uint64_t i = 0; i < 12; ++i) c.submit(make_tx(i));
  c.run();
  ASSERT_GE(c.replica(0).last_executed(), 3u);
  c.start(3);
  c.run();
  EXPECT_EQ(c.replica(3).last_executed(), c.replica(0).last_executed());
  EXPECT_EQ(c.app(3).app_hash(), c.app(0).app_hash());
  EXPECT_GT(c.replica(3).stats().blocks_fetched, 0u);
}

}  // namespace
}  // namespace hc::consensus
