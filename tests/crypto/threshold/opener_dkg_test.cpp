// The opener DKG over BLS12-381 (commitments in G1 to base u): m = 4 (t = 3) and m = 7
// (t = 5) with one dealer cheating and one trustee offline, complaints, the key's relation
// to the shares, and the canonical encodings of deals and complaints.
#include <string>

#include <gtest/gtest.h>

#include "crypto/threshold/fr_lagrange.h"
#include "opener_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::OpenerDkgRun;
using testing::run_opener_dkg;
using testing::Trustees;

// xi from any t of the online trustees' shares, by Lagrange at 0.
Fr interpolate_secret(const OpenerDkgRun& run, const std::vector<std::uint16_t>& who) {
  Fr xi;
  for (std::uint16_t j : who) xi = xi + fr_lagrange_coefficient(who, j, 0).value() * *run.secret_shares[j - 1];
  return xi;
}

void expect_key_forms_despite_cheater(std::uint16_t m, std::uint16_t t, std::uint16_t cheater, std::uint16_t victim,
                                      std::uint16_t offline) {
  Trustees trustees(m, t);
  const G1 u = G1::generator().mul_secret(Fr::random_nonzero());
  OpenerDkgRun run = run_opener_dkg(trustees, u, {offline}, std::make_pair(cheater, victim));
  EXPECT_EQ(run.outcome.disqualified, std::vector<std::uint16_t>{cheater});
  EXPECT_EQ(run.outcome.absent, std::vector<std::uint16_t>{offline});
  EXPECT_TRUE(run.outcome.rejected_complainers.empty());
  EXPECT_EQ(run.outcome.qualified.size(), static_cast<std::size_t>(m - 2));
  ASSERT_EQ(run.complaints.size(), 1u);
  EXPECT_EQ(run.complaints[0].complainer, victim);
  const OpenerKeyPublic& key = run.outcome.key;
  EXPECT_TRUE(check_opener_key_public(key).ok());
  for (std::uint16_t j = 1; j <= m; ++j) {
    if (j == offline) continue;
    EXPECT_TRUE(u.mul_secret(*run.secret_shares[j - 1]) == key.public_shares[j - 1]) << "trustee " << j;
  }
  // Two different sets of t online trustees recover the same xi, and h = u^xi.
  std::vector<std::uint16_t> first, last;
  for (std::uint16_t j = 1; j <= m && first.size() < t; ++j) {
    if (j != offline) first.push_back(j);
  }
  for (std::uint16_t j = m; j >= 1 && last.size() < t; --j) {
    if (j != offline) last.push_back(j);
  }
  const Fr xi = interpolate_secret(run, first);
  EXPECT_TRUE(xi == interpolate_secret(run, last));
  EXPECT_TRUE(u.mul_secret(xi) == key.h);
  // t - 1 shares interpolate to something else.
  first.pop_back();
  EXPECT_FALSE(u.mul_secret(interpolate_secret(run, first)) == key.h);
}

TEST(OpenerDkgTest, FourTrusteesThresholdThreeWithACheaterAndAnOfflineTrustee) {
  expect_key_forms_despite_cheater(4, 3, 2, 3, 4);
}

TEST(OpenerDkgTest, SevenTrusteesThresholdFiveWithACheaterAndAnOfflineTrustee) {
  expect_key_forms_despite_cheater(7, 5, 3, 5, 7);
}

TEST(OpenerDkgTest, AnUnfoundedComplaintBlamesItsSender) {
  Trustees trustees(4, 3);
  const G1 u = G1::generator();
  OpenerDkgParams params{trustees.params, u};
  OpenerDeal deal = make_opener_deal(params, 1).value();
  OpenerComplaint complaint = make_opener_complaint(params, deal, 2, trustees.secrets[1]).value();
  EXPECT_EQ(judge_opener_complaint(params, deal, complaint).value(), ComplaintVerdict::kComplaintUnfounded);
  std::vector<std::optional<OpenerDeal>> deals;
  for (std::uint16_t i = 1; i <= 4; ++i) deals.emplace_back(i == 1 ? deal : make_opener_deal(params, i).value());
  OpenerDkgOutcome outcome = finalize_opener_dkg(params, deals, {complaint}).value();
  EXPECT_EQ(outcome.rejected_complainers, std::vector<std::uint16_t>{2});
  EXPECT_TRUE(outcome.disqualified.empty());
  // A complaint with a forged proof (another trustee's secret) is invalid.
  OpenerComplaint forged = complaint;
  forged.complainer = 3;
  EXPECT_EQ(judge_opener_complaint(params, deal, forged).status().code(), ErrorCode::kInvalidInput);
}

TEST(OpenerDkgTest, TooFewQualifiedDealersIsAClearError) {
  Trustees trustees(4, 3);
  OpenerDkgParams params{trustees.params, G1::generator()};
  std::vector<std::optional<OpenerDeal>> deals(4);
  deals[0] = make_opener_deal(params, 1).value();
  Result<OpenerDkgOutcome> outcome = finalize_opener_dkg(params, deals, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.status().message().find("only 1 of the 2 needed dealers qualified"), std::string::npos)
      << outcome.status().message();
}

TEST(OpenerDkgTest, AForgedPublicShareIsRefused) {
  Trustees trustees(4, 3);
  OpenerDkgRun run = run_opener_dkg(trustees, G1::generator(), {});
  OpenerKeyPublic key = run.outcome.key;
  ASSERT_TRUE(check_opener_key_public(key).ok());
  for (std::size_t j = 0; j < 4; ++j) {
    OpenerKeyPublic forged = key;
    forged.public_shares[j] = forged.public_shares[j] + G1::generator();
    EXPECT_FALSE(check_opener_key_public(forged).ok()) << "share " << j + 1;
  }
  OpenerKeyPublic other_h = key;
  other_h.h = key.h + G1::generator();
  EXPECT_FALSE(check_opener_key_public(other_h).ok());
}

TEST(OpenerDkgEncodingTest, DealsAndComplaintsRoundTripAndRejectEverythingElse) {
  Trustees trustees(4, 3);
  OpenerDkgParams params{trustees.params, G1::generator().mul_secret(Fr::from_u64(7))};
  const OpenerDeal deal = make_opener_deal(params, 2).value();
  const Bytes encoded = encode_opener_deal(params, deal);
  Result<OpenerDeal> back = decode_opener_deal(params, encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->dealer, deal.dealer);
  EXPECT_EQ(back->share_boxes, deal.share_boxes);
  for (std::size_t k = 0; k < deal.commitments.size(); ++k) EXPECT_TRUE(back->commitments[k] == deal.commitments[k]);
  EXPECT_EQ(encode_opener_deal(params, back.value()), encoded);
  for (std::size_t n = 0; n < encoded.size(); n += 7) {
    EXPECT_FALSE(decode_opener_deal(params, ByteSpan(encoded.data(), n)).ok()) << "prefix " << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_opener_deal(params, longer).ok());
  // Bound to the parameters: another u, another threshold, the P-256 DKG's decoder.
  OpenerDkgParams other_u{trustees.params, G1::generator()};
  EXPECT_FALSE(decode_opener_deal(other_u, encoded).ok());
  EXPECT_FALSE(decode_deal(trustees.params, encoded).ok());
  // A commitment that is the identity, or not canonical.
  const std::size_t first_commitment = 4 + 21 + 32 + 2 + 2;
  Bytes identity = encoded;
  std::fill(identity.begin() + first_commitment, identity.begin() + first_commitment + 48, 0);
  identity[first_commitment] = 0xc0;
  Result<OpenerDeal> r = decode_opener_deal(params, identity);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("identity"), std::string::npos) << r.status().message();
  Bytes flag = encoded;
  flag[first_commitment] &= 0x7f;
  EXPECT_FALSE(decode_opener_deal(params, flag).ok());

  const OpenerComplaint complaint = make_opener_complaint(params, deal, 3, trustees.secrets[2]).value();
  const Bytes c = encode_opener_complaint(params, complaint);
  EXPECT_EQ(c.size(), kOpenerComplaintBytes);
  Result<OpenerComplaint> c_back = decode_opener_complaint(params, c);
  ASSERT_TRUE(c_back.ok());
  EXPECT_EQ(encode_opener_complaint(params, c_back.value()), c);
  EXPECT_FALSE(decode_opener_complaint(other_u, c).ok());
  EXPECT_FALSE(decode_complaint(trustees.params, c).ok());
  for (std::size_t n = 0; n < c.size(); ++n) EXPECT_FALSE(decode_opener_complaint(params, ByteSpan(c.data(), n)).ok());
}

}  // namespace
}  // namespace hc::crypto::threshold
