// The doctor's client believes the envelope key a node serves only when the chain vouches for
// it (client/envelope_key_trust.h): a publication proved by a Merkle proof and a commit
// certificate of 2f+1 genesis replicas, signed by the genesis admin key, recent enough. Each
// test lies in one way and must be refused; the blocks carry real PBFT certificates
// (chain/test_chain.h).
#include "client/envelope_key_trust.h"

#include <gtest/gtest.h>

#include "chain/committed_item.h"
#include "chain/test_chain.h"

namespace hc::client {
namespace {

using chain::testing::TestConsortium;
using nlohmann::json;

constexpr std::uint64_t kHourMs = 3600 * 1000;
constexpr std::uint64_t kPublishedMs = 1'795'000'000'000;  // a Unix time in 2026

class EnvelopeKeyTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto trust = ChainTrust::from_genesis(c_.genesis());
    ASSERT_TRUE(trust.ok()) << trust.status().to_string();
    trust_ = std::make_unique<ChainTrust>(std::move(trust).value());
  }

  // The block at height 1 publishing `publish_tx` beside an enrollment (so the Merkle proof has
  // a sibling), and the node's answer for the key `answered_spki`.
  json answer_for(const Bytes& publish_tx, const Bytes& answered_spki, std::uint64_t timestamp_ms = kPublishedMs,
                  std::size_t certificate_signers = 0) {
    chain::ChainTip tip{0, c_.genesis_hash(), {}};
    chain::Block block = c_.make_block(tip, {c_.enrollment_tx("hospital-x"), publish_tx}, timestamp_ms);
    if (certificate_signers != 0) block.commit_certificate = c_.certificate_for(block, certificate_signers);
    auto item = chain::committed_item_to_json(block, 1, 1);
    EXPECT_TRUE(item.ok()) << item.status().to_string();
    auto key = crypto::EnvelopePublicKey::from_spki_der(answered_spki);
    EXPECT_TRUE(key.ok()) << key.status().to_string();
    return {{"key_id", to_hex(key->key_id())}, {"public_key_pem", key->to_pem()}, {"height", 1},
            {"publication", std::move(item).value()}};
  }
  json honest_answer() { return answer_for(c_.publish_key_tx(test_spki()), test_spki()); }

  static const Bytes& test_spki() { return chain::testing::test_envelope_spki(); }
  static KeyFreshness fresh() { return {kPublishedMs + kHourMs, kDefaultEnvelopeKeyMaxAgeMs}; }

  void expect_refused(const json& answer, const std::string& reason, const KeyFreshness& freshness = fresh()) {
    auto key = verify_envelope_key_answer(answer, *trust_, freshness);
    ASSERT_FALSE(key.ok()) << "a lying answer was believed: " << answer.dump().substr(0, 300);
    EXPECT_EQ(key.status().code(), ErrorCode::kAuthFailed) << key.status().to_string();
    EXPECT_NE(key.status().message().find(reason), std::string::npos) << key.status().to_string();
    EXPECT_EQ(key.status().message().find('\n'), std::string::npos) << "one line: " << key.status().to_string();
  }

  TestConsortium c_;
  std::unique_ptr<ChainTrust> trust_;
};

TEST_F(EnvelopeKeyTrustTest, AKeyPublishedByTheAdminInACertifiedBlockIsBelieved) {
  auto key = verify_envelope_key_answer(honest_answer(), *trust_, fresh());
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->key.key_id(), chain::key_id_of(test_spki()));
  EXPECT_EQ(key->height, 1u);
  EXPECT_EQ(key->published_ms, kPublishedMs);
}

TEST_F(EnvelopeKeyTrustTest, AnAnswerWithoutPublicationIsRefused) {
  json answer = honest_answer();
  answer.erase("publication");
  expect_refused(answer, "no publication proof");
}

TEST_F(EnvelopeKeyTrustTest, TheNodesOwnKeyBesideARealPublicationIsRefused) {
  json answer = answer_for(c_.publish_key_tx(test_spki()), chain::testing::other_envelope_spki());
  expect_refused(answer, "not the one the proof publishes");
}

TEST_F(EnvelopeKeyTrustTest, ATruncatedMerkleProofIsRefused) {
  json answer = honest_answer();
  ASSERT_EQ(answer["publication"]["merkle_proof"]["siblings"].size(), 1u);
  answer["publication"]["merkle_proof"]["siblings"].erase(0);
  expect_refused(answer, "Merkle proof");
}

TEST_F(EnvelopeKeyTrustTest, ATruncatedEncodingIsRefused) {
  json answer = honest_answer();
  auto encoding = from_base64(answer["publication"]["encoding"].get<std::string>());
  ASSERT_TRUE(encoding.ok());
  encoding->resize(encoding->size() - 10);
  answer["publication"]["encoding"] = to_base64(*encoding);
  expect_refused(answer, "transaction id");
}

TEST_F(EnvelopeKeyTrustTest, ACertificateFromTooFewReplicasIsRefused) {
  const std::size_t too_few = c_.genesis().quorum() - 1;
  expect_refused(answer_for(c_.publish_key_tx(test_spki()), test_spki(), kPublishedMs, too_few), "commit certificate");
}

TEST_F(EnvelopeKeyTrustTest, ATruncatedCertificateIsRefused) {
  json answer = honest_answer();
  std::string cert = answer["publication"]["certificate"].get<std::string>();
  answer["publication"]["certificate"] = cert.substr(0, cert.size() / 2 / 4 * 4);
  expect_refused(answer, "commit certificate");
}

TEST_F(EnvelopeKeyTrustTest, AKeyPublishedBySomeoneOtherThanTheAdminIsRefused) {
  chain::PublishEnvelopeKeyTx publish;
  publish.spki_der = chain::testing::other_envelope_spki();
  chain::Transaction tx{publish};
  const Bytes seed(32, 0x42);
  const SecureBytes intruder_seed(seed.data(), seed.size());
  ASSERT_TRUE(chain::sign_manager_tx(tx, intruder_seed).ok());
  json answer = answer_for(chain::encode_transaction(tx), chain::testing::other_envelope_spki());
  expect_refused(answer, "not published by the genesis admin key");
}

TEST_F(EnvelopeKeyTrustTest, AProvenTransactionOfAnotherKindIsRefused) {
  json answer = honest_answer();
  chain::ChainTip tip{0, c_.genesis_hash(), {}};
  chain::Block block = c_.make_block(tip, {c_.enrollment_tx("hospital-x"), c_.publish_key_tx(test_spki())}, kPublishedMs);
  auto enrollment = chain::committed_item_to_json(block, 1, 0);
  ASSERT_TRUE(enrollment.ok());
  answer["publication"] = *enrollment;
  expect_refused(answer, "does not publish an envelope key");
}

TEST_F(EnvelopeKeyTrustTest, AHeaderMadeToLookRecentIsRefused) {
  json answer = answer_for(c_.publish_key_tx(test_spki()), test_spki(), kPublishedMs - 30 * 24 * kHourMs);
  answer["publication"]["block_header"]["timestamp_ms"] = std::to_string(kPublishedMs);
  expect_refused(answer, "block hash");
}

TEST_F(EnvelopeKeyTrustTest, AStaleKeyIsRefusedAndAcceptedWithinALongerBound) {
  json answer = answer_for(c_.publish_key_tx(test_spki()), test_spki(), kPublishedMs - 8 * 24 * kHourMs);
  expect_refused(answer, "published 193 h ago, more than the 168 h allowed");
  KeyFreshness lenient{kPublishedMs + kHourMs, 9 * 24 * kHourMs};
  EXPECT_TRUE(verify_envelope_key_answer(answer, *trust_, lenient).ok());
}

TEST_F(EnvelopeKeyTrustTest, AChainOfOtherReplicasIsNotBelieved) {
  TestConsortium other(7);
  auto other_trust = ChainTrust::from_genesis(other.genesis());
  ASSERT_TRUE(other_trust.ok());
  auto key = verify_envelope_key_answer(honest_answer(), *other_trust, fresh());
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), ErrorCode::kAuthFailed) << key.status().to_string();
}

}  // namespace
}  // namespace hc::client
