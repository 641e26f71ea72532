// Proactive resharing of the access key (docs/threshold.md, "Resharing"): 3-of-4 to 3-of-5
// and 3-of-5 to 2-of-4 keep Y and its key id, and t_new new shares open a record sealed before
// the resharing through the ordinary decryption-share path; an old share is useless against
// the new set; a dealer resharing another value is caught by the constant-term check; a bad
// boxed share is convicted by a complaint and a false complaint rejected; too few qualified
// old dealers is a failure; the parameters' checks.
#include <gtest/gtest.h>

#include "crypto/p256_kem.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/combine.h"
#include "reshare_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::DkgRun;
using testing::must;
using testing::ReshareFaults;
using testing::ReshareRun;
using testing::Trustees;
using testing::run_dkg;
using testing::run_reshare;

// A key formed by a DKG among the old trustees, a record sealed to it, and the new trustees.
struct Scenario {
  Trustees old_trustees;
  DkgRun dkg;
  Trustees new_trustees;
  AccessReshareParams params;
  Visit visit = make_visit("2026-11-30T08:15:00Z", "fractured wrist, cast", std::nullopt).value();
  SealedRecordV2 record;
  P256Point ephemeral = P256Point::generator();

  Scenario(std::uint16_t m_old, std::uint16_t t_old, std::uint16_t m_new, std::uint16_t t_new)
      : old_trustees(m_old, t_old), dkg(run_dkg(old_trustees, {})), new_trustees(m_new, t_new) {
    params.old_key = dkg.outcome.key;
    params.new_trustees = new_trustees.params;
    params.reshare_epoch = 1;
    SerialNumber serial{};
    serial.fill(0x5a);
    record = must(seal_record_v2(visit, serial, dkg.outcome.key.group_key), "seal");
    ephemeral = must(P256Point::decode(record.ephemeral_key), "ephemeral");
  }
  std::vector<std::optional<P256Scalar>> old_shares() const { return dkg.secret_shares; }
  ReshareRun<AccessKeyGroup> reshare(const ReshareFaults& faults = {}) const {
    return run_reshare(params, old_shares(), new_trustees.secrets, faults);
  }
};

// Every new trustee's box of `deal` opens to a share on the deal's commitments.
bool boxes_match_commitments(const AccessReshareParams& params, const AccessReshareDeal& deal,
                             const std::vector<P256Scalar>& new_secrets) {
  const Digest32 digest = reshare_digest(params);
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees(); ++j) {
    auto content = box_open(new_secrets[j - 1], reshare_share_context<AccessKeyGroup>(digest, deal.dealer, j),
                            deal.share_boxes[j - 1]);
    if (!content.ok()) return false;
    auto share = P256Scalar::from_bytes(content->span());
    if (!share.ok() || !share_matches_commitments(deal.commitments, j, *share)) return false;
  }
  return true;
}

RequestId request_id(std::uint8_t fill) {
  RequestId id{};
  id.fill(fill);
  return id;
}

// Decryption shares of `trustees` for the scenario's record under `key` with `shares`.
std::vector<DecryptionShare> answers(const Scenario& s, const AccessKeyPublic& key,
                                     const std::vector<P256Scalar>& shares, const std::vector<std::uint16_t>& trustees,
                                     const RequestId& id) {
  std::vector<DecryptionShare> out;
  for (std::uint16_t j : trustees) out.push_back(must(make_decryption_share(key, j, shares[j - 1], id, s.ephemeral), "share"));
  return out;
}

void reshare_keeps_key_and_old_records_open(std::uint16_t m_old, std::uint16_t t_old, std::uint16_t m_new,
                                            std::uint16_t t_new, ReshareFaults faults) {
  Scenario s(m_old, t_old, m_new, t_new);
  ReshareRun<AccessKeyGroup> run = s.reshare(faults);
  const AccessKeyPublic& key = run.outcome.key;
  EXPECT_EQ(key.group_key, s.dkg.outcome.key.group_key);
  EXPECT_EQ(key.key_id, s.dkg.outcome.key.key_id);
  EXPECT_EQ(key.epoch, s.dkg.outcome.key.epoch);
  EXPECT_EQ(key.threshold, t_new);
  ASSERT_EQ(key.public_shares.size(), m_new);
  for (std::uint16_t j = 1; j <= m_new; ++j) EXPECT_EQ(P256Point::base_mul(run.new_shares[j - 1]), key.public_shares[j - 1]) << j;
  EXPECT_EQ(run.outcome.qualified.size(), static_cast<std::size_t>(m_old - faults.offline_dealers.size()));

  // Any t_new new trustees open the record sealed before the resharing; t_new - 1 do not.
  std::vector<std::uint16_t> highest;
  for (std::uint16_t j = m_new; highest.size() < t_new; --j) highest.push_back(j);
  auto shares = answers(s, key, run.new_shares, highest, request_id(0x31));
  auto combined = combine_decryption_shares(key, request_id(0x31), s.ephemeral, shares);
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  auto visit = open_record_v2_with_shared_point(s.record, combined->shared);
  ASSERT_TRUE(visit.ok()) << visit.status().to_string();
  EXPECT_EQ(*visit, s.visit);
  shares.pop_back();
  EXPECT_FALSE(combine_decryption_shares(key, request_id(0x31), s.ephemeral, shares).ok());
}

TEST(Reshare, ThreeOfFourToThreeOfFiveKeepsTheKey) { reshare_keeps_key_and_old_records_open(4, 3, 5, 3, {}); }

TEST(Reshare, ThreeOfFiveToTwoOfFourKeepsTheKeyWithAnOfflineDealer) {
  reshare_keeps_key_and_old_records_open(5, 3, 4, 2, ReshareFaults{{2}, std::nullopt, std::nullopt});
}

TEST(Reshare, TwoSuccessiveResharingsKeepTheKey) {
  Scenario s(4, 3, 5, 3);
  ReshareRun<AccessKeyGroup> first = s.reshare();
  Trustees third(4, 2);
  AccessReshareParams params{first.outcome.key, third.params, 2};
  std::vector<std::optional<P256Scalar>> shares(first.new_shares.begin(), first.new_shares.end());
  ReshareRun<AccessKeyGroup> second = run_reshare(params, shares, third.secrets);
  EXPECT_EQ(second.outcome.key.group_key, s.dkg.outcome.key.group_key);
  auto combined = combine_decryption_shares(second.outcome.key, request_id(0x32), s.ephemeral,
                                            answers(s, second.outcome.key, second.new_shares, {1, 4}, request_id(0x32)));
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  EXPECT_TRUE(open_record_v2_with_shared_point(s.record, combined->shared).ok());
}

// "Useless": an old share x_i is a point of the old polynomial, the new shares of an
// independent one with the same constant term. Against the new key, a decryption share made
// with x_i fails its proof (it is checked against Y'_i), and even combined without any check
// with t_new - 1 new shares it gives a point other than y*E. What it does not mean: t_old old
// shares still interpolate y (the last assertion), which is why honest old trustees erase them.
TEST(Reshare, AnOldShareIsUselessAgainstTheNewSet) {
  Scenario s(4, 3, 5, 3);
  ReshareRun<AccessKeyGroup> run = s.reshare();
  const AccessKeyPublic& key = run.outcome.key;
  const RequestId id = request_id(0x33);
  // Old trustee 4 departed; new trustees 1 and 2 answer, and 4 answers with its old share.
  std::vector<P256Scalar> old_shares;
  for (const auto& share : s.dkg.secret_shares) old_shares.push_back(*share);
  std::vector<DecryptionShare> mixed = answers(s, key, run.new_shares, {1, 2}, id);
  DecryptionShare stale = must(make_decryption_share(s.dkg.outcome.key, 4, old_shares[3], id, s.ephemeral), "old");
  mixed.push_back(stale);
  EXPECT_FALSE(verify_decryption_share(key, id, s.ephemeral, stale).ok());
  auto refused = combine_decryption_shares(key, id, s.ephemeral, mixed);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("only 2 valid decryption shares of the 3 needed"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("trustee 4"), std::string::npos) << refused.status().message();

  // Without any proof check: the Lagrange combination of the mixed points is not y*E.
  const std::vector<std::uint16_t> indices = {1, 2, 4};
  P256Point mixed_point = P256Point::generator();
  for (std::size_t n = 0; n < mixed.size(); ++n) {
    P256Point term = mixed[n].partial.mul(must(lagrange_at_zero(indices, indices[n]), "lambda"));
    mixed_point = n == 0 ? term : mixed_point + term;
  }
  EXPECT_FALSE(open_record_v2_with_shared_point(s.record, mixed_point).ok());
  // The new trustee 4's own share is what opens it with 1 and 2.
  auto honest = combine_decryption_shares(key, id, s.ephemeral, answers(s, key, run.new_shares, {1, 2, 4}, id));
  ASSERT_TRUE(honest.ok());
  EXPECT_TRUE(open_record_v2_with_shared_point(s.record, honest->shared).ok());
  // The assumption: unerased, t_old old shares still combine under the old public shares.
  auto old_combined = combine_decryption_shares(s.dkg.outcome.key, id, s.ephemeral, answers(s, s.dkg.outcome.key, old_shares, {2, 3, 4}, id));
  ASSERT_TRUE(old_combined.ok());
  EXPECT_TRUE(open_record_v2_with_shared_point(s.record, old_combined->shared).ok());
}

TEST(Reshare, ADealerResharingAnotherValueIsCaughtByTheConstantTerm) {
  Scenario s(4, 3, 5, 3);
  AccessReshareDeal liar = testing::deal_of_another_value(s.params, 2);
  Status check = check_reshare_deal(s.params, liar);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.message(), "old trustee 2 reshares a value other than its share");
  // Its boxes are consistent with its commitments: only the constant term gives it away.
  EXPECT_TRUE(boxes_match_commitments(s.params, liar, s.new_trustees.secrets));
  ReshareRun<AccessKeyGroup> run = s.reshare(ReshareFaults{{}, std::uint16_t{2}, std::nullopt});
  EXPECT_EQ(run.outcome.wrong_constant, (std::vector<std::uint16_t>{2}));
  EXPECT_EQ(run.outcome.qualified, (std::vector<std::uint16_t>{1, 3, 4}));
  EXPECT_TRUE(run.complaints.empty());
  EXPECT_EQ(run.outcome.key.group_key, s.dkg.outcome.key.group_key);
  auto combined = combine_decryption_shares(run.outcome.key, request_id(0x34), s.ephemeral,
                                            answers(s, run.outcome.key, run.new_shares, {1, 3, 5}, request_id(0x34)));
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  EXPECT_TRUE(open_record_v2_with_shared_point(s.record, combined->shared).ok());
  // A new trustee refuses its share of that deal, and an honest dealer cannot be made to lie.
  EXPECT_FALSE(receive_reshare_share(s.params, liar, 1, s.new_trustees.secrets[0]).ok());
  auto refused = make_reshare_deal(s.params, 2, P256Scalar::random_nonzero());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "the share to reshare is not old trustee 2's");
}

TEST(Reshare, ABadBoxedShareIsConvictedAndAFalseComplaintRejected) {
  Scenario s(4, 3, 5, 3);
  const std::uint16_t cheater = 2, victim = 3;
  ReshareRun<AccessKeyGroup> run = s.reshare(ReshareFaults{{}, std::nullopt, std::make_pair(cheater, victim)});
  ASSERT_EQ(run.complaints.size(), 1u);
  EXPECT_EQ(run.complaints[0].complainer, victim);
  EXPECT_EQ(judge_reshare_complaint(s.params, *run.deals[cheater - 1], run.complaints[0]).value(),
            ComplaintVerdict::kDealerFaulty);
  EXPECT_EQ(run.outcome.disqualified, (std::vector<std::uint16_t>{cheater}));
  EXPECT_EQ(run.outcome.qualified, (std::vector<std::uint16_t>{1, 3, 4}));
  EXPECT_EQ(P256Point::base_mul(run.new_shares[victim - 1]), run.outcome.key.public_shares[victim - 1]);

  // New trustee 1 complains about honest dealer 3: the judge opens the box and finds it good.
  ReshareComplaint unfounded = must(make_reshare_complaint(s.params, *run.deals[2], 1, s.new_trustees.secrets[0]), "c");
  EXPECT_EQ(judge_reshare_complaint(s.params, *run.deals[2], unfounded).value(), ComplaintVerdict::kComplaintUnfounded);
  // New trustee 4 claims trustee 1's box with its own key: the proof fails.
  ReshareComplaint forged = unfounded;
  forged.complainer = 4;
  EXPECT_FALSE(judge_reshare_complaint(s.params, *run.deals[2], forged).ok());
  // A complaint's S for another point (a lie about the box) fails its proof too.
  ReshareComplaint lie = unfounded;
  lie.shared = lie.shared + P256Point::generator();
  EXPECT_FALSE(judge_reshare_complaint(s.params, *run.deals[2], lie).ok());
  std::vector<ReshareComplaint> complaints = run.complaints;
  complaints.push_back(unfounded);
  complaints.push_back(forged);
  auto outcome = must(finalize_reshare(s.params, run.deals, complaints), "finalize");
  EXPECT_EQ(outcome.qualified, (std::vector<std::uint16_t>{1, 3, 4}));
  EXPECT_EQ(outcome.rejected_complainers, (std::vector<std::uint16_t>{1, 4}));
}

TEST(Reshare, TooFewQualifiedOldDealersIsAFailure) {
  Scenario s(4, 3, 5, 3);
  std::vector<std::optional<AccessReshareDeal>> deals(4);
  deals[0] = must(make_reshare_deal(s.params, 1, *s.dkg.secret_shares[0]), "deal 1");
  deals[2] = must(make_reshare_deal(s.params, 3, *s.dkg.secret_shares[2]), "deal 3");
  auto outcome = finalize_reshare(s.params, deals, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(), "only 2 of the t_old = 3 needed old dealers qualified");
  // A third dealer that reshares another value does not make up the count.
  deals[3] = testing::deal_of_another_value(s.params, 4);
  EXPECT_FALSE(finalize_reshare(s.params, deals, {}).ok());
  deals[3] = must(make_reshare_deal(s.params, 4, *s.dkg.secret_shares[3]), "deal 4");
  EXPECT_TRUE(finalize_reshare(s.params, deals, {}).ok());
}

// Complaints about dealers already out: about a dealer that reshared another value nobody is
// blamed (it is out publicly anyway); about an absent dealer the complainer is.
TEST(Reshare, ComplaintsAboutExcludedDealers) {
  Scenario s(5, 3, 5, 3);
  ReshareRun<AccessKeyGroup> run = s.reshare(ReshareFaults{{4}, std::uint16_t{2}, std::nullopt});
  ReshareComplaint about_liar =
      must(make_reshare_complaint(s.params, *run.deals[0], 3, s.new_trustees.secrets[2]), "complaint");
  about_liar.dealer = 2;
  ReshareComplaint about_absent = about_liar;
  about_absent.complainer = 5;
  about_absent.dealer = 4;
  auto outcome = must(finalize_reshare(s.params, run.deals, {about_liar, about_absent}), "finalize");
  EXPECT_EQ(outcome.qualified, (std::vector<std::uint16_t>{1, 3, 5}));
  EXPECT_EQ(outcome.wrong_constant, (std::vector<std::uint16_t>{2}));
  EXPECT_EQ(outcome.absent, (std::vector<std::uint16_t>{4}));
  EXPECT_EQ(outcome.rejected_complainers, (std::vector<std::uint16_t>{5}));
}

// The outcome checks that the interpolated key is the key: old public shares that do not
// belong to the stated key (here the key replaced, the shares kept) are refused.
TEST(Reshare, AKeyThatTheOldPublicSharesDoNotInterpolateIsRefused) {
  Scenario s(4, 3, 5, 3);
  s.params.old_key.group_key = P256Point::base_mul(P256Scalar::random_nonzero());
  std::vector<std::optional<AccessReshareDeal>> deals;
  for (std::uint16_t i = 1; i <= 4; ++i) deals.emplace_back(must(make_reshare_deal(s.params, i, *s.dkg.secret_shares[i - 1]), "deal"));
  auto outcome = finalize_reshare(s.params, deals, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().message(), "the reshared key is not the old key (the old public shares are inconsistent)");
}

TEST(Reshare, ParametersAreChecked) {
  Scenario s(4, 3, 5, 3);
  AccessReshareParams p = s.params;
  p.reshare_epoch = 0;
  EXPECT_EQ(check_reshare_params(p).message(), "resharing epochs start at 1");
  p = s.params;
  p.new_trustees.epoch = 2;
  EXPECT_EQ(check_reshare_params(p).message(), "a resharing keeps the key epoch (1), not 2");
  p = s.params;
  p.new_trustees.chain_id[0] ^= 1;
  EXPECT_EQ(check_reshare_params(p).message(), "a resharing cannot change the chain");
  p = s.params;
  p.old_key.threshold = 5;
  EXPECT_FALSE(check_reshare_params(p).ok());
  p = s.params;
  p.new_trustees.threshold = 6;
  EXPECT_FALSE(check_reshare_params(p).ok());
  // Every part of the setting changes the digest that binds the messages.
  const Digest32 digest = reshare_digest(s.params);
  p = s.params;
  p.reshare_epoch = 2;
  EXPECT_NE(reshare_digest(p), digest);
  p = s.params;
  p.new_trustees.threshold = 2;
  EXPECT_NE(reshare_digest(p), digest);
  p = s.params;
  std::swap(p.old_key.public_shares[0], p.old_key.public_shares[1]);
  EXPECT_NE(reshare_digest(p), digest);
}

}  // namespace
}  // namespace hc::crypto::threshold
