// Regression: a DKG complaint (access key and opener key) must not be a decryption oracle. A
// complaint reveals S = sk_j * E for the ephemeral E of the box it is about; a corrupt dealer
// that puts the ephemeral of an honest dealer's box to trustee j (or a multiple a*E of it,
// S/a then opens the honest box) into its own unopenable box would otherwise have j's
// complaint, which its node posts automatically, open the honest box for everyone. Every box
// now carries a proof that its dealer knows its ephemeral secret (box_ephemeral_proof.h): such
// a deal does not decode, and no complaint is made about an unproven box.
#include <gtest/gtest.h>

#include "crypto/p256_kem.h"
#include "opener_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::Trustees;

// Box `recipient` of `honest` with its ephemeral multiplied by `factor` and bytes that do not open.
Bytes box_with_copied_ephemeral(const Bytes& honest_box, std::uint64_t factor) {
  const P256Point ephemeral =
      P256Point::decode(ByteSpan(honest_box.data(), kP256PointBytes)).value().mul(P256Scalar::from_u64(factor));
  const auto encoded = ephemeral.encode();
  Bytes copied(encoded.begin(), encoded.end());
  copied.resize(honest_box.size(), 0x5c);
  return copied;
}

class DkgEphemeralCopy : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(DkgEphemeralCopy, AVictimsComplaintDoesNotOpenTheHonestBox) {
  const std::uint64_t factor = GetParam();
  Trustees trustees(4, 3);
  const DkgDeal honest = make_deal(trustees.params, 1).value();
  DkgDeal liar = make_deal(trustees.params, 2).value();
  liar.share_boxes[0] = box_with_copied_ephemeral(honest.share_boxes[0], factor);
  liar.box_proofs[0] = honest.box_proofs[0];  // bound to dealer 1's box context, and to E, not a*E

  auto complaint = make_complaint(trustees.params, liar, 1, trustees.secrets[0]);
  if (complaint.ok()) {
    const P256Point opener = complaint->shared.mul(P256Scalar::from_u64(factor).inverse().value());
    EXPECT_FALSE(box_open_with_shared_point(opener, dkg_share_context(trustees.params, 1, 1),
                                            honest.share_boxes[0]).ok())
        << "trustee 1's complaint about the liar opened honest dealer 1's box";
  }
  EXPECT_FALSE(complaint.ok()) << "a complaint was made about a box whose ephemeral the dealer did not prove";
  EXPECT_FALSE(decode_deal(trustees.params, encode_deal(trustees.params, liar)).ok());

  // The same deal without any proofs is the legacy form: it decodes (old chains' history), but
  // still no complaint reveals S about its boxes.
  DkgDeal legacy = liar;
  legacy.box_proofs.clear();
  auto decoded = decode_deal(trustees.params, encode_deal(trustees.params, legacy));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_FALSE(deal_boxes_proven(*decoded));
  EXPECT_FALSE(make_complaint(trustees.params, *decoded, 1, trustees.secrets[0]).ok());
}

TEST_P(DkgEphemeralCopy, AVictimsOpenerComplaintDoesNotOpenTheHonestBox) {
  const std::uint64_t factor = GetParam();
  Trustees trustees(4, 3);
  const OpenerDkgParams params{trustees.params, G1::generator()};
  const OpenerDeal honest = make_opener_deal(params, 1).value();
  OpenerDeal liar = make_opener_deal(params, 2).value();
  liar.share_boxes[0] = box_with_copied_ephemeral(honest.share_boxes[0], factor);
  liar.box_proofs[0] = honest.box_proofs[0];

  auto complaint = make_opener_complaint(params, liar, 1, trustees.secrets[0]);
  if (complaint.ok()) {
    const P256Point opener = complaint->shared.mul(P256Scalar::from_u64(factor).inverse().value());
    EXPECT_FALSE(
        box_open_with_shared_point(opener, opener_share_context(params, 1, 1), honest.share_boxes[0]).ok())
        << "trustee 1's opener complaint about the liar opened honest dealer 1's box";
  }
  EXPECT_FALSE(complaint.ok()) << "an opener complaint was made about an unproven box";
  EXPECT_FALSE(decode_opener_deal(params, encode_opener_deal(params, liar)).ok());
  OpenerDeal legacy = liar;
  legacy.box_proofs.clear();
  auto decoded = decode_opener_deal(params, encode_opener_deal(params, legacy));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_FALSE(make_opener_complaint(params, *decoded, 1, trustees.secrets[0]).ok());
}

INSTANTIATE_TEST_SUITE_P(CopiedOrMultiplied, DkgEphemeralCopy, ::testing::Values(1u, 3u));

// The judge refuses a complaint about a box of a proven-form deal whose proof fails, and still
// judges a legacy-form deal's complaint as before (old chains' history).
TEST(DkgEphemeralProof, TheJudgeRefusesAnUnprovenBoxOfAProvenDeal) {
  Trustees trustees(4, 3);
  DkgDeal deal = testing::deal_with_bad_share(trustees.params, 1, 2);
  const DkgComplaint complaint = make_complaint(trustees.params, deal, 2, trustees.secrets[1]).value();
  EXPECT_EQ(judge_complaint(trustees.params, deal, complaint).value(), ComplaintVerdict::kDealerFaulty);
  DkgDeal legacy = deal;
  legacy.box_proofs.clear();
  EXPECT_EQ(judge_complaint(trustees.params, legacy, complaint).value(), ComplaintVerdict::kDealerFaulty);
  DkgDeal unproven = deal;
  unproven.box_proofs[1] = deal.box_proofs[0];
  EXPECT_EQ(judge_complaint(trustees.params, unproven, complaint).status().message(),
            "complaint is about a box without a valid proof of its ephemeral secret");
}

// Every box proof is checked: a flipped byte of the last proof, two boxes swapped with their
// proofs, or the proven tag over a legacy body make the deal undecodable.
TEST(DkgEphemeralProof, TheDecodersCheckEveryBoxProof) {
  Trustees trustees(5, 3);
  const DkgDeal deal = make_deal(trustees.params, 3).value();
  const Bytes bytes = encode_deal(trustees.params, deal);
  ASSERT_TRUE(decode_deal(trustees.params, bytes).ok());
  Bytes flipped = bytes;
  flipped[bytes.size() - 1] ^= 0x01;
  EXPECT_EQ(decode_deal(trustees.params, flipped).status().message(),
            "deal's share box 5 has no valid proof of its ephemeral secret");
  DkgDeal swapped = deal;
  std::swap(swapped.share_boxes[0], swapped.share_boxes[1]);
  std::swap(swapped.box_proofs[0], swapped.box_proofs[1]);
  EXPECT_FALSE(decode_deal(trustees.params, encode_deal(trustees.params, swapped)).ok());
  DkgDeal legacy = deal;
  legacy.box_proofs.clear();
  Bytes relabelled = encode_deal(trustees.params, legacy);
  relabelled[4 + 13] = '2';  // "HC-DKG-DEAL-v1" -> "-v2" without proofs
  EXPECT_FALSE(decode_deal(trustees.params, relabelled).ok());

  const OpenerDkgParams params{trustees.params, G1::generator()};
  const OpenerDeal opener = make_opener_deal(params, 3).value();
  Bytes opener_bytes = encode_opener_deal(params, opener);
  ASSERT_TRUE(decode_opener_deal(params, opener_bytes).ok());
  opener_bytes[opener_bytes.size() - 1] ^= 0x01;
  EXPECT_EQ(decode_opener_deal(params, opener_bytes).status().message(),
            "opener deal's share box 5 has no valid proof of its ephemeral secret");
}

}  // namespace
}  // namespace hc::crypto::threshold
