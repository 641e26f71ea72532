#include "crypto/threshold/opener_dkg_complaint.h"

#include <string>

#include "crypto/p256_kem.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

Bytes opener_complaint_context(const OpenerDkgParams& params, std::uint16_t complainer, std::uint16_t dealer,
                               const P256Point& box_ephemeral) {
  Bytes context;
  append_tag(context, kOpenerComplaintTag);
  append_bytes(context, opener_dkg_digest(params));
  append_u16_be(context, complainer);
  append_u16_be(context, dealer);
  append_point(context, box_ephemeral);
  return context;
}

Status check_opener_complaint_pairing(const OpenerDkgParams& params, const OpenerDeal& deal,
                                      std::uint16_t complainer, std::uint16_t dealer) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, complainer, "complainer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, dealer, "dealer"));
  if (deal.dealer != dealer) return invalid_input("complaint is about another dealer's deal");
  if (deal.share_boxes.size() != params.trustees.trustees()) {
    return invalid_input("opener deal does not fit the DKG parameters");
  }
  return Status::ok_status();
}

}  // namespace

Result<OpenerComplaint> make_opener_complaint(const OpenerDkgParams& params, const OpenerDeal& deal,
                                              std::uint16_t complainer, const P256Scalar& complainer_secret) {
  HC_RETURN_IF_ERROR(check_opener_complaint_pairing(params, deal, complainer, deal.dealer));
  if (complainer_secret.is_zero()) return invalid_input("complainer secret must be non-zero");
  const P256Point& key = params.trustees.trustee_keys[complainer - 1];
  if (!(P256Point::base_mul(complainer_secret) == key)) {
    return invalid_input("secret is not trustee " + std::to_string(complainer) + "'s key");
  }
  if (!opener_box_proven(params, deal, complainer)) {
    return invalid_input("no complaint about dealer " + std::to_string(deal.dealer) +
                         "'s opener box without a valid proof of its ephemeral secret (it would open other boxes)");
  }
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(deal.share_boxes[complainer - 1]));
  OpenerComplaint complaint;
  complaint.complainer = complainer;
  complaint.dealer = deal.dealer;
  complaint.shared = ephemeral.mul(complainer_secret);
  complaint.proof = prove_dleq(kOpenerComplaintTag,
                               opener_complaint_context(params, complainer, deal.dealer, ephemeral), ephemeral,
                               complainer_secret, key, complaint.shared);
  return complaint;
}

Result<ComplaintVerdict> judge_opener_complaint(const OpenerDkgParams& params, const OpenerDeal& deal,
                                                const OpenerComplaint& complaint) {
  HC_RETURN_IF_ERROR(check_opener_complaint_pairing(params, deal, complaint.complainer, complaint.dealer));
  const Bytes& box = deal.share_boxes[complaint.complainer - 1];
  // A legacy deal (no proofs) is judged as before the fix, so old chains' history verifies.
  if (opener_deal_boxes_proven(deal) && !opener_box_proven(params, deal, complaint.complainer)) {
    return invalid_input("opener complaint is about a box without a valid proof of its ephemeral secret");
  }
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(box));
  if (!verify_dleq(kOpenerComplaintTag,
                   opener_complaint_context(params, complaint.complainer, complaint.dealer, ephemeral), ephemeral,
                   params.trustees.trustee_keys[complaint.complainer - 1], complaint.shared, complaint.proof)) {
    return invalid_input("complaint of trustee " + std::to_string(complaint.complainer) + " has an invalid proof");
  }
  auto content = box_open_with_shared_point(
      complaint.shared, opener_share_context(params, complaint.dealer, complaint.complainer), box);
  if (!content.ok() || content->size() != kOpenerShareBytes) return ComplaintVerdict::kDealerFaulty;
  auto share = Fr::from_bytes(content->span());
  if (!share.ok()) return ComplaintVerdict::kDealerFaulty;
  if (deal.commitments.size() != params.trustees.threshold ||
      !opener_share_matches(params.u, deal.commitments, complaint.complainer, *share)) {
    return ComplaintVerdict::kDealerFaulty;
  }
  return ComplaintVerdict::kComplaintUnfounded;
}

Bytes encode_opener_complaint(const OpenerDkgParams& params, const OpenerComplaint& complaint) {
  Bytes out;
  append_tag(out, kOpenerComplaintTag);
  append_bytes(out, opener_dkg_digest(params));
  append_u16_be(out, complaint.complainer);
  append_u16_be(out, complaint.dealer);
  append_point(out, complaint.shared);
  append_dleq(out, complaint.proof);
  return out;
}

Result<OpenerComplaint> decode_opener_complaint(const OpenerDkgParams& params, ByteSpan bytes) {
  if (bytes.size() != kOpenerComplaintBytes) {
    return invalid_input("opener complaint must be " + std::to_string(kOpenerComplaintBytes) + " bytes");
  }
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, kOpenerComplaintTag));
  HC_ASSIGN_OR_RETURN(auto digest, reader.array<32>("params digest"));
  if (digest != opener_dkg_digest(params)) return invalid_input("opener complaint is for other DKG parameters");
  OpenerComplaint complaint;
  HC_ASSIGN_OR_RETURN(complaint.complainer, reader.u16("complainer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, complaint.complainer, "complainer"));
  HC_ASSIGN_OR_RETURN(complaint.dealer, reader.u16("dealer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, complaint.dealer, "dealer"));
  HC_ASSIGN_OR_RETURN(complaint.shared, read_point(reader, "shared point"));
  HC_ASSIGN_OR_RETURN(complaint.proof, read_dleq(reader));
  HC_RETURN_IF_ERROR(reader.expect_end("opener complaint"));
  return complaint;
}

}  // namespace hc::crypto::threshold
