// A dealer's contribution to the DKG (Joint-Feldman with complaints, docs/threshold.md):
// dealer i picks a random polynomial f_i of degree t-1, publishes the Feldman commitments
// C_ik = a_ik * G (k = 0..t-1) and, for every trustee j (itself included), the share
// s_ij = f_i(j) encrypted to trustee j's key in a box (crypto/p256_kem.h) whose context is
// dkg_share_context(params, i, j), each box with a proof that the dealer knows its ephemeral
// secret (box_ephemeral_proof.h, domain "HC-DKG-BOX-POK-v1", the box's context), so that a
// complaint's S = sk_j * E opens no other box. The polynomial is wiped once the deal is made.
//
// Encodings (docs/threshold.md): the proven form LP("HC-DKG-DEAL-v2") || params digest (32)
// || u16 dealer || u16 t || t points (65 each) || u16 m || m x (box of 113 bytes || its
// ephemeral proof of 64 bytes); the legacy form LP("HC-DKG-DEAL-v1") || the same up to m ||
// m boxes of 113 bytes, without proofs, made before the fix and still decoded so that the
// history of chains whose genesis predates it verifies (chain/trustee_rules.cpp says where
// it is accepted). The decoder accepts exactly one of these for the given params (so its size
// is bounded by 64 trustees), checks every ephemeral proof of the proven form, and returns
// kInvalidInput otherwise. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/box_ephemeral_proof.h"
#include "crypto/threshold/dkg_params.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

inline constexpr std::size_t kShareBoxBytes = kP256PointBytes + kP256ScalarBytes + 16;  // 113
// The proof domain of a DKG box's ephemeral proof (box_ephemeral_proof.h).
inline constexpr std::string_view kDkgBoxProofTag = "HC-DKG-BOX-POK-v1";

struct DkgDeal {
  std::uint16_t dealer = 0;
  std::vector<P256Point> commitments;  // t
  std::vector<Bytes> share_boxes;      // m, box for trustee j at position j-1
  // m, knowledge of box j's ephemeral secret at j-1; empty in the legacy form (no proofs)
  std::vector<DleqProof> box_proofs;
};

// true when the deal is in the proven form (a proof per box; the decoder checked them).
inline bool deal_boxes_proven(const DkgDeal& deal) { return !deal.box_proofs.empty(); }
// true when box `recipient` of `deal` has a valid proof of its ephemeral secret.
bool dkg_box_proven(const DkgParams& params, const DkgDeal& deal, std::uint16_t recipient);

Result<DkgDeal> make_deal(const DkgParams& params, std::uint16_t dealer);

// LP("HC-DKG-SHARE-v1") || params digest || u16 dealer || u16 recipient.
Bytes dkg_share_context(const DkgParams& params, std::uint16_t dealer, std::uint16_t recipient);

// The share's box content: the scalar's 32 bytes (exactly; a box of any other content is bad),
// with the proof of knowledge of the box's ephemeral secret.
Result<ProvenBox> seal_dkg_share(const DkgParams& params, std::uint16_t dealer, std::uint16_t recipient,
                             const P256Scalar& share);

// Feldman check: share * G == sum_k index^k * commitments[k].
bool share_matches_commitments(const std::vector<P256Point>& commitments, std::uint16_t index,
                               const P256Scalar& share);
// sum_k index^k * commitments[k] (Horner; index is public).
P256Point evaluate_commitments(const std::vector<P256Point>& commitments, std::uint16_t index);

// Trustee `recipient` opens and checks its share of `deal`. kAuthFailed / kInvalidInput when
// the box does not open, holds no canonical scalar or fails the Feldman check: the trustee
// should then post a complaint (dkg_complaint.h).
Result<P256Scalar> receive_share(const DkgParams& params, const DkgDeal& deal, std::uint16_t recipient,
                                 const P256Scalar& recipient_secret);

// The proven form when the deal has proofs, the legacy form otherwise.
Bytes encode_deal(const DkgParams& params, const DkgDeal& deal);
Result<DkgDeal> decode_deal(const DkgParams& params, ByteSpan bytes);

}  // namespace hc::crypto::threshold
