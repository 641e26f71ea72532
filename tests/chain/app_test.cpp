// The Healthchain application: transaction rules, epochs and revocations, duplicates and
// replayed sealed records, parallel verification with the cache, commit with certificates,
// restart, queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "chain/healthchain_app.h"
#include "chain/pending_records.h"
#include "chain/proposed_block.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using testing::proposed_block;
using testing::TempDir;
using testing::TestConsortium;

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    start();
    // Block 1: the manager publishes the envelope key of the day and enrolls a hospital.
    ASSERT_TRUE(commit({c.publish_key_tx(testing::test_envelope_spki()), c.enrollment_tx("hospital-a")}).ok());
  }
  void start() {
    app.reset();
    auto a = HealthchainApp::start(*store, c.group(), c.certificates());
    HC_CHECK(a.ok());
    app = std::move(a).value();
  }
  Block next(std::vector<Bytes> txs) { return c.make_block(store->tip(), std::move(txs)); }
  Result<Digest> commit(std::vector<Bytes> txs) { return app->commit_block(next(std::move(txs))); }
  Bytes record(std::uint64_t patient, std::uint64_t epoch = 0) {
    return c.encode_signed_record(c.serial_of(patient), epoch);
  }

  TempDir dir{"app"};
  TestConsortium c;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
};

TEST_F(AppTest, AcceptsValidRecordsAndCommitsThem) {
  Bytes r = record(1);
  EXPECT_TRUE(app->check_tx(r).ok());
  auto hash = commit({r, record(2)});
  ASSERT_TRUE(hash.ok()) << hash.status().to_string();
  EXPECT_EQ(*hash, app->app_hash());
  EXPECT_EQ(app->committed_height(), 2u);
  // A committed transaction is a duplicate from now on.
  EXPECT_NE(app->check_tx(r).message().find("already committed"), std::string::npos);
  EXPECT_FALSE(app->validate_block(next({r})).ok());
}

TEST_F(AppTest, RejectsBadRecords) {
  RecordTx bad_sig = c.make_record(c.serial_of(1), 0);
  bad_sig.group_signature[0] ^= 1;
  EXPECT_EQ(app->check_tx_verified(encode_transaction(bad_sig)).code(), ErrorCode::kAuthFailed);
  RecordTx moved = c.make_record(c.serial_of(1), 0);
  moved.sealed.serial = c.serial_of(2);  // signature was for another patient
  EXPECT_EQ(app->check_tx_verified(encode_transaction(moved)).code(), ErrorCode::kAuthFailed);
  KeyId unknown = sha256(as_bytes("no such key"));
  RecordTx unknown_key = c.make_record(c.serial_of(1), 0, 64, &unknown);
  EXPECT_NE(app->check_tx(encode_transaction(unknown_key)).message().find("unknown envelope key"),
            std::string::npos);
  Bytes truncated = record(1);
  truncated.pop_back();
  EXPECT_EQ(app->check_tx(truncated).code(), ErrorCode::kInvalidInput);
  RecordTx future = c.make_record(c.serial_of(1), 0);
  future.epoch = 1;
  EXPECT_NE(app->check_tx(encode_transaction(future)).message().find("epoch"), std::string::npos);
  RecordTx too_big = c.make_record(c.serial_of(1), 0, c.genesis().limits.max_record_ciphertext_bytes + 1);
  EXPECT_EQ(app->check_tx(encode_transaction(too_big)).code(), ErrorCode::kTooLarge);
}

TEST_F(AppTest, RejectsBadManagerTransactions) {
  auto forged = decode_transaction(c.enrollment_tx("hospital-b"));
  std::get<EnrollmentTx>(*forged).member_name = "hospital-c";
  EXPECT_EQ(app->check_tx(encode_transaction(*forged)).code(), ErrorCode::kAuthFailed);
  Bytes again = encode_transaction(c.signed_manager(EnrollmentTx{"hospital-a", Bytes(8, 2), {}}));
  EXPECT_NE(app->check_tx(again).message().find("already enrolled"), std::string::npos);
  EXPECT_FALSE(app->check_tx(c.publish_key_tx(testing::test_envelope_spki())).ok());
  EXPECT_FALSE(app->check_tx(c.publish_key_tx(Bytes(300, 1))).ok());  // not an SPKI
  EXPECT_TRUE(app->check_tx(c.publish_key_tx(testing::other_envelope_spki())).ok());
  EXPECT_FALSE(app->check_tx(c.revocation_tx(2)).ok());  // must be current + 1
  EXPECT_TRUE(app->check_tx(c.revocation_tx(1)).ok());
  AccessAuditTx audit;
  audit.serial = c.serial_of(1);
  audit.manager_key_id = sha256(as_bytes("stranger"));
  audit.timestamp_ms = 5;
  audit.purpose = "curiosity";
  EXPECT_FALSE(app->check_tx(encode_transaction(c.signed_manager(audit))).ok());
  audit.manager_key_id = key_id_of(c.genesis().manager_admin_key);
  EXPECT_TRUE(app->check_tx(encode_transaction(c.signed_manager(audit))).ok());
}

TEST_F(AppTest, ConflictsInsideOneBlockAreRejected) {
  Bytes r = record(1);
  EXPECT_FALSE(app->validate_block(next({r, r})).ok());
  EXPECT_FALSE(app->validate_block(next({c.enrollment_tx("x"), c.enrollment_tx("x")})).ok());
  EXPECT_FALSE(app->validate_block(next({c.revocation_tx(1), c.revocation_tx(1)})).ok());
  Bytes rev2 = encode_transaction(c.signed_manager(RevocationTx{1, Bytes{'R', 'E', 'V', 'O', 'K', 'E', '2'}, {}}));
  EXPECT_NE(app->validate_block(next({c.revocation_tx(1), rev2})).message().find("one per block"), std::string::npos);
}

TEST_F(AppTest, BlockHeadersMustExtendTheChain) {
  Block b = next({record(1)});
  Block wrong_app = b;
  wrong_app.header.app_hash[3] ^= 1;
  EXPECT_FALSE(app->validate_block(wrong_app).ok());
  Block wrong_proposer = b;
  wrong_proposer.header.proposer = 99;
  EXPECT_FALSE(app->validate_block(wrong_proposer).ok());
  Block backwards = c.make_block(store->tip(), {record(2)}, 5);
  EXPECT_NE(app->validate_block(backwards).message().find("timestamp"), std::string::npos);
  EXPECT_TRUE(app->validate_block(b).ok());
}

TEST_F(AppTest, CommitNeedsAValidCertificate) {
  Block b = next({record(1)});
  Block weak = b;
  weak.commit_certificate = c.certificate_for(b, 2);
  EXPECT_EQ(app->commit_block(weak).status().code(), ErrorCode::kAuthFailed);
  Block none = b;
  none.commit_certificate.clear();
  EXPECT_FALSE(app->commit_block(none).ok());
  EXPECT_EQ(app->committed_height(), 1u);
  EXPECT_TRUE(app->commit_block(b).ok());
}

TEST_F(AppTest, EachTransactionIsVerifiedOnceAcrossCheckValidateAndCommit) {
  std::vector<Bytes> txs;
  for (int i = 0; i < 40; ++i) txs.push_back(record(100 + i));
  const auto before = app->signatures_verified();
  const auto calls_before = c.group().verify_calls();
  // Admission verifies no record's group signature; the proposal's deferred checks do.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(app->check_tx(txs[i]).ok());
  EXPECT_EQ(app->signatures_verified() - before, 0u);
  EXPECT_EQ(c.group().verify_calls(), calls_before);
  EXPECT_TRUE(app->check_deferred({txs.begin(), txs.begin() + 10}).empty());
  EXPECT_EQ(app->signatures_verified() - before, 10u);
  EXPECT_TRUE(app->check_deferred({txs.begin(), txs.begin() + 10}).empty());
  EXPECT_EQ(app->signatures_verified() - before, 10u);
  Block b = next(txs);
  ASSERT_TRUE(app->validate_block(b).ok());
  EXPECT_EQ(app->signatures_verified() - before, 40u);
  EXPECT_EQ(c.group().verify_calls() - calls_before, 40u);
  ASSERT_TRUE(app->commit_block(b).ok());
  EXPECT_EQ(app->signatures_verified() - before, 40u);
  EXPECT_EQ(c.group().verify_calls() - calls_before, 40u);
  // A bad signature is remembered as bad too: admission refuses it once it is known.
  RecordTx bad = c.make_record(c.serial_of(7), 0);
  bad.group_signature[9] ^= 1;
  Bytes bad_enc = encode_transaction(bad);
  EXPECT_TRUE(app->check_tx(bad_enc).ok());
  EXPECT_EQ(app->check_deferred({bad_enc}), std::vector<std::size_t>{0});
  EXPECT_EQ(app->check_tx(bad_enc).code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(app->validate_block(next({bad_enc})).ok());
  EXPECT_EQ(app->signatures_verified() - before, 41u);
  EXPECT_EQ(c.group().verify_calls() - calls_before, 41u);
}

// Issue 18: records are verified with their block. Before the deferred checks, a primary built
// its block from what passed check_tx, and (once check_tx no longer verified signatures) would
// propose a block of 100 records with one bad signature, which every replica refuses.
TEST_F(AppTest, RegressionAPrimaryNeverProposesABlockWithOneBadSignatureAmongAHundred) {
  std::vector<Bytes> arrivals;
  for (int i = 0; i < 100; ++i) arrivals.push_back(record(200 + i));
  RecordTx bad = c.make_record(c.serial_of(237), 0, 64);
  bad.group_signature[5] ^= 1;
  arrivals[37] = encode_transaction(bad);
  // Every one is admitted (no pairing at admission).
  for (const Bytes& tx : arrivals) ASSERT_TRUE(app->check_tx(tx).ok());
  // A replica refuses the block that holds it, naming it.
  Status refused = app->validate_block(next(arrivals));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("transaction 37"), std::string::npos) << refused.to_string();
  // The primary's deferred checks name it, and its block is the 99 others, which replicas accept.
  EXPECT_EQ(app->check_deferred(arrivals), std::vector<std::size_t>{37});
  const std::vector<Bytes> block = proposed_block(*app, arrivals);
  ASSERT_EQ(block.size(), 99u);
  EXPECT_EQ(std::count(block.begin(), block.end(), arrivals[37]), 0);
  const auto calls = c.group().verify_calls();
  EXPECT_TRUE(app->validate_block(next(block)).ok());
  EXPECT_TRUE(commit(block).ok());
  EXPECT_EQ(c.group().verify_calls(), calls);  // every verdict was cached
  EXPECT_EQ(app->deferred_failures(), 1u);
}

// A copy of a pending record's sealed content under a bad signature, admitted first (it is not
// verified at admission), must not have the real record refused as a replay: the real one
// displaces it (its own signature verified then), and the copy never enters a block.
TEST_F(AppTest, RegressionABadCopyOfARecordDoesNotCensorTheRealOne) {
  const RecordTx real = c.make_record(c.serial_of(11), 0);
  RecordTx copy = real;
  copy.group_signature = c.group().sign(0, record_signing_digest(real), 9);
  copy.group_signature[3] ^= 1;
  const Bytes real_tx = encode_transaction(real);
  const Bytes copy_tx = encode_transaction(copy);
  ASSERT_TRUE(app->check_tx(copy_tx).ok());
  const auto calls = c.group().verify_calls();
  ASSERT_TRUE(app->check_tx(real_tx).ok());
  EXPECT_EQ(c.group().verify_calls() - calls, 1u);  // the newcomer, verified to displace
  // Now the copy is the one refused, so a primary's block holds the real one only.
  EXPECT_EQ(app->check_tx(copy_tx).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(proposed_block(*app, {copy_tx, real_tx}), std::vector<Bytes>{real_tx});
  // A second bad copy cannot displace the real one (now known good): refused, no pairing.
  RecordTx copy2 = copy;
  copy2.group_signature[4] ^= 1;
  const auto calls2 = c.group().verify_calls();
  EXPECT_EQ(app->check_tx(encode_transaction(copy2)).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(c.group().verify_calls(), calls2);
}

// A member that signs one sealed content twice (two valid group signatures): the first is
// admitted unverified, the second displaces it. The displaced one stays in the engine's pool;
// before the fix the deferred checks passed it too (its signature is good), so the primary
// proposed a block holding the content twice, which every replica refuses (an honest primary
// deposed by one Byzantine hospital). Now a record that lost its content's claim fails them.
TEST_F(AppTest, RegressionADisplacedRecordWithAGoodSignatureNeverEntersABlock) {
  const RecordTx first = c.make_record(c.serial_of(13), 0);
  RecordTx second = first;
  second.group_signature = c.group().sign(0, record_signing_digest(first), 17);
  const Bytes first_tx = encode_transaction(first);
  const Bytes second_tx = encode_transaction(second);
  ASSERT_NE(first_tx, second_tx);
  ASSERT_TRUE(app->check_tx(first_tx).ok());
  ASSERT_TRUE(app->check_tx(second_tx).ok());  // displaces the unverified first
  EXPECT_EQ(app->check_deferred({first_tx, second_tx}), std::vector<std::size_t>{0});
  const std::vector<Bytes> block = proposed_block(*app, {first_tx, second_tx});
  EXPECT_EQ(block, std::vector<Bytes>{second_tx});
  EXPECT_TRUE(app->validate_block(next(block)).ok());
  EXPECT_FALSE(app->validate_block(next({first_tx, second_tx})).ok());
}

// The other order: a bad copy arriving after the real record (unverified) is verified to
// displace it, fails, and is refused; the real one keeps its claim.
TEST_F(AppTest, ABadCopyArrivingLaterIsRefusedWithItsVerdict) {
  const RecordTx real = c.make_record(c.serial_of(12), 0);
  RecordTx copy = real;
  copy.group_signature[3] ^= 1;
  ASSERT_TRUE(app->check_tx(encode_transaction(real)).ok());
  EXPECT_EQ(app->check_tx(encode_transaction(copy)).code(), ErrorCode::kAuthFailed);
  EXPECT_TRUE(app->check_tx(encode_transaction(real)).ok());
}

// Issue 18 item 4: a node checks the stem records that arrive together in one call
// (check_txs_verified, the stem's batch): each gets the verdict one check_tx_verified call
// would give it, a bad signature or bytes that do not decode fail only themselves, and the
// good ones' verdicts are cached, so their block's checks run no pairing.
TEST_F(AppTest, AStemBatchGivesEachRecordItsOwnVerdict) {
  RecordTx bad = c.make_record(c.serial_of(21), 0);
  bad.group_signature[5] ^= 1;
  Bytes truncated = record(22);
  truncated.pop_back();
  const std::vector<Bytes> batch{record(20), encode_transaction(bad), truncated, record(23)};
  const auto calls = c.group().verify_calls();
  const std::vector<Status> verdicts = app->check_txs_verified(batch);
  ASSERT_EQ(verdicts.size(), batch.size());
  EXPECT_TRUE(verdicts[0].ok()) << verdicts[0].to_string();
  EXPECT_EQ(verdicts[1].code(), ErrorCode::kAuthFailed) << verdicts[1].to_string();
  EXPECT_EQ(verdicts[2].code(), ErrorCode::kInvalidInput) << verdicts[2].to_string();
  EXPECT_TRUE(verdicts[3].ok()) << verdicts[3].to_string();
  EXPECT_EQ(c.group().verify_calls() - calls, 3u);  // the three that decode, once each
  EXPECT_EQ(app->check_tx_verified(batch[1]).code(), ErrorCode::kAuthFailed);  // its cached verdict
  const auto before_block = c.group().verify_calls();
  EXPECT_TRUE(app->validate_block(next({batch[0], batch[3]})).ok());
  EXPECT_EQ(c.group().verify_calls(), before_block);
}

// Two records of one sealed content in one batch (a doctor's record signed twice): the same
// verdicts as one call each, the first admitted and the second refused as a replay, not the
// first displaced by the second while neither was verified.
TEST_F(AppTest, AStemBatchWithOneContentTwiceIsCheckedOneByOne) {
  const RecordTx first = c.make_record(c.serial_of(24), 0);
  RecordTx second = first;
  second.group_signature = c.group().sign(0, record_signing_digest(first), 17);
  const std::vector<Status> verdicts =
      app->check_txs_verified({encode_transaction(first), encode_transaction(second)});
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_TRUE(verdicts[0].ok()) << verdicts[0].to_string();
  EXPECT_EQ(verdicts[1].code(), ErrorCode::kAlreadyExists) << verdicts[1].to_string();
}

TEST_F(AppTest, RevocationMovesTheEpochAndOldEpochRecordsStopAtOnce) {
  Bytes old_epoch_record = record(1, 0);
  ASSERT_TRUE(commit({c.revocation_tx(1)}).ok());  // height 2 starts epoch 1
  EXPECT_EQ(app->epoch().epoch, 1u);
  EXPECT_EQ(app->epoch().started_at_height, 2u);
  EXPECT_EQ(c.group().latest_epoch(), 1u);
  EXPECT_NE(app->check_tx(old_epoch_record).message().find("epoch 0 is not current"), std::string::npos);
  EXPECT_NE(app->validate_block(next({old_epoch_record})).message().find("epoch 0 is not current"),
            std::string::npos);
  EXPECT_TRUE(app->validate_block(next({record(4, 1)})).ok());
}

// Regression: records in a revocation's own block were checked against the epoch it ends, whose
// signatures anyone can forge once the revocation is public. A block with a revocation holds
// no record, whichever comes first in the block.
TEST_F(AppTest, RecordsInTheBlockOfARevocationAreRefused) {
  Bytes r = record(1, 0);
  Status after = app->validate_block(next({c.revocation_tx(1), r}));
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.message().find("revocation"), std::string::npos) << after.message();
  EXPECT_FALSE(app->validate_block(next({r, c.revocation_tx(1)})).ok());
  EXPECT_FALSE(commit({r, c.revocation_tx(1)}).ok());
  EXPECT_EQ(app->committed_height(), 1u);
  EXPECT_TRUE(app->validate_block(next({c.revocation_tx(1), c.enrollment_tx("hospital-b")})).ok());
}

// Regression: once a revocation is admitted, (A*, x*) is public and old-epoch records are
// forgeable, so admission refuses them (and a proposer re-checking its pool drops them, so it
// never builds a block that mixes them with the revocation).
TEST_F(AppTest, AnAdmittedRevocationStopsOldEpochRecordsAtAdmission) {
  Bytes early = record(1, 0);
  ASSERT_TRUE(app->check_tx(early).ok());
  ASSERT_TRUE(app->check_tx(c.revocation_tx(1)).ok());
  Status late = app->check_tx(record(2, 0));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.code(), ErrorCode::kUnavailable) << late.to_string();
  EXPECT_FALSE(app->check_tx(early).ok());  // what a proposer re-checks is dropped as well
  ASSERT_TRUE(commit({c.revocation_tx(1)}).ok());
  EXPECT_TRUE(app->check_tx(record(3, 1)).ok());
}

// Regression: the same sealed record (serial, nonce, wrapped key, ciphertext) submitted three
// times with different group signatures committed three times.
TEST_F(AppTest, AReplayedSealedRecordCommitsOnce) {
  RecordTx original = c.make_record(c.serial_of(1), 0);
  auto resigned = [&](std::uint8_t signer) {
    RecordTx copy = original;
    copy.group_signature = c.group().sign(0, record_signing_digest(copy), signer);
    return encode_transaction(copy);
  };
  const Bytes first = encode_transaction(original);
  const Bytes second = resigned(1);
  const Bytes third = resigned(2);
  ASSERT_NE(transaction_id(first), transaction_id(second));
  ASSERT_NE(transaction_id(second), transaction_id(third));
  // Pending: the first claims the content (verified, as in a proposal), the others are
  // refused at admission.
  ASSERT_TRUE(app->check_tx(first).ok());
  ASSERT_TRUE(app->check_deferred({first}).empty());
  Status pending = app->check_tx(second);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.code(), ErrorCode::kAlreadyExists) << pending.to_string();
  EXPECT_TRUE(app->check_tx(first).ok());  // re-checking the claimant itself is fine
  // In one block: refused whatever the order.
  EXPECT_FALSE(app->validate_block(next({first, second})).ok());
  EXPECT_FALSE(app->validate_block(next({third, record(5), first})).ok());
  // Committed: refused in later blocks and at admission.
  ASSERT_TRUE(commit({second}).ok());
  Status committed = app->check_tx(third);
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.code(), ErrorCode::kAlreadyExists) << committed.to_string();
  EXPECT_NE(committed.message().find("already committed at height 2"), std::string::npos);
  EXPECT_FALSE(app->validate_block(next({first})).ok());
  EXPECT_FALSE(app->commit_block(next({third})).ok());
  ASSERT_TRUE(commit({record(6)}).ok());
  auto visits = store->transactions_by_serial(c.serial_of(1));
  ASSERT_TRUE(visits.ok());
  EXPECT_EQ(visits->size(), 1u);
  // Also after a restart (the index is in the store).
  start();
  Status after_restart = app->check_tx(first);
  ASSERT_FALSE(after_restart.ok());
  EXPECT_EQ(after_restart.code(), ErrorCode::kAlreadyExists);
}

TEST_F(AppTest, RestartRestoresEpochsAndState) {
  ASSERT_TRUE(commit({c.revocation_tx(1)}).ok());
  ASSERT_TRUE(commit({record(5, 1)}).ok());
  Digest hash = app->app_hash();
  // A fresh verifier (as after a process restart) learns the epoch from the store.
  testing::FakeGroupVerifier fresh(c.genesis().group_public_key);
  app.reset();
  auto restarted = HealthchainApp::start(*store, fresh, c.certificates());
  ASSERT_TRUE(restarted.ok());
  EXPECT_EQ((*restarted)->epoch().epoch, 1u);
  EXPECT_EQ(fresh.latest_epoch(), 1u);
  EXPECT_EQ((*restarted)->app_hash(), hash);
  EXPECT_TRUE((*restarted)->check_tx(c.encode_signed_record(c.serial_of(6), 1)).ok());
}

TEST_F(AppTest, QueriesAnswerFromTheStore) {
  Bytes r = record(42);
  ASSERT_TRUE(commit({r, c.audit_tx(c.serial_of(42), 77, "billing")}).ok());
  auto tip = app->query("tip");
  ASSERT_TRUE(tip.ok());
  EXPECT_EQ((*tip)["height"], "2");
  auto visits = app->query("serial/" + digest_hex(c.serial_of(42)));
  ASSERT_TRUE(visits.ok()) << visits.status().to_string();
  ASSERT_EQ(visits->size(), 2u);
  EXPECT_EQ((*visits)[0]["tx"]["kind"], "record");
  EXPECT_EQ((*visits)[1]["tx"]["purpose"], "billing");
  auto tx = app->query("tx/" + digest_hex(transaction_id(r)));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)["location"]["index"], 0);
  EXPECT_TRUE(app->query("envelope_key/" + digest_hex(c.envelope_key_id())).ok());
  EXPECT_TRUE(app->query("block/2").ok());
  EXPECT_EQ(app->query("block/3").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(app->query("tx/" + digest_hex(sha256(as_bytes("x")))).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(app->query("serial/zz").status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(app->query("nonsense").status().code(), ErrorCode::kInvalidInput);
}

TEST(PendingRecordsTest, ClaimsAreBoundedKeptAndReleased) {
  auto d = [](int i) { return sha256(as_bytes("content " + std::to_string(i))); };
  PendingRecords pending(3);
  for (int i = 0; i < 5; ++i) pending.claim(d(i), d(100 + i), 0);
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_FALSE(pending.claimant(d(1)).has_value());  // the oldest claims are forgotten first
  ASSERT_TRUE(pending.claimant(d(4)).has_value());
  pending.claim(d(4), d(999), 0);                    // the first claim stands
  EXPECT_EQ(*pending.claimant(d(4)), d(104));
  pending.release(d(4));
  EXPECT_FALSE(pending.claimant(d(4)).has_value());
  pending.claim(d(5), d(105), 1);
  pending.release_epochs_before(1);
  EXPECT_EQ(pending.size(), 1u);
  EXPECT_TRUE(pending.claimant(d(5)).has_value());
  for (int i = 0; i < 1000; ++i) {  // churn: claims and releases keep within the bound
    pending.claim(d(1000 + i), d(i), 1);
    if (i % 2 == 1) pending.release(d(1000 + i));
  }
  EXPECT_LE(pending.size(), 3u);
  EXPECT_TRUE(pending.claimant(d(1998)).has_value());
}

// Regression: two enrollments of one name (with different registry entries), or two
// revocations to the next epoch, were each valid against the committed state, both were
// admitted and the block holding both was refused by every replica.
TEST_F(AppTest, RegressionConflictingManagerTransactionsNeverShareAProposedBlock) {
  const Bytes enroll_a = encode_transaction(c.signed_manager(EnrollmentTx{"hospital-b", Bytes(96, 0x11), {}}));
  const Bytes enroll_b = encode_transaction(c.signed_manager(EnrollmentTx{"hospital-b", Bytes(96, 0x22), {}}));
  const std::string other = "REVOKE another member";
  const Bytes revoke_a = c.revocation_tx(1);
  const Bytes revoke_b = encode_transaction(c.signed_manager(RevocationTx{1, Bytes(other.begin(), other.end()), {}}));
  ASSERT_TRUE(app->check_tx(enroll_a).ok());
  Status enroll_refused = app->check_tx(enroll_b);
  EXPECT_TRUE(!enroll_refused.ok() && enroll_refused.code() == ErrorCode::kAlreadyExists) << enroll_refused.to_string();
  ASSERT_TRUE(app->check_tx(revoke_a).ok());
  Status revoke_refused = app->check_tx(revoke_b);
  EXPECT_TRUE(!revoke_refused.ok() && revoke_refused.code() == ErrorCode::kAlreadyExists) << revoke_refused.to_string();
  const std::vector<Bytes> block = proposed_block(*app, {enroll_a, enroll_b, revoke_a, revoke_b});
  Status valid = app->validate_block(next(block));
  ASSERT_TRUE(valid.ok()) << valid.to_string();  // the block the primary built
  EXPECT_EQ(block.size(), 2u);
  ASSERT_TRUE(commit(block).ok());
  EXPECT_EQ(app->epoch().epoch, 1u);
  EXPECT_NE(app->check_tx(enroll_b).to_string().find("already enrolled"), std::string::npos);
}

}  // namespace
}  // namespace hc::chain
