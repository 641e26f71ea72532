// Every decoder of the DKG's messages against bad input: truncation at every length, a
// trailing byte, every byte altered, and messages of another chain or epoch.
#include <gtest/gtest.h>

#include "dkg_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::Trustees;

TEST(DkgDecoders, DealRoundTripsAndRefusesEveryTruncationAndTrailingByte) {
  Trustees trustees(4, 3);
  DkgDeal deal = make_deal(trustees.params, 2).value();
  Bytes encoded = encode_deal(trustees.params, deal);
  EXPECT_EQ(encoded.size(), 4 + 14 + 32 + 2 + 2 + 3 * 65 + 2 + 4 * (kShareBoxBytes + kDleqProofBytes));
  auto back = decode_deal(trustees.params, encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(encode_deal(trustees.params, *back), encoded);
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_deal(trustees.params, ByteSpan(encoded).first(n)).ok()) << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_deal(trustees.params, longer).ok());

  // The legacy form (no proofs, chains whose genesis predates them) round-trips as such.
  DkgDeal legacy = deal;
  legacy.box_proofs.clear();
  const Bytes legacy_bytes = encode_deal(trustees.params, legacy);
  EXPECT_EQ(legacy_bytes.size(), 4 + 14 + 32 + 2 + 2 + 3 * 65 + 2 + 4 * kShareBoxBytes);
  auto legacy_back = decode_deal(trustees.params, legacy_bytes);
  ASSERT_TRUE(legacy_back.ok());
  EXPECT_FALSE(deal_boxes_proven(*legacy_back));
  EXPECT_EQ(encode_deal(trustees.params, *legacy_back), legacy_bytes);
  for (std::size_t n = 0; n < legacy_bytes.size(); ++n) {
    EXPECT_FALSE(decode_deal(trustees.params, ByteSpan(legacy_bytes).first(n)).ok()) << n;
  }
}

TEST(DkgDecoders, DealHeaderAndPointsAreChecked) {
  Trustees trustees(4, 3);
  Bytes encoded = encode_deal(trustees.params, make_deal(trustees.params, 2).value());
  // Tag, length prefix, params digest, dealer, counts and every commitment byte: each
  // altered byte is refused by the decoder (an altered coordinate leaves the curve; the
  // share boxes are checked by their tag when opened, see ShareBox* and the complaint tests).
  const std::size_t header_and_commitments = 4 + 14 + 32 + 2 + 2 + 3 * 65 + 2;
  for (std::size_t i = 0; i < header_and_commitments; ++i) {
    Bytes altered = encoded;
    altered[i] ^= 0x01;
    auto r = decode_deal(trustees.params, altered);
    if (!r.ok()) continue;
    // Only the dealer field can change and still decode (dealer 2 reads as dealer 3): the
    // chain checks it against the sender, and no box opens under the other dealer's context.
    EXPECT_TRUE(i == 4 + 14 + 32 || i == 4 + 14 + 32 + 1) << i;
    EXPECT_FALSE(receive_share(trustees.params, *r, 1, trustees.secrets[0]).ok()) << i;
  }
  Trustees other_chain(4, 3);
  other_chain.params.trustee_keys = trustees.params.trustee_keys;
  other_chain.params.chain_id[0] ^= 1;
  EXPECT_EQ(decode_deal(other_chain.params, encoded).status().message(), "deal is for other DKG parameters");
  DkgParams next_epoch = trustees.params;
  next_epoch.epoch += 1;
  EXPECT_FALSE(decode_deal(next_epoch, encoded).ok());
  // An off-curve ephemeral key inside a share box.
  Bytes bad_box = encoded;
  bad_box[header_and_commitments + 64] ^= 0x01;
  EXPECT_FALSE(decode_deal(trustees.params, bad_box).ok());
  EXPECT_FALSE(decode_deal(trustees.params, {}).ok());
}

TEST(DkgDecoders, ShareBoxOfAnotherDealerOrRecipientDoesNotOpen) {
  Trustees trustees(4, 3);
  DkgDeal a = make_deal(trustees.params, 1).value();
  DkgDeal b = make_deal(trustees.params, 2).value();
  DkgDeal spliced = b;
  spliced.share_boxes[2] = a.share_boxes[2];  // dealer 1's box for trustee 3 replayed by dealer 2
  EXPECT_FALSE(receive_share(trustees.params, spliced, 3, trustees.secrets[2]).ok());
  DkgDeal swapped = a;
  std::swap(swapped.share_boxes[0], swapped.share_boxes[1]);
  EXPECT_FALSE(receive_share(trustees.params, swapped, 1, trustees.secrets[0]).ok());
}

TEST(DkgDecoders, ComplaintRoundTripsAndRefusesBadBytes) {
  Trustees trustees(4, 3);
  DkgDeal deal = testing::deal_with_bad_share(trustees.params, 1, 2);
  DkgComplaint complaint = make_complaint(trustees.params, deal, 2, trustees.secrets[1]).value();
  Bytes encoded = encode_complaint(trustees.params, complaint);
  ASSERT_EQ(encoded.size(), kComplaintBytes);
  auto back = decode_complaint(trustees.params, encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(encode_complaint(trustees.params, *back), encoded);
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_complaint(trustees.params, ByteSpan(encoded).first(n)).ok()) << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_complaint(trustees.params, longer).ok());
  // Every altered byte: refused by the decoder, or the altered complaint no longer convicts.
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes altered = encoded;
    altered[i] ^= 0x01;
    auto r = decode_complaint(trustees.params, altered);
    if (!r.ok()) continue;
    if (r->dealer != 1) continue;  // about another deal: judged against that one
    auto verdict = judge_complaint(trustees.params, deal, *r);
    EXPECT_FALSE(verdict.ok()) << "byte " << i;
  }
  Bytes index_zero = encoded;
  index_zero[4 + 19 + 32] = 0;
  index_zero[4 + 19 + 32 + 1] = 0;
  EXPECT_FALSE(decode_complaint(trustees.params, index_zero).ok());
  DkgParams next_epoch = trustees.params;
  next_epoch.epoch += 1;
  EXPECT_FALSE(decode_complaint(next_epoch, encoded).ok());
}

}  // namespace
}  // namespace hc::crypto::threshold
