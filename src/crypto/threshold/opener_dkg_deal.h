// Distributed generation of the group-signature opener key (BBS04-ElGamal, docs/groupsig.md):
// the setting and a dealer's deal. Joint-Feldman with complaints, as the access key's DKG
// (dkg_deal.h) but over the BLS12-381 scalar field with commitments in G1 to the group's base
// u, so that the trustees end with shares xi_j of xi and the group's opener key is h = u^xi.
// The trustees, t and the encryption of shares (boxes to each trustee's long-term P-256 key,
// crypto/p256_kem.h) are the access key's: an OpenerDkgParams is a DkgParams plus u.
//
// Dealer i picks a random polynomial f_i of degree t-1 over Fr (non-zero coefficients
// a_i0..a_i,t-1), publishes C_ik = u^a_ik and, for each trustee j, the share f_i(j) in a box
// to trustee j with context opener_share_context(params, i, j), each box with a proof that the
// dealer knows its ephemeral secret (box_ephemeral_proof.h, domain
// "HC-OPENER-DKG-BOX-POK-v1", the box's context), so that a complaint opens no other box. The
// polynomial is wiped.
//
// Deal encodings: the proven form LP("HC-OPENER-DKG-DEAL-v2") || opener params digest (32) ||
// u16 dealer || u16 t || t G1 points (48 each, compressed, none the identity) || u16 m || m x
// (box of 113 bytes || its ephemeral proof of 64 bytes); the legacy form
// LP("HC-OPENER-DKG-DEAL-v1") || the same up to m || m boxes of 113 bytes (no proofs; decoded
// for the history of chains whose genesis predates the fix). The decoder accepts exactly one of
// these for the given params (bounded by 64 trustees), checks every proof of the proven form,
// and returns kInvalidInput otherwise. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/bls12_381/bls12_381.h"
#include "crypto/hash.h"
#include "crypto/p256.h"
#include "crypto/threshold/box_ephemeral_proof.h"
#include "crypto/threshold/dkg_params.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

using bls12_381::Fr;
using bls12_381::G1;

inline constexpr std::size_t kOpenerShareBytes = 32;       // a share in its box: Fr, big-endian
inline constexpr std::size_t kOpenerCommitmentBytes = 48;  // a compressed G1 commitment

struct OpenerDkgParams {
  DkgParams trustees;  // chain, key epoch, t and the trustees' long-term P-256 keys
  G1 u;                // the group signature's base (elgamal::GroupKey::u)
};

// check_dkg_params, and u is not the identity; kInvalidInput otherwise.
Status check_opener_dkg_params(const OpenerDkgParams& params);
// SHA-256(LP("HC-OPENER-DKG-PARAMS-v1") || dkg_params_digest(trustees) || u (48)).
Digest32 opener_dkg_digest(const OpenerDkgParams& params);

struct OpenerDeal {
  std::uint16_t dealer = 0;
  std::vector<G1> commitments;     // t: C_k = u^a_k
  std::vector<Bytes> share_boxes;  // m, box for trustee j at position j-1
  // m, knowledge of box j's ephemeral secret at j-1; empty in the legacy form (no proofs)
  std::vector<DleqProof> box_proofs;
};

// true when the deal is in the proven form (a proof per box; the decoder checked them).
inline bool opener_deal_boxes_proven(const OpenerDeal& deal) { return !deal.box_proofs.empty(); }
// true when box `recipient` of `deal` has a valid proof of its ephemeral secret.
bool opener_box_proven(const OpenerDkgParams& params, const OpenerDeal& deal, std::uint16_t recipient);

Result<OpenerDeal> make_opener_deal(const OpenerDkgParams& params, std::uint16_t dealer);

// LP("HC-OPENER-DKG-SHARE-v1") || opener params digest || u16 dealer || u16 recipient.
Bytes opener_share_context(const OpenerDkgParams& params, std::uint16_t dealer, std::uint16_t recipient);
// A box holding the share's 32 bytes (big-endian, < r) for trustee `recipient`, with the proof
// of knowledge of its ephemeral secret.
Result<ProvenBox> seal_opener_share(const OpenerDkgParams& params, std::uint16_t dealer, std::uint16_t recipient,
                                const Fr& share);

// prod_k commitments[k]^(index^k) (Horner; index public, non-zero).
G1 evaluate_opener_commitments(const std::vector<G1>& commitments, std::uint16_t index);
// Feldman check: u^share == evaluate_opener_commitments(commitments, index). Constant time in
// the share.
bool opener_share_matches(const G1& u, const std::vector<G1>& commitments, std::uint16_t index,
                          const Fr& share);

// Trustee `recipient` opens and checks its share of `deal`. kAuthFailed / kInvalidInput when
// the box does not open, holds no canonical scalar or fails the Feldman check: the trustee
// should then complain (opener_dkg_complaint.h).
Result<Fr> receive_opener_share(const OpenerDkgParams& params, const OpenerDeal& deal, std::uint16_t recipient,
                                const P256Scalar& recipient_secret);

// The proven form when the deal has proofs, the legacy form otherwise.
Bytes encode_opener_deal(const OpenerDkgParams& params, const OpenerDeal& deal);
Result<OpenerDeal> decode_opener_deal(const OpenerDkgParams& params, ByteSpan bytes);

}  // namespace hc::crypto::threshold
