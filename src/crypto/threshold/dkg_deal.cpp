#include "crypto/threshold/dkg_deal.h"

#include <string>

#include "crypto/p256_kem.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {


P256Scalar evaluate_polynomial(const std::vector<P256Scalar>& coefficients, std::uint16_t x) {
  P256Scalar at = P256Scalar::from_u64(x);
  P256Scalar acc;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) acc = acc * at + *it;
  return acc;
}

Result<P256Scalar> scalar_from_box(const SecureBytes& content) {
  if (content.size() != kP256ScalarBytes) return invalid_input("share box does not hold 32 bytes");
  auto share = P256Scalar::from_bytes(content.span());
  if (!share.ok()) return invalid_input("share box does not hold a scalar below the group order");
  return share;
}

}  // namespace

Bytes dkg_share_context(const DkgParams& params, std::uint16_t dealer, std::uint16_t recipient) {
  Bytes context;
  append_tag(context, "HC-DKG-SHARE-v1");
  append_bytes(context, dkg_params_digest(params));
  append_u16_be(context, dealer);
  append_u16_be(context, recipient);
  return context;
}

Result<ProvenBox> seal_dkg_share(const DkgParams& params, std::uint16_t dealer, std::uint16_t recipient,
                                 const P256Scalar& share) {
  HC_RETURN_IF_ERROR(check_trustee_index(params, recipient, "recipient"));
  auto bytes = share.bytes();
  auto sealed = seal_proven_box(kDkgBoxProofTag, params.trustee_keys[recipient - 1],
                                dkg_share_context(params, dealer, recipient), bytes);
  secure_wipe(bytes.data(), bytes.size());
  return sealed;
}

bool dkg_box_proven(const DkgParams& params, const DkgDeal& deal, std::uint16_t recipient) {
  if (recipient == 0 || recipient > deal.share_boxes.size() || recipient > deal.box_proofs.size()) return false;
  return box_ephemeral_proven(kDkgBoxProofTag, dkg_share_context(params, deal.dealer, recipient),
                              deal.share_boxes[recipient - 1], deal.box_proofs[recipient - 1]);
}

Result<DkgDeal> make_deal(const DkgParams& params, std::uint16_t dealer) {
  HC_RETURN_IF_ERROR(check_dkg_params(params));
  HC_RETURN_IF_ERROR(check_trustee_index(params, dealer, "dealer"));
  std::vector<P256Scalar> coefficients;  // each wiped by its destructor
  for (std::uint16_t k = 0; k < params.threshold; ++k) coefficients.push_back(P256Scalar::random_nonzero());
  DkgDeal deal;
  deal.dealer = dealer;
  for (const P256Scalar& a : coefficients) deal.commitments.push_back(P256Point::base_mul(a));
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    HC_ASSIGN_OR_RETURN(ProvenBox sealed, seal_dkg_share(params, dealer, j, evaluate_polynomial(coefficients, j)));
    deal.share_boxes.push_back(std::move(sealed.box));
    deal.box_proofs.push_back(sealed.ephemeral_proof);
  }
  return deal;
}

P256Point evaluate_commitments(const std::vector<P256Point>& commitments, std::uint16_t index) {
  HC_CHECK(!commitments.empty() && index != 0);
  P256Scalar at = P256Scalar::from_u64(index);
  P256Point acc = commitments.back();
  for (std::size_t k = commitments.size() - 1; k-- > 0;) acc = acc.mul(at) + commitments[k];
  return acc;
}

bool share_matches_commitments(const std::vector<P256Point>& commitments, std::uint16_t index,
                               const P256Scalar& share) {
  P256Point expected = evaluate_commitments(commitments, index);
  if (share.is_zero()) return expected.is_infinity();
  return !expected.is_infinity() && P256Point::base_mul(share) == expected;
}

Result<P256Scalar> receive_share(const DkgParams& params, const DkgDeal& deal, std::uint16_t recipient,
                                 const P256Scalar& recipient_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params, recipient, "recipient"));
  if (deal.share_boxes.size() != params.trustees() || deal.commitments.size() != params.threshold) {
    return invalid_input("deal does not fit the DKG parameters");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes content,
                      box_open(recipient_secret, dkg_share_context(params, deal.dealer, recipient),
                               deal.share_boxes[recipient - 1]));
  HC_ASSIGN_OR_RETURN(P256Scalar share, scalar_from_box(content));
  if (!share_matches_commitments(deal.commitments, recipient, share)) {
    return Status::error(ErrorCode::kAuthFailed, "share from dealer " + std::to_string(deal.dealer) +
                                                     " does not match its commitments");
  }
  return share;
}

Bytes encode_deal(const DkgParams& params, const DkgDeal& deal) {
  Bytes out;
  const bool proven = deal_boxes_proven(deal);
  append_tag(out, proven ? kDkgDealTag : kLegacyDkgDealTag);
  append_bytes(out, dkg_params_digest(params));
  append_u16_be(out, deal.dealer);
  append_u16_be(out, static_cast<std::uint16_t>(deal.commitments.size()));
  for (const P256Point& c : deal.commitments) append_point(out, c);
  append_u16_be(out, static_cast<std::uint16_t>(deal.share_boxes.size()));
  for (std::size_t j = 0; j < deal.share_boxes.size(); ++j) {
    append_bytes(out, deal.share_boxes[j]);
    if (proven && j < deal.box_proofs.size()) append_dleq(out, deal.box_proofs[j]);
  }
  return out;
}

Result<DkgDeal> decode_deal(const DkgParams& params, ByteSpan bytes) {
  HC_RETURN_IF_ERROR(check_dkg_params(params));
  ByteReader reader(bytes);
  bool proven = true;
  if (!read_tag(reader, kDkgDealTag).ok()) {
    reader = ByteReader(bytes);
    HC_RETURN_IF_ERROR(read_tag(reader, kLegacyDkgDealTag));
    proven = false;
  }
  HC_ASSIGN_OR_RETURN(auto digest, reader.array<32>("params digest"));
  if (digest != dkg_params_digest(params)) return invalid_input("deal is for other DKG parameters");
  DkgDeal deal;
  HC_ASSIGN_OR_RETURN(deal.dealer, reader.u16("dealer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params, deal.dealer, "dealer"));
  HC_ASSIGN_OR_RETURN(std::uint16_t t, reader.u16("commitment count"));
  if (t != params.threshold) return invalid_input("deal has " + std::to_string(t) + " commitments, not t");
  for (std::uint16_t k = 0; k < t; ++k) {
    HC_ASSIGN_OR_RETURN(P256Point c, read_point(reader, "commitment"));
    deal.commitments.push_back(std::move(c));
  }
  HC_ASSIGN_OR_RETURN(std::uint16_t m, reader.u16("share count"));
  if (m != params.trustees()) return invalid_input("deal has " + std::to_string(m) + " shares, not m");
  for (std::uint16_t j = 1; j <= m; ++j) {
    HC_ASSIGN_OR_RETURN(ByteSpan box, reader.fixed(kShareBoxBytes, "share box"));
    HC_RETURN_IF_ERROR(box_ephemeral(box).status().with_context("share box"));
    deal.share_boxes.emplace_back(box.begin(), box.end());
    if (!proven) continue;
    HC_ASSIGN_OR_RETURN(DleqProof proof, read_dleq(reader));
    deal.box_proofs.push_back(proof);
    if (!dkg_box_proven(params, deal, j)) {
      return invalid_input("deal's share box " + std::to_string(j) + " has no valid proof of its ephemeral secret");
    }
  }
  HC_RETURN_IF_ERROR(reader.expect_end("deal"));
  return deal;
}

}  // namespace hc::crypto::threshold
