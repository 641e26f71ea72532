// The resharing messages' canonical encodings (docs/threshold.md, "Resharing"): exact sizes,
// round trips, and refusal of trailing or missing bytes, another tag (a DKG deal is not a
// resharing deal), another setting (chain, resharing epoch, trustee sets), counts other than
// t_new and m_new, indices out of range and points off the curve.
#include <gtest/gtest.h>

#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/dkg_deal.h"
#include "reshare_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::DkgRun;
using testing::must;
using testing::Trustees;
using testing::run_dkg;

struct Transcript {
  Trustees old_trustees{4, 3};
  DkgRun dkg = run_dkg(old_trustees, {});
  Trustees new_trustees{5, 3};
  AccessReshareParams params{dkg.outcome.key, new_trustees.params, 1};
  AccessReshareDeal deal = must(make_reshare_deal(params, 2, *dkg.secret_shares[1]), "deal");
  Bytes deal_bytes = encode_reshare_deal(params, deal);
  ReshareComplaint complaint = must(make_reshare_complaint(params, deal, 4, new_trustees.secrets[3]), "complaint");
  Bytes complaint_bytes = encode_reshare_complaint(params, complaint);
};

// The deal's fields start after LP(tag) || digest.
constexpr std::size_t kDealHeader = 4 + AccessKeyGroup::kDealTag.size() + 32;

TEST(ReshareEncoding, DealRoundTripsAtItsExactSize) {
  Transcript tr;
  EXPECT_EQ(tr.deal_bytes.size(), kDealHeader + 2 + 2 + 3 * kP256PointBytes + 2 + 5 * (kShareBoxBytes + kDleqProofBytes));
  auto decoded = decode_reshare_deal(tr.params, tr.deal_bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->dealer, 2);
  EXPECT_EQ(encode_reshare_deal(tr.params, *decoded), tr.deal_bytes);
  EXPECT_TRUE(check_reshare_deal(tr.params, *decoded).ok());
}

TEST(ReshareEncoding, DealRefusesMalformedBytes) {
  Transcript tr;
  Bytes trailing = tr.deal_bytes;
  trailing.push_back(0);
  EXPECT_EQ(decode_reshare_deal(tr.params, trailing).status().message(), "resharing deal: 1 trailing bytes");
  Bytes truncated(tr.deal_bytes.begin(), tr.deal_bytes.end() - 1);
  EXPECT_FALSE(decode_reshare_deal(tr.params, truncated).ok());
  EXPECT_FALSE(decode_reshare_deal(tr.params, Bytes{}).ok());
  Bytes tag = tr.deal_bytes;
  tag[5] ^= 1;
  EXPECT_FALSE(decode_reshare_deal(tr.params, tag).ok());
  Bytes dealer = tr.deal_bytes;  // old dealer 5 of 4
  dealer[kDealHeader + 1] = 5;
  EXPECT_FALSE(decode_reshare_deal(tr.params, dealer).ok());
  dealer[kDealHeader + 1] = 0;
  EXPECT_FALSE(decode_reshare_deal(tr.params, dealer).ok());
  Bytes count = tr.deal_bytes;  // 4 commitments announced, t_new = 3
  count[kDealHeader + 3] = 4;
  EXPECT_EQ(decode_reshare_deal(tr.params, count).status().message(), "resharing deal has 4 commitments, not t_new");
  Bytes shares = tr.deal_bytes;  // the share count after the commitments
  shares[kDealHeader + 4 + 3 * kP256PointBytes + 1] = 64;
  EXPECT_EQ(decode_reshare_deal(tr.params, shares).status().message(), "resharing deal has 64 shares, not m_new");
  Bytes point = tr.deal_bytes;  // a commitment off the curve
  point[kDealHeader + 4 + 64] ^= 1;
  EXPECT_FALSE(decode_reshare_deal(tr.params, point).ok());
  Bytes box = tr.deal_bytes;  // a box whose ephemeral key is not a point
  box[kDealHeader + 4 + 3 * kP256PointBytes + 2 + 0] = 0x05;
  EXPECT_FALSE(decode_reshare_deal(tr.params, box).ok());
}

TEST(ReshareEncoding, MessagesAreBoundToTheirSetting) {
  Transcript tr;
  AccessReshareParams other = tr.params;
  other.reshare_epoch = 2;
  EXPECT_EQ(decode_reshare_deal(other, tr.deal_bytes).status().message(), "resharing deal is for other parameters");
  EXPECT_FALSE(decode_reshare_complaint(other, tr.complaint_bytes).ok());
  other = tr.params;
  other.new_trustees.trustee_keys[4] = P256Point::base_mul(P256Scalar::random_nonzero());
  EXPECT_FALSE(decode_reshare_deal(other, tr.deal_bytes).ok());
  other = tr.params;
  other.old_key.chain_id[31] ^= 1;
  other.new_trustees.chain_id[31] ^= 1;
  EXPECT_FALSE(decode_reshare_deal(other, tr.deal_bytes).ok());
  other = tr.params;  // the same trustees resharing the key of another key epoch
  other.old_key.epoch += 1;
  other.new_trustees.epoch += 1;
  EXPECT_EQ(decode_reshare_deal(other, tr.deal_bytes).status().message(), "resharing deal is for other parameters");
  EXPECT_FALSE(decode_reshare_complaint(other, tr.complaint_bytes).ok());
  // Dealer 2's deal relabelled as dealer 3's: its boxes' proofs name dealer 2.
  Bytes relabelled = tr.deal_bytes;
  relabelled[kDealHeader + 1] = 3;
  EXPECT_FALSE(decode_reshare_deal(tr.params, relabelled).ok());
  // A DKG deal of the new trustees is not a resharing deal, nor the other way round.
  Bytes dkg_deal = encode_deal(tr.new_trustees.params, must(make_deal(tr.new_trustees.params, 2), "dkg deal"));
  EXPECT_FALSE(decode_reshare_deal(tr.params, dkg_deal).ok());
  EXPECT_FALSE(decode_deal(tr.new_trustees.params, tr.deal_bytes).ok());
  // A box of the resharing does not open under another resharing epoch's context.
  EXPECT_TRUE(receive_reshare_share(tr.params, tr.deal, 1, tr.new_trustees.secrets[0]).ok());
  other = tr.params;
  other.reshare_epoch = 2;
  EXPECT_FALSE(receive_reshare_share(other, tr.deal, 1, tr.new_trustees.secrets[0]).ok());
}

TEST(ReshareEncoding, ComplaintRoundTripsAndRefusesMalformedBytes) {
  Transcript tr;
  EXPECT_EQ(tr.complaint_bytes.size(), reshare_complaint_bytes<AccessKeyGroup>());
  auto decoded = decode_reshare_complaint(tr.params, tr.complaint_bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->complainer, 4);
  EXPECT_EQ(decoded->dealer, 2);
  EXPECT_EQ(encode_reshare_complaint(tr.params, *decoded), tr.complaint_bytes);
  EXPECT_EQ(judge_reshare_complaint(tr.params, tr.deal, *decoded).value(), ComplaintVerdict::kComplaintUnfounded);
  Bytes trailing = tr.complaint_bytes;
  trailing.push_back(0);
  EXPECT_FALSE(decode_reshare_complaint(tr.params, trailing).ok());
  const std::size_t fields = 4 + AccessKeyGroup::kComplaintTag.size() + 32;
  Bytes complainer = tr.complaint_bytes;  // new trustee 6 of 5
  complainer[fields + 1] = 6;
  EXPECT_FALSE(decode_reshare_complaint(tr.params, complainer).ok());
  Bytes dealer = tr.complaint_bytes;  // old dealer 5 of 4
  dealer[fields + 3] = 5;
  EXPECT_FALSE(decode_reshare_complaint(tr.params, dealer).ok());
  Bytes point = tr.complaint_bytes;
  point[fields + 4 + 40] ^= 1;
  EXPECT_FALSE(decode_reshare_complaint(tr.params, point).ok());
  // A proof edited after the fact no longer verifies.
  Bytes proof = tr.complaint_bytes;
  proof.back() ^= 1;
  auto edited = decode_reshare_complaint(tr.params, proof);
  if (edited.ok()) {
    EXPECT_FALSE(judge_reshare_complaint(tr.params, tr.deal, *edited).ok());
  }
}

}  // namespace
}  // namespace hc::crypto::threshold
