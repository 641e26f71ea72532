// A new trustee's complaint against an old trustee whose resharing share to it is bad, with
// evidence anyone can judge without the complainer's secret, as in the DKG (dkg_complaint.h):
// new trustee j reveals the ECDH point S = sk_j * E of that one share box (E its ephemeral
// key) with a Chaum-Pedersen proof that log_G(pk_j) = log_E(S). With S, anybody opens the box
// and runs the Feldman check against the deal's commitments: a failure convicts the dealer
// (kDealerFaulty), a success makes the complaint unfounded (and the share public). S is only
// ever revealed for a box whose ephemeral the dealer proved it knows (reshare_deal.h), so it
// opens no other box: a complaint about an unproven box is neither made nor judged.
//
// Encoding: LP(Group::kComplaintTag) || reshare digest (32) || u16 complainer (new index) ||
// u16 dealer (old index) || S (65) || proof (64); exactly reshare_complaint_bytes<Group>().
// Proof domain Group::kComplaintTag, context: the same fields before S plus E.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/p256_kem.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dleq_proof.h"
#include "crypto/threshold/reshare_deal.h"

namespace hc::crypto::threshold {

struct ReshareComplaint {
  std::uint16_t complainer = 0;               // new trustee j
  std::uint16_t dealer = 0;                   // old trustee i
  P256Point shared = P256Point::generator();  // sk_j * E of the box
  DleqProof proof;
};

template <typename Group>
constexpr std::size_t reshare_complaint_bytes() {
  return 4 + Group::kComplaintTag.size() + 32 + 2 + 2 + kP256PointBytes + kDleqProofBytes;
}

template <typename Group>
Bytes reshare_complaint_context(const Digest32& digest, std::uint16_t complainer, std::uint16_t dealer,
                                const P256Point& box_ephemeral) {
  Bytes context;
  append_tag(context, Group::kComplaintTag);
  append_bytes(context, digest);
  append_u16_be(context, complainer);
  append_u16_be(context, dealer);
  append_point(context, box_ephemeral);
  return context;
}

template <typename Group>
Status check_reshare_complaint_pairing(const ReshareParams<Group>& params, const ReshareDeal<Group>& deal,
                                       std::uint16_t complainer, std::uint16_t dealer) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.new_trustees, complainer, "complainer"));
  HC_RETURN_IF_ERROR(check_old_trustee_index(params, dealer, "dealer"));
  if (deal.dealer != dealer) return invalid_input("complaint is about another dealer's deal");
  return check_reshare_deal(params, deal);
}

template <typename Group>
Result<ReshareComplaint> make_reshare_complaint(const ReshareParams<Group>& params, const ReshareDeal<Group>& deal,
                                                std::uint16_t complainer, const P256Scalar& complainer_secret) {
  HC_RETURN_IF_ERROR(check_reshare_complaint_pairing(params, deal, complainer, deal.dealer));
  if (complainer_secret.is_zero()) return invalid_input("complainer secret must be non-zero");
  const P256Point& key = params.new_trustees.trustee_keys[complainer - 1];
  if (!(P256Point::base_mul(complainer_secret) == key)) {
    return invalid_input("secret is not new trustee " + std::to_string(complainer) + "'s key");
  }
  const Digest32 digest = reshare_digest(params);
  if (!reshare_box_ephemeral_proven<Group>(digest, deal.dealer, complainer, deal.share_boxes[complainer - 1],
                                           deal.box_proofs[complainer - 1])) {
    return invalid_input("no complaint about old trustee " + std::to_string(deal.dealer) +
                         "'s box without a valid proof of its ephemeral secret (its deal does not decode)");
  }
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(deal.share_boxes[complainer - 1]));
  ReshareComplaint complaint;
  complaint.complainer = complainer;
  complaint.dealer = deal.dealer;
  complaint.shared = ephemeral.mul(complainer_secret);
  complaint.proof = prove_dleq(
      Group::kComplaintTag,
      reshare_complaint_context<Group>(digest, complainer, deal.dealer, ephemeral), ephemeral,
      complainer_secret, key, complaint.shared);
  return complaint;
}

// kDealerFaulty or kComplaintUnfounded; kInvalidInput when the complaint itself is invalid
// (indices, another dealer's deal, a deal that fails check_reshare_deal, a box without a valid
// ephemeral proof, a bad proof): such a complaint blames its sender.
template <typename Group>
Result<ComplaintVerdict> judge_reshare_complaint(const ReshareParams<Group>& params, const ReshareDeal<Group>& deal,
                                                 const ReshareComplaint& complaint) {
  HC_RETURN_IF_ERROR(check_reshare_complaint_pairing(params, deal, complaint.complainer, complaint.dealer));
  const Digest32 digest = reshare_digest(params);
  const Bytes& box = deal.share_boxes[complaint.complainer - 1];
  if (!reshare_box_ephemeral_proven<Group>(digest, complaint.dealer, complaint.complainer, box,
                                           deal.box_proofs[complaint.complainer - 1])) {
    return invalid_input("complaint is about a box without a valid proof of its ephemeral secret");
  }
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(box));
  if (!verify_dleq(Group::kComplaintTag,
                   reshare_complaint_context<Group>(digest, complaint.complainer, complaint.dealer, ephemeral),
                   ephemeral, params.new_trustees.trustee_keys[complaint.complainer - 1], complaint.shared,
                   complaint.proof)) {
    return invalid_input("complaint of new trustee " + std::to_string(complaint.complainer) +
                         " has an invalid proof");
  }
  auto content = box_open_with_shared_point(
      complaint.shared, reshare_share_context<Group>(digest, complaint.dealer, complaint.complainer), box);
  if (!content.ok()) return ComplaintVerdict::kDealerFaulty;
  auto share = reshare_share_from_box<Group>(*content);
  if (!share.ok()) return ComplaintVerdict::kDealerFaulty;
  const bool good =
      Group::share_matches(params.old_key, *share, Group::evaluate(deal.commitments, complaint.complainer));
  Group::wipe(*share);
  return good ? ComplaintVerdict::kComplaintUnfounded : ComplaintVerdict::kDealerFaulty;
}

template <typename Group>
Bytes encode_reshare_complaint(const ReshareParams<Group>& params, const ReshareComplaint& complaint) {
  Bytes out;
  append_tag(out, Group::kComplaintTag);
  append_bytes(out, reshare_digest(params));
  append_u16_be(out, complaint.complainer);
  append_u16_be(out, complaint.dealer);
  append_point(out, complaint.shared);
  append_dleq(out, complaint.proof);
  return out;
}

template <typename Group>
Result<ReshareComplaint> decode_reshare_complaint(const ReshareParams<Group>& params, ByteSpan bytes) {
  if (bytes.size() != reshare_complaint_bytes<Group>()) {
    return invalid_input("resharing complaint must be " + std::to_string(reshare_complaint_bytes<Group>()) +
                         " bytes");
  }
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, Group::kComplaintTag));
  HC_ASSIGN_OR_RETURN(auto digest, reader.array<32>("params digest"));
  if (digest != reshare_digest(params)) return invalid_input("resharing complaint is for other parameters");
  ReshareComplaint complaint;
  HC_ASSIGN_OR_RETURN(complaint.complainer, reader.u16("complainer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params.new_trustees, complaint.complainer, "complainer"));
  HC_ASSIGN_OR_RETURN(complaint.dealer, reader.u16("dealer"));
  HC_RETURN_IF_ERROR(check_old_trustee_index(params, complaint.dealer, "dealer"));
  HC_ASSIGN_OR_RETURN(complaint.shared, read_point(reader, "shared point"));
  HC_ASSIGN_OR_RETURN(complaint.proof, read_dleq(reader));
  HC_RETURN_IF_ERROR(reader.expect_end("resharing complaint"));
  return complaint;
}

}  // namespace hc::crypto::threshold
