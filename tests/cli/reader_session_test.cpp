// Issue 13 item 3, the reader's side in process: a reader who is not the manager opens a
// ReaderSession from only what a reader has (its encrypted key file, the genesis file), signs
// a request the chain accepts once the manager lists it, and decrypts the record with t
// trustees' shares read back from the chain; the session refuses a single-manager genesis, the
// admin key and a wrong passphrase; and the reader policy is believed only as the node's
// answer proves it (client/reader_policy_list.h): a doctored name, flag, key or item is refused.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "chain/formed_access_key.h"
#include "chain/genesis.h"
#include "chain/limits.h"
#include "chain/reader_policy.h"
#include "chain/trustees_chain.h"
#include "client/access_reader.h"
#include "client/access_request_answer.h"
#include "client/access_requester.h"
#include "client/reader_policy_list.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/dkg_outcome.h"
#include "node/access_key_answer.h"

namespace hc::client {
namespace {

using chain::testing::TrusteesChain;
using crypto::P256Point;
using crypto::P256Scalar;
using nlohmann::json;
namespace fs = std::filesystem;
namespace th = crypto::threshold;

class ReaderSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto formed = chain::testing::form_access_key(chain);
    ASSERT_TRUE(formed.ok()) << formed.status().to_string();
    deals = std::move(formed->deals);
    outcome = formed->outcome;
    shares = std::move(formed->shares);
    crypto::SerialNumber serial{};
    const chain::Serial chain_serial = chain.c.serial_of(1);
    std::copy(chain_serial.begin(), chain_serial.end(), serial.begin());
    auto visit = crypto::make_visit("2026-11-30T09:00:00Z", "otitis media", std::nullopt).value();
    record.sealed = crypto::seal_record_v2(visit, serial, outcome.key.group_key).value();
    const Bytes tx = chain.record_v2_tx(record.sealed);
    record.record_id = chain::transaction_id(tx);
    ASSERT_TRUE(chain.commit({tx}).ok());

    genesis_file = fs::path(files.path()) / "genesis.json";
    ASSERT_TRUE(write_text_file_atomic(genesis_file, chain::genesis_to_json(chain.c.genesis()).dump()).ok());
    key_file = fs::path(files.path()) / "reader.key.pem";
    auto key = crypto::Ed25519PrivateKey::generate().value();
    ASSERT_TRUE(write_text_file_atomic(key_file, key.to_encrypted_pem(passphrase).value(), 0600).ok());
    reader_key = key.public_key().bytes();
    trust = std::make_unique<ChainTrust>(ChainTrust::from_genesis(chain.c.genesis()).value());
  }

  Bytes policy_change(chain::ReaderPolicyAction action, std::uint8_t rights, const std::string& name) const {
    const auto head = chain::read_reader_policy_head(chain::StoreTrusteeView(*chain.store)).value();
    chain::ReaderPolicyTx p{chain.chain_id(), head.version + 1, action, reader_key, rights, name, {}};
    return chain.manager_signed(p);
  }

  // The reader's request for the record, signed by the session.
  Bytes signed_request(const ReaderSession& session) const {
    chain::AccessRequestTx r = chain.request(chain.c.serial_of(1), chain.next_block_time());
    r.record_ids = {record.record_id};
    r.requester_key = requester.public_key();
    HC_CHECK(session.sign(r).ok());
    return chain::encode_transaction(chain::Transaction(r));
  }

  json policy_answer() const { return node::reader_policy_answer(*chain.store).value(); }

  TrusteesChain chain{4, 3, "reader-session"};
  chain::testing::TempDir files{"reader-session-files"};
  std::vector<std::optional<th::DkgDeal>> deals;
  th::DkgOutcome outcome;
  std::vector<P256Scalar> shares;
  RecordToRead record;
  fs::path genesis_file, key_file;
  SecureBytes passphrase{std::string_view("a reader's own passphrase")};
  chain::Ed25519PublicKey reader_key{};
  std::unique_ptr<ChainTrust> trust;
  RequesterKey requester = RequesterKey::fresh();
};

TEST_F(ReaderSessionTest, AListedReaderReadsWithItsOwnKeyFileAndTheGenesisOnly) {
  auto session = ReaderSession::open(genesis_file, key_file, passphrase, std::nullopt);
  ASSERT_TRUE(session.ok()) << session.status().to_string();
  EXPECT_EQ((*session)->public_key().bytes(), reader_key);
  // Not listed yet: the chain refuses the reader's request.
  Status refused = chain.app->check_tx(signed_request(**session));
  EXPECT_NE(refused.message().find("is not listed in the reader policy"), std::string::npos) << refused.to_string();

  ASSERT_TRUE(chain.commit({policy_change(chain::ReaderPolicyAction::kAdd, chain::kReaderRightDecrypt, "Dr. Reader")}).ok());
  const Bytes request = signed_request(**session);
  ASSERT_TRUE(chain.app->check_tx(request).ok()) << chain.app->check_tx(request).to_string();
  ASSERT_TRUE(chain.commit({request}).ok());
  const chain::Digest request_id = chain::transaction_id(request);
  // t = 3 trustees answer; the reader reads the answers as a node serves them and decrypts.
  const P256Point requester_point = P256Point::decode(requester.public_key()).value();
  const P256Point e = P256Point::decode(record.sealed.ephemeral_key).value();
  for (std::uint16_t j : {1, 3, 4}) {
    auto share = th::make_decryption_share(outcome.key, j, shares[j - 1], request_id, e).value();
    chain::DecryptionSharesTx tx{chain.chain_id(), request_id, j,
                                 {th::seal_share_to_requester(outcome.key, share, requester_point).value()}, {}};
    ASSERT_TRUE(chain.commit({chain.signed_by(tx, j)}).ok());
  }
  const json answer = node::access_request_answer(*chain.store, chain::digest_hex(request_id)).value();
  auto proven = verify_access_request_answer(answer, request_id, *trust);
  ASSERT_TRUE(proven.ok()) << proven.status().to_string();
  EXPECT_EQ(proven->request.reader, std::optional<chain::Ed25519PublicKey>(reader_key));
  std::vector<TrusteeAnswer> answers;
  for (const auto& a : proven->answers) answers.push_back({a.shares.trustee, a.shares.share_boxes});
  auto read = read_with_decryption_shares(outcome.key, request_id, requester.secret(), {record}, answers);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(read->visits.size(), 1u);
  EXPECT_EQ(read->visits[0].visit.diagnosis, "otitis media");

  // Removed: the next request is refused.
  ASSERT_TRUE(chain.commit({policy_change(chain::ReaderPolicyAction::kRemove, 0, "")}).ok());
  refused = chain.app->check_tx(signed_request(**session));
  EXPECT_NE(refused.message().find("was removed from the reader policy"), std::string::npos) << refused.to_string();
}

TEST_F(ReaderSessionTest, TheSessionRefusesWhatAReaderCannotUse) {
  auto wrong = ReaderSession::open(genesis_file, key_file, SecureBytes(std::string_view("not the passphrase")), std::nullopt);
  EXPECT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("reader key"), std::string::npos) << wrong.status().to_string();
  auto missing = ReaderSession::open(genesis_file, fs::path(files.path()) / "absent.pem", passphrase, std::nullopt);
  EXPECT_FALSE(missing.ok());
  // A single-manager genesis has no reader policy.
  chain::testing::TestConsortium single;
  const fs::path single_genesis = fs::path(files.path()) / "single.json";
  ASSERT_TRUE(write_text_file_atomic(single_genesis, chain::genesis_to_json(single.genesis()).dump()).ok());
  auto refused = ReaderSession::open(single_genesis, key_file, passphrase, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("single-manager"), std::string::npos) << refused.status().to_string();
  // The manager's admin key is not a reader's.
  const fs::path admin_file = fs::path(files.path()) / "admin.key.pem";
  auto admin = crypto::Ed25519PrivateKey::from_seed(chain.c.admin_seed()).value();
  ASSERT_TRUE(write_text_file_atomic(admin_file, admin.to_encrypted_pem(passphrase).value(), 0600).ok());
  auto as_admin = ReaderSession::open(genesis_file, admin_file, passphrase, std::nullopt);
  ASSERT_FALSE(as_admin.ok());
  EXPECT_NE(as_admin.status().message().find("the manager's admin key"), std::string::npos);
  // Without registries the reader cannot name hospitals (and so never asks to open).
  auto session = ReaderSession::open(genesis_file, key_file, passphrase, std::nullopt).value();
  EXPECT_FALSE(session->registry(0).value().has_value());
}

TEST_F(ReaderSessionTest, ThePolicyIsBelievedOnlyAsTheAnswerProvesIt) {
  ASSERT_TRUE(chain.commit({policy_change(chain::ReaderPolicyAction::kAdd, chain::kReaderRightsAll, "Dr. Reader")}).ok());
  auto proven = verify_reader_policy_answer(policy_answer(), *trust);
  ASSERT_TRUE(proven.ok()) << proven.status().to_string();
  EXPECT_EQ(proven->policy_version, 1u);
  ASSERT_EQ(proven->readers.size(), 1u);
  EXPECT_TRUE(proven->readers[0].listed);
  EXPECT_EQ(proven->readers[0].name, "Dr. Reader");
  EXPECT_EQ(proven->readers[0].rights, chain::kReaderRightsAll);

  const auto refused = [&](const json& answer, const std::string& why) {
    auto r = verify_reader_policy_answer(answer, *trust);
    ASSERT_FALSE(r.ok()) << "believed: " << why;
    EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed) << r.status().to_string();
    EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().to_string();
  };
  json lie = policy_answer();
  lie["readers"][0]["name"] = "Dr. Someone Else";
  refused(lie, "its name or rights are not its change's");
  lie = policy_answer();
  lie["readers"][0]["rights"] = "decrypt";
  refused(lie, "its name or rights are not its change's");
  lie = policy_answer();
  lie["readers"][0]["listed"] = false;
  refused(lie, "its listed flag");
  lie = policy_answer();
  lie["readers"][0]["reader_key"] = std::string(64, 'a');
  refused(lie, "its key is not its change's");
  lie = policy_answer();
  std::string encoding = lie["readers"][0]["item"]["encoding"].get<std::string>();
  encoding[encoding.size() / 2] = encoding[encoding.size() / 2] == 'A' ? 'B' : 'A';
  lie["readers"][0]["item"]["encoding"] = encoding;
  EXPECT_FALSE(verify_reader_policy_answer(lie, *trust).ok());

  // After a removal the entry proves the removal.
  ASSERT_TRUE(chain.commit({policy_change(chain::ReaderPolicyAction::kRemove, 0, "")}).ok());
  proven = verify_reader_policy_answer(policy_answer(), *trust);
  ASSERT_TRUE(proven.ok()) << proven.status().to_string();
  EXPECT_EQ(proven->policy_version, 2u);
  EXPECT_FALSE(proven->readers[0].listed);
  lie = policy_answer();
  lie["readers"][0]["listed"] = true;
  refused(lie, "its listed flag");
}

}  // namespace
}  // namespace hc::client
