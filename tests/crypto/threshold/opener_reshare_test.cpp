// Proactive resharing of the opener key (docs/threshold.md, "Resharing"): 3-of-4 to 3-of-5
// and 3-of-5 to 2-of-4 keep u and h (so the group key and signatures made before stay valid),
// the new key is consistent, and t_new new trustees' partial openings name the signer of a
// signature made before the resharing; an old share's partial opening fails against the new
// key; another value, a bad box and its complaint; the deal's encoding.
#include <gtest/gtest.h>

#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/threshold/opener_encoding.h"
#include "crypto/threshold/opener_reshare.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"
#include "opener_fixture.h"
#include "reshare_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::make_trustee_opened_group;
using testing::must;
using testing::OpenerDkgRun;
using testing::ReshareFaults;
using testing::ReshareRun;
using testing::TrusteeOpenedGroup;
using testing::Trustees;
using testing::run_reshare;

struct OpenerScenario {
  Trustees old_trustees;
  OpenerDkgRun dkg;
  TrusteeOpenedGroup group;
  Trustees new_trustees;
  OpenerReshareParams params;
  Bytes message{'v', 'i', 's', 'i', 't'};
  groupsig::elgamal::Signature sig;  // made before the resharing, by hospital-1

  OpenerScenario(std::uint16_t m_old, std::uint16_t t_old, std::uint16_t m_new, std::uint16_t t_new)
      : old_trustees(m_old, t_old),
        group(make_trustee_opened_group(old_trustees, {}, std::nullopt, 2, dkg)),
        new_trustees(m_new, t_new) {
    params.old_key = dkg.outcome.key;
    params.new_trustees = new_trustees.params;
    params.reshare_epoch = 1;
    sig = groupsig::elgamal::sign(group.members[1], message);
  }
  ReshareRun<OpenerKeyGroup> reshare(const ReshareFaults& faults = {}) const {
    return run_reshare(params, dkg.secret_shares, new_trustees.secrets, faults);
  }
};

RequestId opening_request(std::uint8_t fill) {
  RequestId id{};
  id.fill(fill);
  return id;
}

std::vector<PartialOpening> partials(const OpenerKeyPublic& key, const std::vector<Fr>& shares,
                                     const std::vector<std::uint16_t>& trustees, const RequestId& id,
                                     const groupsig::elgamal::Signature& sig) {
  std::vector<PartialOpening> out;
  for (std::uint16_t j : trustees) out.push_back(must(make_partial_opening(key, j, shares[j - 1], id, sig), "partial"));
  return out;
}

void reshare_keeps_opener_key(std::uint16_t m_old, std::uint16_t t_old, std::uint16_t m_new, std::uint16_t t_new) {
  OpenerScenario s(m_old, t_old, m_new, t_new);
  ReshareRun<OpenerKeyGroup> run = s.reshare();
  const OpenerKeyPublic& key = run.outcome.key;
  EXPECT_TRUE(key.h == s.dkg.outcome.key.h);
  EXPECT_TRUE(key.u == s.dkg.outcome.key.u);
  EXPECT_EQ(key.threshold, t_new);
  ASSERT_EQ(key.public_shares.size(), m_new);
  EXPECT_TRUE(check_opener_key_public(key).ok());
  EXPECT_TRUE(decode_opener_key(encode_opener_key(key)).ok());
  for (std::uint16_t j = 1; j <= m_new; ++j) EXPECT_TRUE(key.u.mul_secret(run.new_shares[j - 1]) == key.public_shares[j - 1]);
  std::vector<std::uint16_t> highest;
  for (std::uint16_t j = m_new; highest.size() < t_new; --j) highest.push_back(j);
  auto opening = combine_partial_openings(key, s.group.setup.registry, opening_request(0x41), s.sig,
                                          partials(key, run.new_shares, highest, opening_request(0x41), s.sig));
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, "hospital-1");
  highest.pop_back();
  EXPECT_FALSE(combine_partial_openings(key, s.group.setup.registry, opening_request(0x41), s.sig,
                                        partials(key, run.new_shares, highest, opening_request(0x41), s.sig))
                   .ok());
}

TEST(OpenerReshare, ThreeOfFourToThreeOfFiveKeepsTheOpenerKey) { reshare_keeps_opener_key(4, 3, 5, 3); }
TEST(OpenerReshare, ThreeOfFiveToTwoOfFourKeepsTheOpenerKey) { reshare_keeps_opener_key(5, 3, 4, 2); }

TEST(OpenerReshare, AnOldShareIsUselessAgainstTheNewSet) {
  OpenerScenario s(4, 3, 5, 3);
  ReshareRun<OpenerKeyGroup> run = s.reshare();
  const RequestId id = opening_request(0x42);
  std::vector<Fr> old_shares;
  for (const auto& share : s.dkg.secret_shares) old_shares.push_back(*share);
  std::vector<PartialOpening> mixed = partials(run.outcome.key, run.new_shares, {1, 2}, id, s.sig);
  PartialOpening stale = partials(s.dkg.outcome.key, old_shares, {4}, id, s.sig).front();
  EXPECT_FALSE(verify_partial_opening(run.outcome.key, id, s.sig, stale).ok());
  mixed.push_back(stale);
  auto refused = combine_partial_openings(run.outcome.key, s.group.setup.registry, id, s.sig, mixed);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("only 2 valid partial openings of the 3 needed"), std::string::npos)
      << refused.status().message();
}

TEST(OpenerReshare, AnotherValueAndABadBoxAreCaught) {
  OpenerScenario s(5, 3, 4, 3);
  OpenerReshareDeal liar = testing::deal_of_another_value(s.params, 1);
  EXPECT_EQ(check_reshare_deal(s.params, liar).message(), "old trustee 1 reshares a value other than its share");
  ReshareRun<OpenerKeyGroup> run =
      s.reshare(ReshareFaults{{}, std::uint16_t{1}, std::make_pair(std::uint16_t{4}, std::uint16_t{2})});
  EXPECT_EQ(run.outcome.wrong_constant, (std::vector<std::uint16_t>{1}));
  ASSERT_EQ(run.complaints.size(), 1u);
  EXPECT_EQ(judge_reshare_complaint(s.params, *run.deals[3], run.complaints[0]).value(), ComplaintVerdict::kDealerFaulty);
  EXPECT_EQ(run.outcome.disqualified, (std::vector<std::uint16_t>{4}));
  EXPECT_EQ(run.outcome.qualified, (std::vector<std::uint16_t>{2, 3, 5}));
  EXPECT_TRUE(run.outcome.key.h == s.dkg.outcome.key.h);
  auto opening = combine_partial_openings(run.outcome.key, s.group.setup.registry, opening_request(0x43), s.sig,
                                          partials(run.outcome.key, run.new_shares, {1, 2, 4}, opening_request(0x43), s.sig));
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, "hospital-1");
  // A false complaint (new trustee 3 about honest dealer 2) is unfounded.
  ReshareComplaint unfounded = must(make_reshare_complaint(s.params, *run.deals[1], 3, s.new_trustees.secrets[2]), "c");
  EXPECT_EQ(judge_reshare_complaint(s.params, *run.deals[1], unfounded).value(), ComplaintVerdict::kComplaintUnfounded);
  // Only 2 qualified of t_old = 3 is a failure.
  std::vector<std::optional<OpenerReshareDeal>> two = {std::nullopt, run.deals[1], run.deals[2], std::nullopt, std::nullopt};
  EXPECT_EQ(finalize_reshare(s.params, two, {}).status().message(), "only 2 of the t_old = 3 needed old dealers qualified");
}

TEST(OpenerReshare, DealEncodingIsExact) {
  OpenerScenario s(4, 3, 5, 3);
  OpenerReshareDeal deal = must(make_reshare_deal(s.params, 3, *s.dkg.secret_shares[2]), "deal");
  Bytes bytes = encode_reshare_deal(s.params, deal);
  const std::size_t header = 4 + OpenerKeyGroup::kDealTag.size() + 32;
  EXPECT_EQ(bytes.size(), header + 2 + 2 + 3 * kOpenerCommitmentBytes + 2 + 5 * (kShareBoxBytes + kDleqProofBytes));
  auto decoded = decode_reshare_deal(s.params, bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(encode_reshare_deal(s.params, *decoded), bytes);
  Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_FALSE(decode_reshare_deal(s.params, trailing).ok());
  Bytes identity = bytes;  // the compressed identity: 0xc0 then zeros
  identity[header + 4] = 0xc0;
  std::fill(identity.begin() + static_cast<std::ptrdiff_t>(header + 5),
            identity.begin() + static_cast<std::ptrdiff_t>(header + 4 + kOpenerCommitmentBytes), 0);
  EXPECT_FALSE(decode_reshare_deal(s.params, identity).ok());
  // An altered domain tag is refused.
  Bytes tag = bytes;
  tag[4 + 3] = 'X';
  EXPECT_FALSE(decode_reshare_deal(s.params, tag).ok());
  // The complaint has the access key's size with its own tag's length.
  ReshareComplaint complaint = must(make_reshare_complaint(s.params, deal, 2, s.new_trustees.secrets[1]), "c");
  Bytes complaint_bytes = encode_reshare_complaint(s.params, complaint);
  EXPECT_EQ(complaint_bytes.size(), reshare_complaint_bytes<OpenerKeyGroup>());
  EXPECT_TRUE(decode_reshare_complaint(s.params, complaint_bytes).ok());
}

}  // namespace
}  // namespace hc::crypto::threshold
