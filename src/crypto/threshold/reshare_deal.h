// An old trustee's deal in a proactive resharing (docs/threshold.md, "Resharing"): old
// trustee i, holding its share x_i of the key, picks g_i(z) = x_i + b_1 z + ... +
// b_{t_new-1} z^(t_new-1) with random non-zero b_k, publishes the Feldman commitments
// C_0 = x_i * base, C_k = b_k * base and, for every new trustee j, the share g_i(j) in a box
// to j's long-term P-256 key (crypto/p256_kem.h) with context
//   LP(Group::kShareTag) || reshare digest || u16 dealer i || u16 recipient j,
// each box with a proof that the dealer knows its ephemeral secret e (E = e*G: a Chaum-Pedersen
// proof with both bases G, domain Group::kBoxProofTag, the same context). A complaint reveals
// sk_j * E; without the proof a dealer could copy the ephemeral of an honest dealer's box to j
// into its own unopenable box, and j's complaint would open the honest box (the complaint as a
// decryption oracle). With it, sk_j * E is a value the dealer could compute itself.
// Anyone checks C_0 == Y_i (check_reshare_deal), so a dealer cannot reshare any value but its
// share; a new trustee checks its share against the commitments (receive_reshare_share) and
// complains (reshare_complaint.h) when it fails. The polynomial is wiped once dealt.
//
// Encoding: LP(Group::kDealTag) || reshare digest (32) || u16 dealer || u16 t_new ||
// t_new points || u16 m_new || m_new x (box of 113 bytes || its ephemeral proof of 64 bytes).
// The decoder checks every ephemeral proof; it accepts exactly this for
// the given params (so its size is bounded by 64 new trustees) and kInvalidInput otherwise.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256_kem.h"
#include "crypto/threshold/box_ephemeral_proof.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dleq_proof.h"
#include "crypto/threshold/reshare_params.h"

namespace hc::crypto::threshold {

template <typename Group>
struct ReshareDeal {
  std::uint16_t dealer = 0;                        // old trustee index i
  std::vector<typename Group::Point> commitments;  // t_new; commitments[0] must be Y_i
  std::vector<Bytes> share_boxes;                  // m_new, box for new trustee j at j-1
  std::vector<DleqProof> box_proofs;               // m_new, knowledge of box j's ephemeral secret
};

// A box and the proof that its dealer knows the box's ephemeral secret (box_ephemeral_proof.h).
using SealedReshareShare = ProvenBox;

template <typename Group>
Bytes reshare_share_context(const Digest32& digest, std::uint16_t dealer, std::uint16_t recipient) {
  Bytes context;
  append_tag(context, Group::kShareTag);
  append_bytes(context, digest);
  append_u16_be(context, dealer);
  append_u16_be(context, recipient);
  return context;
}

// A box holding `plaintext` for new trustee `recipient` (key `recipient_key`) and the proof of
// knowledge of its ephemeral secret.
template <typename Group>
Result<SealedReshareShare> seal_reshare_box(const P256Point& recipient_key, const Digest32& digest,
                                            std::uint16_t dealer, std::uint16_t recipient, ByteSpan plaintext) {
  return seal_proven_box(Group::kBoxProofTag, recipient_key, reshare_share_context<Group>(digest, dealer, recipient),
                         plaintext);
}

// true when `proof` shows that the dealer of `box` (dealer -> recipient) knows its ephemeral secret.
template <typename Group>
bool reshare_box_ephemeral_proven(const Digest32& digest, std::uint16_t dealer, std::uint16_t recipient,
                                  ByteSpan box, const DleqProof& proof) {
  return box_ephemeral_proven(Group::kBoxProofTag, reshare_share_context<Group>(digest, dealer, recipient), box,
                              proof);
}

// A box holding `share` (32 bytes) for new trustee `recipient`, with its ephemeral proof.
template <typename Group>
Result<SealedReshareShare> seal_reshare_share(const ReshareParams<Group>& params, std::uint16_t dealer,
                                              std::uint16_t recipient, const typename Group::Scalar& share) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.new_trustees, recipient, "recipient"));
  auto bytes = Group::scalar_bytes(share);
  auto sealed = seal_reshare_box<Group>(params.new_trustees.trustee_keys[recipient - 1], reshare_digest(params),
                                        dealer, recipient, bytes);
  secure_wipe(bytes.data(), bytes.size());
  return sealed;
}

// Old trustee `dealer` reshares `old_share` (its x_i). kInvalidInput when the params are bad
// or x_i * base is not the dealer's public share Y_i.
template <typename Group>
Result<ReshareDeal<Group>> make_reshare_deal(const ReshareParams<Group>& params, std::uint16_t dealer,
                                             const typename Group::Scalar& old_share) {
  using Scalar = typename Group::Scalar;
  HC_RETURN_IF_ERROR(check_reshare_params(params));
  HC_RETURN_IF_ERROR(check_old_trustee_index(params, dealer, "dealer"));
  const auto& old_key = params.old_key;
  if (old_share.is_zero() || !Group::share_matches(old_key, old_share, old_key.public_shares[dealer - 1])) {
    return invalid_input("the share to reshare is not old trustee " + std::to_string(dealer) + "'s");
  }
  const Digest32 digest = reshare_digest(params);
  std::vector<Scalar> coefficients;
  coefficients.reserve(params.new_trustees.threshold);  // no reallocation leaves an unwiped copy
  coefficients.push_back(old_share);
  while (coefficients.size() < params.new_trustees.threshold) coefficients.push_back(Group::random_nonzero());
  ReshareDeal<Group> deal;
  deal.dealer = dealer;
  for (const Scalar& b : coefficients) deal.commitments.push_back(Group::mul_base_secret(old_key, b));
  Status status = Status::ok_status();
  for (std::uint16_t j = 1; j <= params.new_trustees.trustees() && status.ok(); ++j) {
    Scalar share;
    const Scalar at = Group::scalar_from_u64(j);
    for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) share = share * at + *it;
    auto bytes = Group::scalar_bytes(share);
    Group::wipe(share);
    auto sealed = seal_reshare_box<Group>(params.new_trustees.trustee_keys[j - 1], digest, dealer, j, bytes);
    secure_wipe(bytes.data(), bytes.size());
    if (sealed.ok()) {
      deal.share_boxes.push_back(std::move(sealed->box));
      deal.box_proofs.push_back(sealed->ephemeral_proof);
    } else {
      status = sealed.status();
    }
  }
  for (Scalar& b : coefficients) Group::wipe(b);
  if (!status.ok()) return status;
  return deal;
}

// The public checks of a deal: the dealer is an old trustee, the counts fit the params and
// the constant term C_0 is the dealer's public share Y_i. kInvalidInput naming the failure;
// "old trustee i reshares a value other than its share" for the constant term.
template <typename Group>
Status check_reshare_deal(const ReshareParams<Group>& params, const ReshareDeal<Group>& deal) {
  HC_RETURN_IF_ERROR(check_old_trustee_index(params, deal.dealer, "dealer"));
  if (deal.commitments.size() != params.new_trustees.threshold ||
      deal.share_boxes.size() != params.new_trustees.trustees() ||
      deal.box_proofs.size() != params.new_trustees.trustees()) {
    return invalid_input("resharing deal does not fit the parameters");
  }
  if (!(deal.commitments.front() == params.old_key.public_shares[deal.dealer - 1])) {
    return invalid_input("old trustee " + std::to_string(deal.dealer) + " reshares a value other than its share");
  }
  return Status::ok_status();
}

// The share in a box's plaintext: exactly 32 bytes of a canonical scalar; kInvalidInput otherwise.
template <typename Group>
Result<typename Group::Scalar> reshare_share_from_box(const SecureBytes& content) {
  if (content.size() != 32) return invalid_input("resharing share box does not hold 32 bytes");
  auto share = Group::scalar_from_bytes(content.span());
  if (!share.ok()) return invalid_input("resharing share box does not hold a canonical scalar");
  return share;
}

// New trustee `recipient` opens and checks its share of `deal` (check_reshare_deal first).
// kAuthFailed / kInvalidInput when the box does not open, holds no canonical scalar or fails
// the Feldman check: the trustee should then complain. A deal failing check_reshare_deal is
// refused by everyone and needs no complaint.
template <typename Group>
Result<typename Group::Scalar> receive_reshare_share(const ReshareParams<Group>& params,
                                                     const ReshareDeal<Group>& deal, std::uint16_t recipient,
                                                     const P256Scalar& recipient_secret) {
  HC_RETURN_IF_ERROR(check_trustee_index(params.new_trustees, recipient, "recipient"));
  HC_RETURN_IF_ERROR(check_reshare_deal(params, deal));
  HC_ASSIGN_OR_RETURN(SecureBytes content,
                      box_open(recipient_secret,
                               reshare_share_context<Group>(reshare_digest(params), deal.dealer, recipient),
                               deal.share_boxes[recipient - 1]));
  HC_ASSIGN_OR_RETURN(auto share, reshare_share_from_box<Group>(content));
  if (!Group::share_matches(params.old_key, share, Group::evaluate(deal.commitments, recipient))) {
    Group::wipe(share);
    return Status::error(ErrorCode::kAuthFailed, "resharing share from old trustee " + std::to_string(deal.dealer) +
                                                     " does not match its commitments");
  }
  return share;
}

template <typename Group>
Bytes encode_reshare_deal(const ReshareParams<Group>& params, const ReshareDeal<Group>& deal) {
  Bytes out;
  append_tag(out, Group::kDealTag);
  append_bytes(out, reshare_digest(params));
  append_u16_be(out, deal.dealer);
  append_u16_be(out, static_cast<std::uint16_t>(deal.commitments.size()));
  Group::append_points(out, deal.commitments);
  append_u16_be(out, static_cast<std::uint16_t>(deal.share_boxes.size()));
  for (std::size_t j = 0; j < deal.share_boxes.size(); ++j) {
    append_bytes(out, deal.share_boxes[j]);
    if (j < deal.box_proofs.size()) append_dleq(out, deal.box_proofs[j]);
  }
  return out;
}

// Exactly the encoding above for these params; the constant-term check is not the decoder's
// (a deal that decodes but reshares another value is a public fault: reshare_outcome.h).
template <typename Group>
Result<ReshareDeal<Group>> decode_reshare_deal(const ReshareParams<Group>& params, ByteSpan bytes) {
  HC_RETURN_IF_ERROR(check_reshare_params(params));
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, Group::kDealTag));
  HC_ASSIGN_OR_RETURN(auto digest, reader.array<32>("params digest"));
  if (digest != reshare_digest(params)) return invalid_input("resharing deal is for other parameters");
  ReshareDeal<Group> deal;
  HC_ASSIGN_OR_RETURN(deal.dealer, reader.u16("dealer"));
  HC_RETURN_IF_ERROR(check_old_trustee_index(params, deal.dealer, "dealer"));
  HC_ASSIGN_OR_RETURN(std::uint16_t t, reader.u16("commitment count"));
  if (t != params.new_trustees.threshold) {
    return invalid_input("resharing deal has " + std::to_string(t) + " commitments, not t_new");
  }
  for (std::uint16_t k = 0; k < t; ++k) {
    HC_ASSIGN_OR_RETURN(auto c, Group::read_point(reader, "commitment"));
    deal.commitments.push_back(std::move(c));
  }
  HC_ASSIGN_OR_RETURN(std::uint16_t m, reader.u16("share count"));
  if (m != params.new_trustees.trustees()) {
    return invalid_input("resharing deal has " + std::to_string(m) + " shares, not m_new");
  }
  for (std::uint16_t j = 1; j <= m; ++j) {
    HC_ASSIGN_OR_RETURN(ByteSpan box, reader.fixed(kShareBoxBytes, "share box"));
    HC_RETURN_IF_ERROR(box_ephemeral(box).status().with_context("share box"));
    HC_ASSIGN_OR_RETURN(DleqProof proof, read_dleq(reader));
    if (!reshare_box_ephemeral_proven<Group>(digest, deal.dealer, j, box, proof)) {
      return invalid_input("resharing deal's share box " + std::to_string(j) +
                           " has no valid proof of its ephemeral secret");
    }
    deal.share_boxes.emplace_back(box.begin(), box.end());
    deal.box_proofs.push_back(proof);
  }
  HC_RETURN_IF_ERROR(reader.expect_end("resharing deal"));
  return deal;
}

}  // namespace hc::crypto::threshold
