// Issue 13 item 4 on the ledger: version-2 records group-signed with BBS04-ElGamal under the
// opener key the trustees generated in the record's key epoch, checked by the real verifier
// (Bbs04RecordVerifier), which learns each epoch's opener key from the committed transcript.
// Accepted under the right key; refused under another opener key, tampered, on a key epoch
// without an opener key, or on a version-1 record; learned again after a restart and by
// `hc chain verify`'s walk.
#include <gtest/gtest.h>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "chain/limits.h"
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

// A trustees chain whose application checks group signatures with the real verifier.
struct ElGamalChain {
  explicit ElGamalChain(const std::string& dir, bool with_opener_deals = true) : chain(4, 3, dir) {
    restart();
    std::vector<Bytes> txs;
    for (std::uint16_t i = 1; i <= 3; ++i) {
      const th::DkgDeal deal = th::make_deal(chain.params(), i).value();
      txs.push_back(with_opener_deals ? chain.deal_tx(deal, th::make_opener_deal(chain.opener_params(), i).value())
                                      : chain.deal_tx(deal));
    }
    HC_CHECK(chain.commit(txs).ok());
    chain.advance_to(2 * kDkgWindowBlocks + 1);
    access_key = read_current_access_key(StoreTrusteeView(*chain.store)).value()->formed->key;
    auto opener = read_opener_key(StoreTrusteeView(*chain.store), 0).value();
    if (opener && opener->formed) h = opener->formed->key.h;
  }
  // A fresh verifier and application over the same store, as at a node's start.
  void restart() {
    chain.app.reset();
    verifier = Bbs04RecordVerifier::create(chain.c.genesis().group_public_key).value();
    chain.app = HealthchainApp::start(*chain.store, *verifier, chain.c.certificates()).value();
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
  Status admitted = e.chain.app->check_tx(tx);
  ASSERT_TRUE(admitted.ok()) << admitted.to_string();
  ASSERT_TRUE(e.chain.commit({tx}).ok());

  // A restarted node learns the opener key from the store, and so does `hc chain verify`.
  e.restart();
  EXPECT_EQ(e.verifier->opener_key_epochs(), std::vector<std::uint64_t>{0});
  const Bytes next = e.record(elgamal_test_member(), e.h, 2);
  EXPECT_TRUE(e.chain.app->check_tx(next).ok()) << e.chain.app->check_tx(next).to_string();
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
  Status s = e.chain.app->check_tx(other_key);
  EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << s.to_string();
  // Every 13th byte of a good signature flipped: never accepted.
  const Bytes good = e.record(elgamal_test_member(), e.h, 4);
  RecordTx r = std::get<RecordTx>(decode_transaction(good).value());
  for (std::size_t i = 4; i < r.group_signature.size(); i += 13) {
    RecordTx altered = r;
    altered.group_signature[i] ^= 0x01;
    EXPECT_FALSE(e.chain.app->check_tx(encode_transaction(altered)).ok()) << "signature byte " << i;
  }
  // The record's other fields are signed too: another nonce, same signature.
  RecordTx moved = r;
  moved.sealed.nonce[0] ^= 0x01;
  EXPECT_FALSE(e.chain.app->check_tx(encode_transaction(moved)).ok());
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
  Status s = e.chain.app->check_tx(tx);
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
  Status s = e.chain.app->check_tx(in_epoch_1);
  EXPECT_TRUE(s.ok()) << s.to_string();
  // Signed with the epoch-0 key but claiming epoch 1: the old key no longer verifies.
  Status stale = e.chain.app->check_tx(e.record_in(1, stays, e.h, 7));
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
  Status s = e.chain.app->check_tx(e.record(elgamal_test_member(), own.gpk.h, 5));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("has no trustees' opener key"), std::string::npos) << s.to_string();
}

}  // namespace
}  // namespace hc::chain
