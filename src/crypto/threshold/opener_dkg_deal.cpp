#include "crypto/threshold/opener_dkg_deal.h"

#include <string>

#include "common/secure_bytes.h"
#include "crypto/p256_kem.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

constexpr std::string_view kOpenerBoxProofTag = "HC-OPENER-DKG-BOX-POK-v1";

Fr evaluate_opener_polynomial(const std::vector<Fr>& coefficients, std::uint16_t x) {
  const Fr at = Fr::from_u64(x);
  Fr acc;
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) acc = acc * at + *it;
  return acc;
}

void append_opener_g1(Bytes& out, const G1& p) {
  const auto b = p.to_compressed();
  append_bytes(out, b);
}

}  // namespace

Status check_opener_dkg_params(const OpenerDkgParams& params) {
  HC_RETURN_IF_ERROR(check_dkg_params(params.trustees));
  if (params.u.is_identity()) return invalid_input("the opener DKG's base u is the identity");
  return Status::ok_status();
}

Digest32 opener_dkg_digest(const OpenerDkgParams& params) {
  Bytes msg;
  append_tag(msg, "HC-OPENER-DKG-PARAMS-v1");
  append_bytes(msg, dkg_params_digest(params.trustees));
  append_opener_g1(msg, params.u);
  return sha256(msg);
}

Bytes opener_share_context(const OpenerDkgParams& params, std::uint16_t dealer, std::uint16_t recipient) {
  Bytes context;
  append_tag(context, "HC-OPENER-DKG-SHARE-v1");
  append_bytes(context, opener_dkg_digest(params));
  append_u16_be(context, dealer);
  append_u16_be(context, recipient);
  return context;
}

Result<ProvenBox> seal_opener_share(const OpenerDkgParams& params, std::uint16_t dealer, std::uint16_t recipient,
                                    const Fr& share) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, recipient, "recipient"));
  auto bytes = share.to_bytes();
  auto sealed = seal_proven_box(kOpenerBoxProofTag, params.trustees.trustee_keys[recipient - 1],
                                opener_share_context(params, dealer, recipient), bytes);
  secure_wipe(bytes.data(), bytes.size());
  return sealed;
}

bool opener_box_proven(const OpenerDkgParams& params, const OpenerDeal& deal, std::uint16_t recipient) {
  if (recipient == 0 || recipient > deal.share_boxes.size() || recipient > deal.box_proofs.size()) return false;
  return box_ephemeral_proven(kOpenerBoxProofTag, opener_share_context(params, deal.dealer, recipient),
                              deal.share_boxes[recipient - 1], deal.box_proofs[recipient - 1]);
}

Result<OpenerDeal> make_opener_deal(const OpenerDkgParams& params, std::uint16_t dealer) {
  HC_RETURN_IF_ERROR(check_opener_dkg_params(params));
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, dealer, "dealer"));
  std::vector<Fr> coefficients;
  coefficients.reserve(params.trustees.threshold);  // no reallocation leaves an unwiped copy
  for (std::uint16_t k = 0; k < params.trustees.threshold; ++k) coefficients.push_back(Fr::random_nonzero());
  OpenerDeal deal;
  deal.dealer = dealer;
  for (const Fr& a : coefficients) deal.commitments.push_back(params.u.mul_secret(a));
  Status status = Status::ok_status();
  for (std::uint16_t j = 1; j <= params.trustees.trustees() && status.ok(); ++j) {
    Fr share = evaluate_opener_polynomial(coefficients, j);
    auto sealed = seal_opener_share(params, dealer, j, share);
    share.wipe();
    if (sealed.ok()) {
      deal.share_boxes.push_back(std::move(sealed->box));
      deal.box_proofs.push_back(sealed->ephemeral_proof);
    } else {
      status = sealed.status();
    }
  }
  for (Fr& a : coefficients) a.wipe();
  if (!status.ok()) return status;
  return deal;
}

G1 evaluate_opener_commitments(const std::vector<G1>& commitments, std::uint16_t index) {
  HC_CHECK(!commitments.empty() && index != 0);
  const Fr at = Fr::from_u64(index);
  G1 acc = commitments.back();
  for (std::size_t k = commitments.size() - 1; k-- > 0;) acc = acc.mul_public(at) + commitments[k];
  return acc;
}

bool opener_share_matches(const G1& u, const std::vector<G1>& commitments, std::uint16_t index,
                          const Fr& share) {
  return u.mul_secret(share) == evaluate_opener_commitments(commitments, index);
}

Result<Fr> receive_opener_share(const OpenerDkgParams& params, const OpenerDeal& deal, std::uint16_t recipient,
                                const P256Scalar& recipient_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, recipient, "recipient"));
  if (deal.share_boxes.size() != params.trustees.trustees() ||
      deal.commitments.size() != params.trustees.threshold) {
    return invalid_input("opener deal does not fit the DKG parameters");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes content,
                      box_open(recipient_secret, opener_share_context(params, deal.dealer, recipient),
                               deal.share_boxes[recipient - 1]));
  if (content.size() != kOpenerShareBytes) return invalid_input("opener share box does not hold 32 bytes");
  auto share = Fr::from_bytes(content.span());
  if (!share.ok()) return invalid_input("opener share box does not hold a scalar below r");
  if (!opener_share_matches(params.u, deal.commitments, recipient, *share)) {
    share->wipe();
    return Status::error(ErrorCode::kAuthFailed, "opener share from dealer " + std::to_string(deal.dealer) +
                                                     " does not match its commitments");
  }
  return share;
}

Bytes encode_opener_deal(const OpenerDkgParams& params, const OpenerDeal& deal) {
  Bytes out;
  const bool proven = opener_deal_boxes_proven(deal);
  append_tag(out, proven ? kOpenerDealTag : kLegacyOpenerDealTag);
  append_bytes(out, opener_dkg_digest(params));
  append_u16_be(out, deal.dealer);
  append_u16_be(out, static_cast<std::uint16_t>(deal.commitments.size()));
  for (const auto& c : bls12_381::to_compressed_batch(deal.commitments)) append_bytes(out, c);
  append_u16_be(out, static_cast<std::uint16_t>(deal.share_boxes.size()));
  for (std::size_t j = 0; j < deal.share_boxes.size(); ++j) {
    append_bytes(out, deal.share_boxes[j]);
    if (proven && j < deal.box_proofs.size()) append_dleq(out, deal.box_proofs[j]);
  }
  return out;
}

Result<OpenerDeal> decode_opener_deal(const OpenerDkgParams& params, ByteSpan bytes) {
  HC_RETURN_IF_ERROR(check_opener_dkg_params(params));
  ByteReader reader(bytes);
  bool proven = true;
  if (!read_tag(reader, kOpenerDealTag).ok()) {
    reader = ByteReader(bytes);
    HC_RETURN_IF_ERROR(read_tag(reader, kLegacyOpenerDealTag));
    proven = false;
  }
  HC_ASSIGN_OR_RETURN(auto digest, reader.array<32>("params digest"));
  if (digest != opener_dkg_digest(params)) return invalid_input("opener deal is for other DKG parameters");
  OpenerDeal deal;
  HC_ASSIGN_OR_RETURN(deal.dealer, reader.u16("dealer"));
  HC_RETURN_IF_ERROR(check_trustee_index(params.trustees, deal.dealer, "dealer"));
  HC_ASSIGN_OR_RETURN(std::uint16_t t, reader.u16("commitment count"));
  if (t != params.trustees.threshold) {
    return invalid_input("opener deal has " + std::to_string(t) + " commitments, not t");
  }
  for (std::uint16_t k = 0; k < t; ++k) {
    HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(kOpenerCommitmentBytes, "commitment"));
    auto c = G1::from_compressed(raw);
    if (!c.ok()) return c.status().with_context("opener deal commitment");
    if (c->is_identity()) return invalid_input("opener deal commitment is the identity");
    deal.commitments.push_back(*c);
  }
  HC_ASSIGN_OR_RETURN(std::uint16_t m, reader.u16("share count"));
  if (m != params.trustees.trustees()) return invalid_input("opener deal has " + std::to_string(m) + " shares, not m");
  for (std::uint16_t j = 1; j <= m; ++j) {
    HC_ASSIGN_OR_RETURN(ByteSpan box, reader.fixed(kShareBoxBytes, "share box"));
    HC_RETURN_IF_ERROR(box_ephemeral(box).status().with_context("share box"));
    deal.share_boxes.emplace_back(box.begin(), box.end());
    if (!proven) continue;
    HC_ASSIGN_OR_RETURN(DleqProof proof, read_dleq(reader));
    deal.box_proofs.push_back(proof);
    if (!opener_box_proven(params, deal, j)) {
      return invalid_input("opener deal's share box " + std::to_string(j) +
                           " has no valid proof of its ephemeral secret");
    }
  }
  HC_RETURN_IF_ERROR(reader.expect_end("opener deal"));
  return deal;
}

}  // namespace hc::crypto::threshold
