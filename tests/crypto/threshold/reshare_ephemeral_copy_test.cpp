// Regression: a resharing complaint must not be a decryption oracle. A complaint reveals
// S = sk_j * E for the ephemeral E of the box it is about; a dealer that copies the ephemeral of
// an honest dealer's box to the same new trustee into its own unopenable box would otherwise
// have that trustee's complaint open the honest box (and with t_new such complaints rebuild the
// honest dealer's polynomial, hence its old share). Each box now carries a proof that its dealer
// knows its ephemeral secret, bound to the box's context (docs/threshold.md, "Resharing").
#include <gtest/gtest.h>

#include "crypto/p256_kem.h"
#include "crypto/threshold/access_reshare.h"
#include "reshare_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::DkgRun;
using testing::must;
using testing::Trustees;
using testing::run_dkg;

TEST(ReshareEphemeralCopy, AVictimsComplaintDoesNotOpenTheHonestBoxWhoseEphemeralWasCopied) {
  Trustees old_trustees(4, 3);
  DkgRun dkg = run_dkg(old_trustees, {});
  Trustees new_trustees(4, 3);
  AccessReshareParams params;
  params.old_key = dkg.outcome.key;
  params.new_trustees = new_trustees.params;
  params.reshare_epoch = 1;
  const AccessReshareDeal honest = must(make_reshare_deal(params, 1, *dkg.secret_shares[0]), "honest deal");
  AccessReshareDeal liar = must(make_reshare_deal(params, 2, *dkg.secret_shares[1]), "liar's deal");
  // The liar's box for new trustee 1: the honest box's ephemeral, then bytes that do not open.
  Bytes copied(honest.share_boxes[0].begin(), honest.share_boxes[0].begin() + kP256PointBytes);
  copied.resize(honest.share_boxes[0].size(), 0x5c);
  liar.share_boxes[0] = copied;
  liar.box_proofs[0] = honest.box_proofs[0];  // the honest box's proof, bound to dealer 1's context

  const Digest32 digest = reshare_digest(params);
  const Bytes honest_context = reshare_share_context<AccessKeyGroup>(digest, 1, 1);
  auto complaint = make_reshare_complaint(params, liar, 1, new_trustees.secrets[0]);
  if (complaint.ok()) {
    EXPECT_FALSE(box_open_with_shared_point(complaint->shared, honest_context, honest.share_boxes[0]).ok())
        << "new trustee 1's complaint about the liar opened honest dealer 1's box";
  }
  EXPECT_FALSE(complaint.ok()) << "a complaint was made about a box whose ephemeral the dealer did not prove";
  EXPECT_FALSE(decode_reshare_deal(params, encode_reshare_deal(params, liar)).ok());
}

// An honest deal's box proofs bind the box to its dealer and recipient: a flipped proof byte,
// or two boxes swapped with their proofs, make the deal undecodable.
TEST(ReshareEphemeralCopy, TheDecoderChecksEveryBoxProof) {
  Trustees old_trustees(4, 3);
  DkgRun dkg = run_dkg(old_trustees, {});
  Trustees new_trustees(5, 3);
  AccessReshareParams params;
  params.old_key = dkg.outcome.key;
  params.new_trustees = new_trustees.params;
  params.reshare_epoch = 1;
  const AccessReshareDeal deal = must(make_reshare_deal(params, 3, *dkg.secret_shares[2]), "deal");
  const Bytes bytes = encode_reshare_deal(params, deal);
  ASSERT_TRUE(decode_reshare_deal(params, bytes).ok());
  Bytes flipped = bytes;
  flipped[bytes.size() - 1] ^= 0x01;  // the last box's proof
  EXPECT_EQ(decode_reshare_deal(params, flipped).status().message(),
            "resharing deal's share box 5 has no valid proof of its ephemeral secret");
  AccessReshareDeal swapped = deal;
  std::swap(swapped.share_boxes[0], swapped.share_boxes[1]);
  std::swap(swapped.box_proofs[0], swapped.box_proofs[1]);
  EXPECT_FALSE(decode_reshare_deal(params, encode_reshare_deal(params, swapped)).ok());
}

}  // namespace
}  // namespace hc::crypto::threshold
