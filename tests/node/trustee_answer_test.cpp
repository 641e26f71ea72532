// A trustee's answer to an access request (issue 13, node slice): the decryption_shares
// transaction the worker posts, opened by the requester with its one-time key; every share's
// proof verifies and t of them open a version-2 record sealed to the DKG's key.
#include <gtest/gtest.h>

#include "chain/trustee_signing.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/dkg_deal.h"
#include "node/trustee_duties.h"

namespace hc::node {
namespace {

namespace th = crypto::threshold;

struct FormedKey {
  th::DkgParams params;
  std::vector<crypto::P256Scalar> trustee_secrets;
  th::DkgOutcome outcome;
  std::vector<crypto::P256Scalar> shares;  // x_j
};

FormedKey run_dkg(std::uint16_t m, std::uint16_t t) {
  FormedKey k;
  k.params.chain_id.fill(0x42);
  k.params.epoch = 0;
  k.params.threshold = t;
  for (std::uint16_t j = 0; j < m; ++j) {
    k.trustee_secrets.push_back(crypto::P256Scalar::random_nonzero());
    k.params.trustee_keys.push_back(crypto::P256Point::base_mul(k.trustee_secrets.back()));
  }
  std::vector<std::optional<th::DkgDeal>> deals;
  for (std::uint16_t i = 1; i <= m; ++i) deals.push_back(th::make_deal(k.params, i).value());
  k.outcome = th::finalize_dkg(k.params, deals, {}).value();
  for (std::uint16_t j = 1; j <= m; ++j) {
    k.shares.push_back(th::trustee_secret_share(k.params, k.outcome, deals, j, k.trustee_secrets[j - 1]).value());
  }
  return k;
}

chain::DecryptionSharesTx decode_shares_tx(const TrusteeTx& tx) {
  auto decoded = chain::decode_transaction(tx.encoding);
  EXPECT_TRUE(decoded.ok()) << decoded.status().to_string();
  return std::get<chain::DecryptionSharesTx>(*decoded);
}

TEST(TrusteeAnswerTest, TSharesFromTheTransactionsOpenTheRecordAndEachProofVerifies) {
  FormedKey k = run_dkg(4, 3);
  crypto::Visit visit;
  visit.time = "2026-11-29T09:30:00Z";
  visit.diagnosis = "seen by the trustees' test";
  crypto::SerialNumber serial{};
  serial.fill(9);
  auto sealed = crypto::seal_record_v2(visit, serial, k.outcome.key.group_key);
  ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
  const crypto::P256Point e = crypto::P256Point::decode(sealed->ephemeral_key).value();
  const crypto::P256Scalar requester = crypto::P256Scalar::random_nonzero();
  chain::Digest request_id{};
  request_id.fill(0x5a);

  std::vector<th::DecryptionShare> opened;
  for (std::uint16_t j = 1; j <= 4; ++j) {
    auto tx = build_decryption_shares_tx(k.outcome.key, j, k.shares[j - 1], k.trustee_secrets[j - 1], request_id, {e},
                                         crypto::P256Point::base_mul(requester).encode());
    ASSERT_TRUE(tx.ok()) << tx.status().to_string();
    chain::DecryptionSharesTx shares = decode_shares_tx(*tx);
    EXPECT_EQ(shares.trustee, j);
    EXPECT_EQ(shares.request_id, request_id);
    ASSERT_EQ(shares.share_boxes.size(), 1u);
    // Signed by the trustee's long-term key, as the chain checks.
    auto message = chain::trustee_signing_message(chain::Transaction(shares));
    ASSERT_TRUE(message.ok());
    EXPECT_TRUE(th::verify_trustee_signature(*message, k.params.trustee_keys[j - 1], shares.trustee_signature));
    auto share = th::open_share_from_trustee(k.outcome.key, request_id, j, requester, shares.share_boxes[0]);
    ASSERT_TRUE(share.ok()) << share.status().to_string();
    EXPECT_TRUE(th::verify_decryption_share(k.outcome.key, request_id, e, *share).ok());
    opened.push_back(std::move(share).value());
  }
  // Exactly t = 3 of them (trustee 1 silent) open the record.
  std::vector<th::DecryptionShare> three(opened.begin() + 1, opened.end());
  auto combined = th::combine_decryption_shares(k.outcome.key, request_id, e, three);
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  auto back = crypto::open_record_v2_with_shared_point(*sealed, combined->shared);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->diagnosis, visit.diagnosis);
  // t-1 do not.
  std::vector<th::DecryptionShare> two(opened.begin() + 2, opened.end());
  EXPECT_FALSE(th::combine_decryption_shares(k.outcome.key, request_id, e, two).ok());
}

TEST(TrusteeAnswerTest, RefusesASecretShareThatIsNotTheTrusteesAndABadRequesterKey) {
  FormedKey k = run_dkg(4, 3);
  const crypto::P256Point e = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(77));
  chain::Digest request_id{};
  const auto requester = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(5)).encode();
  EXPECT_FALSE(build_decryption_shares_tx(k.outcome.key, 2, k.shares[0], k.trustee_secrets[1], request_id, {e},
                                          requester)
                   .ok());
  crypto::P256PointBytes not_a_point = requester;
  not_a_point[64] ^= 1;
  EXPECT_FALSE(build_decryption_shares_tx(k.outcome.key, 1, k.shares[0], k.trustee_secrets[0], request_id, {e},
                                          not_a_point)
                   .ok());
}

}  // namespace
}  // namespace hc::node
