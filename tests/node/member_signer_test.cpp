// node::MemberSigner in each mode (issue 13): on a trustees chain a version-2 record is signed
// with BBS04-ElGamal under the opener key of its key epoch and verifies there; a record whose
// key epoch has no opener key, whose key id names no formed key, or whose version the chain's
// mode refuses, is refused with one line and left unsigned; single-manager signing (version 1,
// BBS04) is unchanged.
#include <gtest/gtest.h>

#include "chain/bbs04_record_verifier.h"
#include "chain/limits.h"
#include "chain/manager_opener_key.h"
#include "chain/ledger_store.h"
#include "chain/test_chain.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "node/member_signer.h"

namespace hc::node {
namespace {

namespace th = crypto::threshold;
using chain::testing::TrusteesChain;

std::unique_ptr<groupsig::MemberKey> member_signer_test_key() {
  return std::make_unique<groupsig::MemberKey>(chain::testing::trustees_chain_member("member-signer-test"));
}

// A trustees chain whose key epoch 0 formed, with or without the trustees' opener key, and a
// version-2 record sealed to its access key.
struct SignerChain {
  explicit SignerChain(const std::string& dir, bool with_opener_deals) : chain(4, 3, dir) {
    std::vector<Bytes> txs;
    for (std::uint16_t i = 1; i <= 3; ++i) {
      const th::DkgDeal deal = th::make_deal(chain.params(), i).value();
      txs.push_back(with_opener_deals ? chain.deal_tx(deal, th::make_opener_deal(chain.opener_params(), i).value())
                                      : chain.deal_tx(deal));
    }
    HC_CHECK(chain.commit(txs).ok());
    chain.advance_to(2 * chain::kDkgWindowBlocks + 1);
    const auto key = chain::read_current_access_key(chain::StoreTrusteeView(*chain.store)).value()->formed->key;
    crypto::SerialNumber serial{};
    const chain::Serial s = chain.c.serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    record.sealed = chain::chain_record_of(crypto::seal_payload_v2_with(Bytes{'v'}, serial, key.group_key,
                                                                        crypto::P256Scalar::random_nonzero(),
                                                                        crypto::GcmNonce{3})
                                               .value())
                        .value();
  }
  TrusteesChain chain;
  chain::RecordTx record;
};

TEST(MemberSignerTest, ATrusteesRecordIsSignedWithElGamalUnderTheOpenerKeyOfItsKeyEpoch) {
  SignerChain c("signer-elgamal", true);
  MemberSigner signer(member_signer_test_key());
  const chain::StoreTrusteeView view(*c.chain.store);
  chain::RecordTx r = c.record;
  Status s = signer.sign(r, 0, view);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(chain::is_elgamal_group_signature(r.group_signature));
  auto verifier = chain::Bbs04RecordVerifier::create(c.chain.c.genesis().group_public_key).value();
  ASSERT_TRUE(verifier->refresh_opener_keys(view).ok());
  Status verified = chain::verify_record_signature(*verifier, view, r);
  EXPECT_TRUE(verified.ok()) << verified.to_string();
  // The cached signer gives a fresh signature each time, still valid.
  chain::RecordTx again = c.record;
  ASSERT_TRUE(signer.sign(again, 0, view).ok());
  EXPECT_NE(again.group_signature, r.group_signature);
  EXPECT_TRUE(chain::verify_record_signature(*verifier, view, again).ok());
}

TEST(MemberSignerTest, AKeyEpochWithoutAnOpenerKeyOrAnUnknownKeyIdIsRefusedUnsigned) {
  SignerChain c("signer-no-opener", false);
  MemberSigner signer(member_signer_test_key());
  const chain::StoreTrusteeView view(*c.chain.store);
  chain::RecordTx r = c.record;
  Status s = signer.sign(r, 0, view);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << s.to_string();
  EXPECT_NE(s.message().find("key epoch 0 has no trustees' opener key"), std::string::npos) << s.to_string();
  EXPECT_TRUE(r.group_signature.empty());

  chain::RecordTx stray = c.record;
  stray.sealed.key_id[0] ^= 0x01;
  Status unknown = signer.sign(stray, 0, view);
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidInput) << unknown.to_string();
  EXPECT_NE(unknown.message().find("is not the id of an access key formed on this chain"), std::string::npos);
  EXPECT_TRUE(stray.group_signature.empty());
}

TEST(MemberSignerTest, EachModeRefusesTheOtherModesEnvelopeAndVersion1StaysBbs04) {
  SignerChain c("signer-modes", true);
  MemberSigner signer(member_signer_test_key());
  const chain::StoreTrusteeView view(*c.chain.store);
  chain::RecordTx v1 = c.chain.c.make_record(c.chain.c.serial_of(1), 0);
  v1.group_signature.clear();
  Status on_trustees = signer.sign(v1, 0, view);
  EXPECT_EQ(on_trustees.code(), ErrorCode::kInvalidInput) << on_trustees.to_string();
  EXPECT_NE(on_trustees.message().find("envelope version 1 is refused on a trustees-mode chain"), std::string::npos);
  EXPECT_TRUE(v1.group_signature.empty());
  // Without the ledger, from a single-manager genesis without the manager's opener key (version
  // 3 / 5): version 1 gets BBS04, version 2 is refused.
  chain::Genesis single = view.genesis();
  single.access_mode = chain::AccessMode::kSingleManager;
  ASSERT_TRUE(signer.sign(v1, 0, single).ok());
  EXPECT_TRUE(groupsig::decode_signature(v1.group_signature).ok());
  chain::RecordTx v2 = c.record;
  EXPECT_EQ(signer.sign(v2, 0, single).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(v2.group_signature.empty());
  // The member key's epoch must be the chain's.
  EXPECT_EQ(signer.sign(v2, 1, view).code(), ErrorCode::kUnavailable);
}

// A joined hospital's node starts without a member key (it comes with its enrollment on the
// chain): it refuses to sign, unsigned, until the key is installed, once.
TEST(MemberSignerTest, WithoutAKeyItRefusesToSignUntilOneIsInstalledOnce) {
  SignerChain c("signer-awaiting", true);
  MemberSigner signer(nullptr);
  EXPECT_FALSE(signer.has_key());
  EXPECT_EQ(signer.epoch(), 0u);
  EXPECT_EQ(signer.member_name(), "");
  chain::RecordTx v1 = c.chain.c.make_record(c.chain.c.serial_of(1), 0);
  v1.group_signature.clear();
  chain::Genesis single = c.chain.c.genesis();
  single.access_mode = chain::AccessMode::kSingleManager;
  const Status refused = signer.sign(v1, 0, single);
  EXPECT_EQ(refused.code(), ErrorCode::kUnavailable);
  EXPECT_NE(refused.message().find("no group member key yet"), std::string::npos) << refused.to_string();
  EXPECT_TRUE(v1.group_signature.empty());
  signer.apply_revocation(1, Bytes(8, 0));  // nothing to update without a key: ignored
  EXPECT_FALSE(signer.revoked());
  ASSERT_TRUE(signer.install_key(member_signer_test_key()).ok());
  EXPECT_TRUE(signer.has_key());
  EXPECT_EQ(signer.member_name(), "member-signer-test");
  ASSERT_TRUE(signer.sign(v1, 0, single).ok());
  EXPECT_FALSE(v1.group_signature.empty());
  EXPECT_EQ(signer.install_key(member_signer_test_key()).code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace hc::node

namespace hc::node {
namespace {

// Issue 18 items 2 and 4: on a single-manager chain of genesis version 7 a version-1 record is
// signed BBS04-ElGamal under the manager's opener key from the genesis, and verifies there.
TEST(MemberSignerTest, OnAVersion7SingleManagerChainAVersion1RecordIsSignedUnderTheManagersOpenerKey) {
  groupsig::GroupSetup group = groupsig::setup();
  chain::testing::TestConsortium c(4, groupsig::encode_gpk(group.gpk));
  const auto fresh = groupsig::elgamal::new_opener_key(group.gpk.u);
  chain::Genesis g = c.genesis();
  ASSERT_TRUE(chain::attach_manager_opener_key(g, fresh.opener).ok());
  c.use_manager_opener_key(*g.manager_opener_key);
  auto member = groupsig::enroll(group.issuer, group.gpk, group.registry, "hospital-a").value();
  MemberSigner signer(std::make_unique<groupsig::MemberKey>(member));
  chain::testing::TempDir dir("signer-manager-opener");
  auto store = chain::LedgerStore::create(dir.path(), c.genesis()).value();
  const chain::StoreTrusteeView view(*store);
  chain::RecordTx r = c.make_record(c.serial_of(1), 0);
  r.group_signature.clear();
  Status s = signer.sign(r, 0, view);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_TRUE(chain::is_elgamal_group_signature(r.group_signature));
  auto verifier = chain::Bbs04RecordVerifier::create(c.genesis().group_public_key).value();
  ASSERT_TRUE(verifier->refresh_opener_keys(view).ok());
  Status verified = chain::verify_record_signature(*verifier, view, r);
  EXPECT_TRUE(verified.ok()) << verified.to_string();
  // The manager's xi opens it to the member.
  const auto sig = groupsig::elgamal::decode_signature(r.group_signature).value();
  EXPECT_TRUE(groupsig::elgamal::recover_signer_key(fresh.opener, sig) == member.a);
  // A version-2 envelope is still refused on a single-manager chain.
  chain::RecordTx v2 = r;
  v2.sealed.envelope_version = chain::kRecordEnvelopeV2;
  EXPECT_EQ(signer.sign(v2, 0, view).code(), ErrorCode::kInvalidInput);
  // Without the ledger, from the genesis alone (what a test's Byzantine replica does): the same
  // form; plain BBS04 (an older genesis's form) is refused on this chain.
  chain::RecordTx from_genesis = c.make_record(c.serial_of(2), 0);
  from_genesis.group_signature.clear();
  ASSERT_TRUE(signer.sign(from_genesis, 0, c.genesis()).ok());
  EXPECT_TRUE(chain::is_elgamal_group_signature(from_genesis.group_signature));
  EXPECT_TRUE(chain::verify_record_signature(*verifier, view, from_genesis).ok());
  chain::Genesis older = c.genesis();
  older.manager_opener_key.reset();
  chain::RecordTx plain = c.make_record(c.serial_of(3), 0);
  plain.group_signature.clear();
  ASSERT_TRUE(signer.sign(plain, 0, older).ok());
  EXPECT_FALSE(chain::verify_record_signature(*verifier, view, plain).ok());
  chain::RecordTx on_older = c.make_record(c.serial_of(4), 0);
  on_older.group_signature.clear();
  ASSERT_TRUE(signer.sign(on_older, 0, older).ok());
  EXPECT_FALSE(chain::is_elgamal_group_signature(on_older.group_signature));
  chain::Genesis trustees = c.genesis();
  trustees.access_mode = chain::AccessMode::kTrustees;
  EXPECT_EQ(signer.sign(on_older, 0, trustees).code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace hc::node
