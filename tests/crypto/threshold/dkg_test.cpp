// The DKG of the access key: honest runs for m = 4 and 7, a dealer of a bad share
// disqualified through a complaint, an offline trustee, complaints that are unfounded or
// forged, and the parameter checks.
#include <gtest/gtest.h>

#include "crypto/p256_kem.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "dkg_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::DkgRun;
using testing::Trustees;
using testing::run_dkg;

// Interpolating the secret shares of `indices` gives y with y*G == Y: the shares are a
// degree t-1 sharing of the access secret (which nobody computes outside tests).
P256Scalar interpolate(const DkgRun& run, const std::vector<std::uint16_t>& indices) {
  P256Scalar y;
  for (std::uint16_t j : indices) y = y + lagrange_at_zero(indices, j).value() * *run.secret_shares[j - 1];
  return y;
}

void expect_consistent(const Trustees& trustees, const DkgRun& run) {
  for (std::uint16_t j = 1; j <= trustees.params.trustees(); ++j) {
    if (!run.secret_shares[j - 1]) continue;
    EXPECT_EQ(P256Point::base_mul(*run.secret_shares[j - 1]), run.outcome.key.public_shares[j - 1]) << j;
  }
  EXPECT_EQ(run.outcome.key.key_id, access_key_id(run.outcome.key.group_key));
}

TEST(Dkg, FourTrusteesThresholdThreeAllHonest) {
  Trustees trustees(4, 3);
  DkgRun run = run_dkg(trustees, {});
  EXPECT_EQ(run.outcome.qualified, (std::vector<std::uint16_t>{1, 2, 3, 4}));
  EXPECT_TRUE(run.complaints.empty());
  expect_consistent(trustees, run);
  P256Scalar y = interpolate(run, {1, 2, 3});
  EXPECT_EQ(P256Point::base_mul(y), run.outcome.key.group_key);
  EXPECT_EQ(interpolate(run, {2, 3, 4}), y);
  EXPECT_FALSE(interpolate(run, {1, 2}) == y);  // t-1 shares determine nothing
}

// Issue 13's test: m = 4 and 7, one trustee dealing a bad share, one trustee offline.
void bad_dealer_and_offline_trustee(std::uint16_t m, std::uint16_t t) {
  Trustees trustees(m, t);
  const std::uint16_t cheater = 2, victim = 3, offline = m;
  DkgRun run = run_dkg(trustees, {offline}, std::make_pair(cheater, victim));
  ASSERT_EQ(run.complaints.size(), 1u);
  EXPECT_EQ(run.complaints[0].complainer, victim);
  EXPECT_EQ(judge_complaint(trustees.params, *run.deals[cheater - 1], run.complaints[0]).value(),
            ComplaintVerdict::kDealerFaulty);
  EXPECT_EQ(run.outcome.disqualified, (std::vector<std::uint16_t>{cheater}));
  EXPECT_EQ(run.outcome.absent, (std::vector<std::uint16_t>{offline}));
  EXPECT_EQ(run.outcome.qualified.size(), static_cast<std::size_t>(m - 2));
  EXPECT_TRUE(run.outcome.rejected_complainers.empty());
  expect_consistent(trustees, run);
  std::vector<std::uint16_t> online;
  for (std::uint16_t j = 1; j < offline && online.size() < t; ++j) online.push_back(j);
  EXPECT_EQ(P256Point::base_mul(interpolate(run, online)), run.outcome.key.group_key);
  // The offline trustee, back later, takes its share from the deals on the chain.
  auto late = trustee_secret_share(trustees.params, run.outcome, run.deals, offline, trustees.secrets[offline - 1]);
  ASSERT_TRUE(late.ok()) << late.status().to_string();
  EXPECT_EQ(P256Point::base_mul(*late), run.outcome.key.public_shares[offline - 1]);
}

TEST(Dkg, FourTrusteesOneBadDealerOneOffline) { bad_dealer_and_offline_trustee(4, 3); }
TEST(Dkg, SevenTrusteesOneBadDealerOneOffline) { bad_dealer_and_offline_trustee(7, 5); }

TEST(Dkg, TooFewQualifiedDealersIsAClearError) {
  Trustees trustees(4, 3);
  std::vector<std::optional<DkgDeal>> deals = {make_deal(trustees.params, 1).value(), std::nullopt,
                                               std::nullopt, std::nullopt};
  auto outcome = finalize_dkg(trustees.params, deals, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(), "only 1 of the 2 needed dealers qualified");
  deals[3] = make_deal(trustees.params, 4).value();
  EXPECT_TRUE(finalize_dkg(trustees.params, deals, {}).ok());
}

TEST(DkgComplaint, AnUnfoundedComplaintLeavesTheDealerAndExposesOnlyTheComplainersShare) {
  Trustees trustees(4, 3);
  DkgDeal honest = make_deal(trustees.params, 1).value();
  DkgComplaint complaint = make_complaint(trustees.params, honest, 2, trustees.secrets[1]).value();
  EXPECT_EQ(judge_complaint(trustees.params, honest, complaint).value(), ComplaintVerdict::kComplaintUnfounded);
  std::vector<std::optional<DkgDeal>> deals;
  for (std::uint16_t i = 1; i <= 4; ++i) deals.emplace_back(i == 1 ? std::move(honest) : make_deal(trustees.params, i).value());
  auto outcome = finalize_dkg(trustees.params, deals, {complaint});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->qualified.size(), 4u);
  EXPECT_EQ(outcome->rejected_complainers, (std::vector<std::uint16_t>{2}));
}

TEST(DkgComplaint, AForgedComplaintIsInvalidAndConvictsNobody) {
  Trustees trustees(4, 3);
  DkgDeal honest = make_deal(trustees.params, 1).value();
  DkgComplaint complaint = make_complaint(trustees.params, honest, 2, trustees.secrets[1]).value();
  DkgComplaint forged = complaint;
  forged.shared = P256Point::base_mul(P256Scalar::random_nonzero());  // a "shared point" that opens nothing
  EXPECT_EQ(judge_complaint(trustees.params, honest, forged).status().code(), ErrorCode::kInvalidInput);
  DkgComplaint stolen = complaint;
  stolen.complainer = 3;  // trustee 2's evidence presented as trustee 3's
  EXPECT_FALSE(judge_complaint(trustees.params, honest, stolen).ok());
  DkgDeal other = make_deal(trustees.params, 3).value();
  DkgComplaint moved = complaint;
  moved.dealer = 3;
  EXPECT_FALSE(judge_complaint(trustees.params, other, moved).ok());
  EXPECT_FALSE(make_complaint(trustees.params, honest, 2, trustees.secrets[2]).ok());  // not 2's secret
}

TEST(DkgComplaint, ABoxThatDoesNotOpenOrHoldsNoScalarConvictsTheDealer) {
  Trustees trustees(4, 3);
  DkgDeal deal = make_deal(trustees.params, 1).value();
  deal.share_boxes[1][kP256PointBytes] ^= 0x01;  // ciphertext altered: the box does not open
  EXPECT_FALSE(receive_share(trustees.params, deal, 2, trustees.secrets[1]).ok());
  DkgComplaint c = make_complaint(trustees.params, deal, 2, trustees.secrets[1]).value();
  EXPECT_EQ(judge_complaint(trustees.params, deal, c).value(), ComplaintVerdict::kDealerFaulty);

  DkgDeal above_order = make_deal(trustees.params, 1).value();
  Bytes context = dkg_share_context(trustees.params, 1, 2);
  const ProvenBox sealed =
      seal_proven_box(kDkgBoxProofTag, trustees.params.trustee_keys[1], context, Bytes(32, 0xff)).value();
  above_order.share_boxes[1] = sealed.box;
  above_order.box_proofs[1] = sealed.ephemeral_proof;
  EXPECT_FALSE(receive_share(trustees.params, above_order, 2, trustees.secrets[1]).ok());
  DkgComplaint c2 = make_complaint(trustees.params, above_order, 2, trustees.secrets[1]).value();
  EXPECT_EQ(judge_complaint(trustees.params, above_order, c2).value(), ComplaintVerdict::kDealerFaulty);
}

TEST(DkgParams, BadParametersAreRefused) {
  Trustees trustees(4, 3);
  DkgParams p = trustees.params;
  EXPECT_TRUE(check_dkg_params(p).ok());
  p.threshold = 0;
  EXPECT_FALSE(check_dkg_params(p).ok());
  p.threshold = 5;
  EXPECT_EQ(check_dkg_params(p).message(), "threshold 5 is not between 1 and 4");
  p = trustees.params;
  p.trustee_keys[3] = p.trustee_keys[0];
  EXPECT_FALSE(check_dkg_params(p).ok());
  p.trustee_keys.clear();
  EXPECT_FALSE(check_dkg_params(p).ok());
  Trustees many(65, 3);
  EXPECT_FALSE(check_dkg_params(many.params).ok());
  EXPECT_FALSE(make_deal(trustees.params, 0).ok());
  EXPECT_FALSE(make_deal(trustees.params, 5).ok());
}

TEST(DkgParams, DigestBindsChainEpochThresholdAndTrustees) {
  Trustees trustees(4, 3);
  Digest32 base = dkg_params_digest(trustees.params);
  DkgParams p = trustees.params;
  p.chain_id[0] ^= 1;
  EXPECT_NE(dkg_params_digest(p), base);
  p = trustees.params;
  p.epoch = 2;
  EXPECT_NE(dkg_params_digest(p), base);
  p = trustees.params;
  p.threshold = 2;
  EXPECT_NE(dkg_params_digest(p), base);
  p = trustees.params;
  std::swap(p.trustee_keys[0], p.trustee_keys[1]);
  EXPECT_NE(dkg_params_digest(p), base);
}

}  // namespace
}  // namespace hc::crypto::threshold
