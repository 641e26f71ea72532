// The ledger with the real BBS04 verifier (src/crypto/groupsig) behind RecordSignatureVerifier:
// records signed by consortium members are accepted, altered ones rejected, a revocation
// committed on the chain moves the epoch, and `verify_chain` re-checks every group signature.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

class Bbs04LedgerTest : public ::testing::Test {
 protected:
  Bbs04LedgerTest()
      : group(groupsig::setup()), c(4, groupsig::encode_gpk(group.gpk)) {}

  void SetUp() override {
    for (const char* name : {"hospital-a", "hospital-b"}) {
      auto key = groupsig::enroll(group.issuer, group.gpk, group.registry, name);
      ASSERT_TRUE(key.ok()) << key.status().to_string();
      members.push_back(std::move(key).value());
    }
    auto v = Bbs04RecordVerifier::create(c.genesis().group_public_key);
    ASSERT_TRUE(v.ok()) << v.status().to_string();
    verifier = std::move(v).value();
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(HealthchainApp::start(*store, *verifier, c.certificates())).value();
    ASSERT_TRUE(commit({c.publish_key_tx(testing::test_envelope_spki())}).ok());
  }

  // A record for `patient` group-signed by `member` in that member key's epoch.
  Bytes signed_record(const groupsig::MemberKey& member, std::uint64_t patient) {
    RecordTx r = c.make_record(c.serial_of(patient), 0, 80);
    r.epoch = member.gpk.epoch;
    Digest d = record_signing_digest(r);
    r.group_signature = groupsig::encode_signature(groupsig::sign(member, span_of(d)));
    return encode_transaction(r);
  }
  Result<Digest> commit(std::vector<Bytes> txs) {
    return app->commit_block(c.make_block(store->tip(), std::move(txs)));
  }

  groupsig::GroupSetup group;
  TestConsortium c;
  std::vector<groupsig::MemberKey> members;
  TempDir dir{"bbs04"};
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
};

TEST_F(Bbs04LedgerTest, MembersRecordsAreAcceptedAndAlteredOnesRejected) {
  Bytes a = signed_record(members[0], 1);
  Bytes b = signed_record(members[1], 2);
  EXPECT_TRUE(app->check_tx_verified(a).ok());
  auto tx = decode_transaction(b);
  auto& rec = std::get<RecordTx>(*tx);
  EXPECT_EQ(rec.group_signature.size(), groupsig::encode_signature(groupsig::Signature{}).size());
  // Move the signature to another patient: the digest covers the serial.
  RecordTx moved = rec;
  moved.sealed.serial = c.serial_of(3);
  EXPECT_EQ(app->check_tx_verified(encode_transaction(moved)).code(), ErrorCode::kAuthFailed);
  RecordTx altered = rec;
  altered.sealed.ciphertext[0] ^= 1;
  EXPECT_EQ(app->check_tx_verified(encode_transaction(altered)).code(), ErrorCode::kAuthFailed);
  RecordTx garbage = rec;
  garbage.group_signature[20] ^= 0xff;
  EXPECT_FALSE(app->check_tx_verified(encode_transaction(garbage)).ok());
  ASSERT_TRUE(commit({a, b}).ok());
  EXPECT_EQ(app->committed_height(), 2u);
}

TEST_F(Bbs04LedgerTest, RevocationOnTheChainMovesTheEpoch) {
  auto revoked = groupsig::revoke(group.issuer, group.gpk, group.registry, "hospital-b");
  ASSERT_TRUE(revoked.ok()) << revoked.status().to_string();
  Bytes record = groupsig::encode_revocation(revoked->record);
  Bytes forged = record;
  forged[forged.size() - 5] ^= 1;
  EXPECT_FALSE(app->check_tx_verified(encode_transaction(c.signed_manager(RevocationTx{1, forged, {}}))).ok());
  ASSERT_TRUE(commit({encode_transaction(c.signed_manager(RevocationTx{1, record, {}}))}).ok());
  EXPECT_EQ(app->epoch().epoch, 1u);
  EXPECT_EQ(verifier->latest_epoch(), 1u);
  // hospital-a updates its key from the public record and signs in epoch 1.
  auto updated = groupsig::update_member_key(members[0], revoked->record);
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(app->check_tx_verified(signed_record(*updated, 5)).ok());
  // hospital-b cannot update; epoch-0 records are refused from the revocation's block on.
  EXPECT_FALSE(groupsig::update_member_key(members[1], revoked->record).ok());
  EXPECT_FALSE(app->check_tx_verified(signed_record(members[1], 9)).ok());
  ASSERT_TRUE(commit({signed_record(*updated, 6)}).ok());
  ASSERT_TRUE(commit({signed_record(*updated, 7)}).ok());
  EXPECT_FALSE(app->check_tx_verified(signed_record(members[1], 8)).ok());
  EXPECT_FALSE(app->check_tx_verified(signed_record(members[0], 8)).ok());
}

// Regression: one sealed record posted three times, by two hospitals (three different, valid
// group signatures), committed three times and was shown as three visits.
TEST_F(Bbs04LedgerTest, ASealedRecordReplayedByTwoHospitalsCommitsOnce) {
  RecordTx sealed = c.make_record(c.serial_of(1), 0, 80);
  auto signed_by = [&](const groupsig::MemberKey& member) {
    RecordTx r = sealed;
    Digest d = record_signing_digest(r);
    r.group_signature = groupsig::encode_signature(groupsig::sign(member, span_of(d)));
    return encode_transaction(r);
  };
  const Bytes by_a = signed_by(members[0]);
  const Bytes again_by_a = signed_by(members[0]);
  const Bytes by_b = signed_by(members[1]);
  ASSERT_NE(by_a, again_by_a);
  // A replay is refused with kAlreadyExists; "ok" if it is not refused.
  auto refusal = [&](const Bytes& tx) {
    Status s = app->check_tx_verified(tx);
    return s.ok() ? std::string("ok") : std::string(s.code() == ErrorCode::kAlreadyExists ? "replay" : s.to_string());
  };
  ASSERT_TRUE(app->check_tx_verified(by_a).ok());
  EXPECT_EQ(refusal(again_by_a), "replay");
  EXPECT_EQ(refusal(by_b), "replay");
  EXPECT_FALSE(app->validate_block(c.make_block(store->tip(), {by_a, by_b})).ok());
  ASSERT_TRUE(commit({by_a}).ok());
  EXPECT_FALSE(commit({again_by_a}).ok());
  EXPECT_FALSE(commit({by_b}).ok());
  EXPECT_EQ(refusal(by_b), "replay");
  auto visits = store->transactions_by_serial(c.serial_of(1));
  ASSERT_TRUE(visits.ok());
  EXPECT_EQ(visits->size(), 1u);
}

TEST_F(Bbs04LedgerTest, VerifyChainRechecksEveryGroupSignature) {
  ASSERT_TRUE(commit({signed_record(members[0], 1), signed_record(members[1], 2)}).ok());
  auto revoked = groupsig::revoke(group.issuer, group.gpk, group.registry, "hospital-b");
  ASSERT_TRUE(revoked.ok());
  ASSERT_TRUE(commit({encode_transaction(c.signed_manager(
                         RevocationTx{1, groupsig::encode_revocation(revoked->record), {}}))}).ok());
  auto updated = groupsig::update_member_key(members[0], revoked->record);
  ASSERT_TRUE(updated.ok());
  ASSERT_TRUE(commit({signed_record(*updated, 3)}).ok());
  auto fresh = Bbs04RecordVerifier::create(c.genesis().group_public_key);
  ASSERT_TRUE(fresh.ok());
  auto report = verify_chain(*store, c.certificates(), fresh->get());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->group_signatures_checked, 3u);
  EXPECT_EQ((*fresh)->latest_epoch(), 1u);
}

TEST_F(Bbs04LedgerTest, CliChecksGroupSignaturesOfABbs04Chain) {
  ASSERT_TRUE(commit({signed_record(members[0], 1), signed_record(members[1], 2)}).ok());
  app.reset();
  store.reset();
  std::string cmd = std::string(HC_BINARY_DIR) + "/bin/hc chain verify --data " + dir.path() + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  EXPECT_NE(out.find("group signatures: 2 checked"), std::string::npos) << out;
  EXPECT_NE(out.find("chain OK"), std::string::npos) << out;
}

TEST(Bbs04RecordVerifierTest, RejectsKeysThatAreNotBbs04OrNotEpochZero) {
  EXPECT_FALSE(Bbs04RecordVerifier::create(Bytes(200, 0x5a)).ok());
  EXPECT_FALSE(Bbs04RecordVerifier::create(Bytes{}).ok());
  groupsig::GroupSetup g = groupsig::setup();
  g.gpk.epoch = 3;
  EXPECT_FALSE(Bbs04RecordVerifier::create(groupsig::encode_gpk(g.gpk)).ok());
}

}  // namespace
}  // namespace hc::chain
