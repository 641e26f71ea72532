// Issue 13 item 4 on the ledger: version-2 records group-signed with BBS04-ElGamal under the
// opener key the trustees generated in the record's key epoch, checked by the real verifier
// (Bbs04RecordVerifier), which learns each epoch's opener key from the committed transcript.
// Accepted under the right key; refused under another opener key, tampered, on a key epoch
// without an opener key, or on a version-1 record; learned again after a restart and by
// `hc chain verify`'s walk.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "chain/formed_access_key.h"
#include "chain/forwarding_verifier.h"
#include "chain/limits.h"
#include "chain/proposed_block.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;

crypto::SerialNumber elgamal_test_serial(const Serial& s) {
  crypto::SerialNumber out{};
  std::copy(s.begin(), s.end(), out.begin());
  return out;
}

// The real verifier behind a wrapper that counts how BBS04-ElGamal signatures reach it: one by
// one or in batches (issue 18 item 2).
class BatchCountingVerifier final : public testing::ForwardingRecordVerifier {
 public:
  explicit BatchCountingVerifier(Bbs04RecordVerifier& inner) : ForwardingRecordVerifier(inner) {}
  Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                 ByteSpan signature) const override {
    ++singles;
    return ForwardingRecordVerifier::verify_under_opener_key(epoch, key_epoch, digest, signature);
  }
  std::vector<Status> verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const override {
    ++batches;
    batch_items += checks.size();
    return inner().verify_under_opener_keys(checks);
  }

  mutable std::atomic<std::size_t> singles{0}, batches{0}, batch_items{0};
};

// A trustees chain whose application checks group signatures with the real verifier.
struct ElGamalChain {
  explicit ElGamalChain(const std::string& dir, bool with_opener_deals = true) : chain(4, 3, dir) {
    restart();
    auto keys = testing::form_trustee_keys(chain, 3, with_opener_deals);
    HC_CHECK(keys.ok());
    access_key = keys->access_key;
    if (keys->opener_key) h = keys->opener_key->h;
  }
  // A fresh verifier and application over the same store, as at a node's start.
  void restart() {
    chain.app.reset();
    verifier = Bbs04RecordVerifier::create(chain.c.genesis().group_public_key).value();
    counting = std::make_unique<BatchCountingVerifier>(*verifier);
    chain.app = HealthchainApp::start(*chain.store, *counting, chain.c.certificates()).value();
  }
  // A version-2 record sealed to the access key, group-signed by `member` under opener key `key`.
  Bytes record(const groupsig::MemberKey& member, const bls12_381::G1& key, std::uint8_t nonce) {
    return record_in(member.gpk.epoch, member, key, nonce);
  }
  Bytes record_in(std::uint64_t epoch, const groupsig::MemberKey& member, const bls12_381::G1& key,
                  std::uint8_t nonce) {
    RecordTx r = unsigned_record(epoch, nonce);
    eg::MemberKey signer = eg::member_key_with_opener_key(member, key).value();
    r.group_signature = eg::encode_signature(eg::sign(signer, span_of(record_signing_digest(r))));
    return encode_transaction(r);
  }
  // The same record signed with plain BBS04 under the genesis group key (whose opener key a
  // single party could hold).
  Bytes bbs04_record(const groupsig::MemberKey& member, std::uint8_t nonce) {
    RecordTx r = unsigned_record(member.gpk.epoch, nonce);
    r.group_signature = groupsig::encode_signature(groupsig::sign(member, span_of(record_signing_digest(r))));
    return encode_transaction(r);
  }
  RecordTx unsigned_record(std::uint64_t epoch, std::uint8_t nonce) {
    auto sealed = crypto::seal_payload_v2_with(Bytes{'v', 'i', 's', 'i', 't'}, elgamal_test_serial(chain.c.serial_of(1)),
                                               access_key.group_key, P256Scalar::random_nonzero(), crypto::GcmNonce{nonce})
                      .value();
    RecordTx r;
    r.sealed = chain_record_of(sealed).value();
    r.epoch = epoch;
    return r;
  }

  TrusteesChain chain;
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<BatchCountingVerifier> counting;  // what the application calls, over `verifier`
  th::AccessKeyPublic access_key;
  bls12_381::G1 h;
};

// The issuer's side of the chains' group (TrusteesChain's genesis key), and one hospital.
groupsig::MemberKey elgamal_test_member() {
  return testing::trustees_chain_member("northgate");
}

TEST(TrusteesElGamalRecords, ARecordSignedUnderTheTrusteesOpenerKeyIsCommittedAndVerified) {
  ElGamalChain e("elgamal-ok");
  ASSERT_FALSE(e.h.is_identity());
  EXPECT_EQ(e.verifier->opener_key_epochs(), std::vector<std::uint64_t>{0});
  const Bytes tx = e.record(elgamal_test_member(), e.h, 1);
  ASSERT_TRUE(is_elgamal_group_signature(std::get<RecordTx>(decode_transaction(tx).value()).group_signature));
  Status admitted = e.chain.app->check_tx_verified(tx);
  ASSERT_TRUE(admitted.ok()) << admitted.to_string();
  ASSERT_TRUE(e.chain.commit({tx}).ok());

  // A restarted node learns the opener key from the store, and so does `hc chain verify`.
  e.restart();
  EXPECT_EQ(e.verifier->opener_key_epochs(), std::vector<std::uint64_t>{0});
  const Bytes next = e.record(elgamal_test_member(), e.h, 2);
  EXPECT_TRUE(e.chain.app->check_tx_verified(next).ok()) << e.chain.app->check_tx_verified(next).to_string();
  auto walker = Bbs04RecordVerifier::create(e.chain.c.genesis().group_public_key).value();
  auto report = verify_chain(*e.chain.store, e.chain.c.certificates(), walker.get());
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->group_signatures_checked, 1u);
}

TEST(TrusteesElGamalRecords, SignaturesUnderAnotherOpenerKeyOrTamperedAreRefused) {
  ElGamalChain e("elgamal-refused");
  // The opener key a single party would hold (setup's): the signature does not verify.
  const eg::Setup own = eg::setup();
  const Bytes other_key = e.record(elgamal_test_member(), own.gpk.h, 3);
  Status s = e.chain.app->check_tx_verified(other_key);
  EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << s.to_string();
  // Every 13th byte of a good signature flipped: never accepted.
  const Bytes good = e.record(elgamal_test_member(), e.h, 4);
  RecordTx r = std::get<RecordTx>(decode_transaction(good).value());
  for (std::size_t i = 4; i < r.group_signature.size(); i += 13) {
    RecordTx altered = r;
    altered.group_signature[i] ^= 0x01;
    EXPECT_FALSE(e.chain.app->check_tx_verified(encode_transaction(altered)).ok()) << "signature byte " << i;
  }
  // The record's other fields are signed too: another nonce, same signature.
  RecordTx moved = r;
  moved.sealed.nonce[0] ^= 0x01;
  EXPECT_FALSE(e.chain.app->check_tx_verified(encode_transaction(moved)).ok());
  // A BBS04-ElGamal signature on a version-1 record is refused by the check itself.
  RecordTx v1 = r;
  v1.sealed.envelope_version = kRecordEnvelopeV1;
  v1.sealed.ephemeral_key = {};
  Status on_v1 = verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), v1);
  EXPECT_EQ(on_v1.code(), ErrorCode::kInvalidInput) << on_v1.to_string();
}

// Regression (issue 13): a version-2 record signed with plain BBS04 was accepted, so whoever held
// the genesis key's BBS04 opener secret could unmask its hospital without the trustees.
TEST(TrusteesElGamalRecords, AVersion2RecordWithAPlainBbs04SignatureIsRefused) {
  ElGamalChain e("elgamal-bbs04-refused");
  const Bytes tx = e.bbs04_record(elgamal_test_member(), 8);
  const RecordTx r = std::get<RecordTx>(decode_transaction(tx).value());
  ASSERT_FALSE(is_elgamal_group_signature(r.group_signature));
  Status s = e.chain.app->check_tx_verified(tx);
  ASSERT_FALSE(s.ok()) << "a BBS04-signed version-2 record was accepted";
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << s.to_string();
  EXPECT_NE(s.message().find("BBS04-ElGamal"), std::string::npos) << s.to_string();
  EXPECT_FALSE(e.chain.validate({tx}).ok());
  // The same verdict from the function `hc chain verify` uses, on every call.
  const Status first = verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), r);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.code(), ErrorCode::kInvalidInput) << first.to_string();
  EXPECT_EQ(verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), r).message(), first.message());
}

TEST(TrusteesElGamalRecords, AfterARevocationTheNewEpochsKeyWithTheSameOpenerKeyChecksRecords) {
  ElGamalChain e("elgamal-revocation");
  groupsig::GroupSetup& group = testing::trustees_chain_group();
  const groupsig::MemberKey stays = elgamal_test_member();
  ASSERT_TRUE(groupsig::enroll(group.issuer, group.gpk, group.registry, "southgate").ok());
  auto revoked = groupsig::revoke(group.issuer, group.gpk, group.registry, "southgate");
  ASSERT_TRUE(revoked.ok()) << revoked.status().to_string();
  const Bytes revocation = e.chain.manager_signed(RevocationTx{1, groupsig::encode_revocation(revoked->record), {}});
  ASSERT_TRUE(e.chain.commit({revocation}).ok());
  const groupsig::MemberKey updated = groupsig::update_member_key(stays, revoked->record).value();
  ASSERT_EQ(updated.gpk.epoch, 1u);
  const Bytes in_epoch_1 = e.record(updated, e.h, 6);
  Status s = e.chain.app->check_tx_verified(in_epoch_1);
  EXPECT_TRUE(s.ok()) << s.to_string();
  // Signed with the epoch-0 key but claiming epoch 1: the old key no longer verifies.
  Status stale = e.chain.app->check_tx_verified(e.record_in(1, stays, e.h, 7));
  EXPECT_FALSE(stale.ok());
  ASSERT_TRUE(e.chain.commit({in_epoch_1}).ok());
  auto walker = Bbs04RecordVerifier::create(e.chain.c.genesis().group_public_key).value();
  auto report = verify_chain(*e.chain.store, e.chain.c.certificates(), walker.get());
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
}

TEST(TrusteesElGamalRecords, AKeyEpochWithoutAnOpenerKeyTakesNoElGamalRecord) {
  ElGamalChain e("elgamal-no-opener", /*with_opener_deals=*/false);
  EXPECT_TRUE(e.verifier->opener_key_epochs().empty());
  const eg::Setup own = eg::setup();
  Status s = e.chain.app->check_tx_verified(e.record(elgamal_test_member(), own.gpk.h, 5));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("has no trustees' opener key"), std::string::npos) << s.to_string();
}

// Issue 18 item 2: a block's records are verified as batches (one per worker of the
// application's pool and key), not one by one, and `hc chain verify` does the same.
TEST(TrusteesElGamalRecords, ABlockOfGoodRecordsIsVerifiedInBatchesAndAccepted) {
  ElGamalChain e("elgamal-batch-ok");
  std::vector<Bytes> txs;
  for (std::uint8_t n = 0; n < 12; ++n) txs.push_back(e.record(elgamal_test_member(), e.h, 20 + n));
  Status s = e.chain.validate(txs);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(e.counting->singles.load(), 0u);
  EXPECT_EQ(e.counting->batch_items.load(), 12u);
  EXPECT_LE(e.counting->batches.load(), kVerificationThreads);
  ASSERT_TRUE(e.chain.commit(txs).ok());
  auto inner = Bbs04RecordVerifier::create(e.chain.c.genesis().group_public_key).value();
  BatchCountingVerifier walker(*inner);
  auto report = verify_chain(*e.chain.store, e.chain.c.certificates(), &walker);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->group_signatures_checked, 12u);
  EXPECT_EQ(walker.singles.load(), 0u);
  EXPECT_EQ(walker.batches.load(), 1u);  // one block with records
  EXPECT_EQ(walker.batch_items.load(), 12u);
}

// Issue 18 item 2: one bad signature among many fails the batch; the fallback names it, and the
// block is refused with the reason the record's own check gives.
TEST(TrusteesElGamalRecords, ABlockWithOneBadSignatureAmongManyIsRefusedNamingThatRecord) {
  ElGamalChain e("elgamal-batch-bad");
  const eg::Setup own = eg::setup();
  for (std::size_t bad_at : {std::size_t{7}, std::size_t{0}}) {
    std::vector<Bytes> txs;
    for (std::uint8_t n = 0; n < 12; ++n) {
      const std::uint8_t nonce = static_cast<std::uint8_t>(40 + 12 * bad_at + n);
      // The bad one: a well-formed signature under an opener key that is not the trustees'.
      txs.push_back(e.record(elgamal_test_member(), n == bad_at ? own.gpk.h : e.h, nonce));
    }
    const RecordTx bad = std::get<RecordTx>(decode_transaction(txs[bad_at]).value());
    const Status alone = verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), bad);
    ASSERT_EQ(alone.code(), ErrorCode::kAuthFailed) << alone.to_string();
    Status s = e.chain.validate(txs);
    ASSERT_FALSE(s.ok()) << "a block with a bad signature at " << bad_at << " was accepted";
    EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << s.to_string();
    EXPECT_EQ(s.message(), "transaction " + std::to_string(bad_at) + ": " + alone.message()) << s.to_string();
    std::cout << "refused: " << s.to_string() << "\n";
    // Without the bad record the block is good.
    txs.erase(txs.begin() + static_cast<std::ptrdiff_t>(bad_at));
    EXPECT_TRUE(e.chain.validate(txs).ok());
  }
  // A malformed signature (a byte of T1 changed, so it does not decode) at 4 among 12.
  std::vector<Bytes> txs;
  for (std::uint8_t n = 0; n < 12; ++n) txs.push_back(e.record(elgamal_test_member(), e.h, 90 + n));
  RecordTx broken = std::get<RecordTx>(decode_transaction(txs[4]).value());
  broken.group_signature[14 + 20] ^= 0x5a;
  txs[4] = encode_transaction(broken);
  const Status alone = verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), broken);
  ASSERT_EQ(alone.code(), ErrorCode::kInvalidInput) << alone.to_string();
  Status s = e.chain.validate(txs);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << s.to_string();
  EXPECT_EQ(s.message(), "transaction 4: " + alone.message()) << s.to_string();
  std::cout << "refused: " << s.to_string() << "\n";
  EXPECT_EQ(e.counting->singles.load(), 0u);  // the application only ever called the batch
}

// Issue 18 items 2 and 4: records are admitted without a pairing and verified with their block.
// 100 records, one of them signed under an opener key that is not the trustees': every one is
// admitted; the primary's deferred checks (batches, the fallback) name it and its block is the
// 99 others, verified once; a replica that never saw them refuses the block of 100 naming it.
TEST(TrusteesElGamalRecords, RegressionAPrimaryDropsTheOneBadSignatureAmongAHundredAndReplicasRefuseIt) {
  ElGamalChain e("elgamal-deferred");
  const eg::Setup own = eg::setup();
  constexpr std::size_t kBadAt = 63;
  std::vector<Bytes> arrivals;
  for (std::size_t n = 0; n < 100; ++n) {
    arrivals.push_back(e.record(elgamal_test_member(), n == kBadAt ? own.gpk.h : e.h, static_cast<std::uint8_t>(n)));
  }
  for (const Bytes& tx : arrivals) ASSERT_TRUE(e.chain.app->check_tx(tx).ok());
  EXPECT_EQ(e.counting->singles.load() + e.counting->batch_items.load(), 0u);  // no pairing at admission
  EXPECT_EQ(e.chain.app->check_deferred(arrivals), std::vector<std::size_t>{kBadAt});
  EXPECT_EQ(e.counting->singles.load(), 0u);  // batches only, the fallback inside them
  EXPECT_EQ(e.counting->batch_items.load(), 100u);
  const std::vector<Bytes> block = testing::proposed_block(*e.chain.app, arrivals);
  ASSERT_EQ(block.size(), 99u);
  EXPECT_TRUE(e.chain.validate(block).ok());
  EXPECT_EQ(e.counting->batch_items.load(), 100u);  // the proposal's verdicts, cached
  // A replica with an empty cache: one verification of each, in batches.
  e.restart();
  Status refused = e.chain.validate(arrivals);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kAuthFailed) << refused.to_string();
  EXPECT_EQ(refused.message().rfind("transaction " + std::to_string(kBadAt) + ": group signature", 0), 0u)
      << refused.to_string();
  EXPECT_TRUE(e.chain.validate(block).ok());
  EXPECT_EQ(e.counting->batch_items.load(), 100u);
  EXPECT_EQ(e.counting->singles.load(), 0u);
}

// Issue 18 item 2: a block large enough for each worker's batch to decode its G1 points
// together (at least 32 signatures per batch: one randomized subgroup test for all of them)
// refuses a record whose R2 is on the curve but outside G1, naming it with the reason its own
// check gives, and accepts the block without it.
TEST(TrusteesElGamalRecords, ABlockWithAPointOutsideG1AmongManyIsRefusedNamingThatRecord) {
  ElGamalChain e("elgamal-batch-subgroup");
  constexpr std::size_t kRecords = 80;  // 40 per worker of the 2-thread pool
  constexpr std::size_t kBadAt = 53;
  std::vector<Bytes> txs;
  for (std::size_t n = 0; n < kRecords; ++n) {
    txs.push_back(e.record(elgamal_test_member(), e.h, static_cast<std::uint8_t>(150 + n)));
  }
  RecordTx bad = std::get<RecordTx>(decode_transaction(txs[kBadAt]).value());
  const std::size_t r2_last = 14 + 3 * 48 + 47;  // the last byte of R2's x
  const Bytes original = bad.group_signature;
  bool found = false;
  for (unsigned d = 1; d < 256 && !found; ++d) {
    bad.group_signature = original;
    bad.group_signature[r2_last] ^= static_cast<std::uint8_t>(d);
    const auto decoded = eg::decode_signature(bad.group_signature);
    found = !decoded.ok() &&
            decoded.status().message().find("not in the prime-order subgroup") != std::string::npos;
  }
  ASSERT_TRUE(found);
  txs[kBadAt] = encode_transaction(bad);
  const Status alone = verify_record_signature(*e.verifier, StoreTrusteeView(*e.chain.store), bad);
  ASSERT_EQ(alone.code(), ErrorCode::kInvalidInput) << alone.to_string();
  Status s = e.chain.validate(txs);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << s.to_string();
  EXPECT_EQ(s.message(), "transaction " + std::to_string(kBadAt) + ": " + alone.message())
      << s.to_string();
  txs.erase(txs.begin() + static_cast<std::ptrdiff_t>(kBadAt));
  Status without = e.chain.validate(txs);
  EXPECT_TRUE(without.ok()) << without.to_string();
  EXPECT_EQ(e.counting->singles.load(), 0u);  // the application only ever called the batch
}

// Issue 18 item 2: checks under several keys are batched per (epoch, key epoch) and each keeps
// the status the one-by-one check gives it.
TEST(TrusteesElGamalRecords, BatchedChecksUnderSeveralEpochsAndKeyEpochsGetTheirOwnVerdicts) {
  ElGamalChain e("elgamal-batch-grouped");
  groupsig::GroupSetup& group = testing::trustees_chain_group();
  const groupsig::MemberKey stays = elgamal_test_member();
  ASSERT_TRUE(groupsig::enroll(group.issuer, group.gpk, group.registry, "westgate").ok());
  auto revoked = groupsig::revoke(group.issuer, group.gpk, group.registry, "westgate");
  ASSERT_TRUE(revoked.ok()) << revoked.status().to_string();
  const Bytes revocation = e.chain.manager_signed(RevocationTx{1, groupsig::encode_revocation(revoked->record), {}});
  ASSERT_TRUE(e.chain.commit({revocation}).ok());
  const groupsig::MemberKey updated = groupsig::update_member_key(stays, revoked->record).value();
  const eg::Setup own = eg::setup();
  std::vector<RecordTx> records;
  std::vector<std::uint64_t> key_epochs;
  auto add = [&](const Bytes& tx, std::uint64_t key_epoch) {
    records.push_back(std::get<RecordTx>(decode_transaction(tx).value()));
    key_epochs.push_back(key_epoch);
  };
  add(e.record(updated, e.h, 60), 0);             // epoch 1: good
  add(e.record(stays, e.h, 61), 0);               // epoch 0: good
  add(e.record_in(1, stays, e.h, 62), 0);         // a record of epoch 1 with an epoch-0 signature
  add(e.record(updated, e.h, 63), 3);             // key epoch 3 has no opener key
  add(e.record(stays, own.gpk.h, 64), 0);         // epoch 0, another opener key
  add(e.record(updated, e.h, 65), 0);             // epoch 1: good
  add(e.record(stays, e.h, 66), 0);               // epoch 0: good
  std::vector<OpenerKeyCheck> checks;
  for (std::size_t i = 0; i < records.size(); ++i) {
    checks.push_back({records[i].epoch, key_epochs[i], record_signing_digest(records[i]), records[i].group_signature});
  }
  const std::vector<Status> batched = e.verifier->verify_under_opener_keys(checks);
  ASSERT_EQ(batched.size(), checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const Status alone = e.verifier->verify_under_opener_key(checks[i].epoch, checks[i].key_epoch, checks[i].digest,
                                                             checks[i].signature);
    EXPECT_EQ(batched[i].to_string(), alone.to_string()) << "check " << i;
  }
  for (std::size_t good : {0, 1, 5, 6}) EXPECT_TRUE(batched[good].ok()) << good << ": " << batched[good].to_string();
  EXPECT_EQ(batched[2].code(), ErrorCode::kInvalidInput);  // its signature says epoch 0
  EXPECT_EQ(batched[3].code(), ErrorCode::kNotFound);
  EXPECT_EQ(batched[4].code(), ErrorCode::kAuthFailed);
}

}  // namespace
}  // namespace hc::chain
