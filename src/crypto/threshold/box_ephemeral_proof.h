// A share box (crypto/p256_kem.h) that carries a proof that its dealer knows the box's
// ephemeral secret e (E = e*G): a Chaum-Pedersen proof (dleq_proof.h) with both bases G, in
// the caller's proof domain, bound to the box's context (which names the parameters, the
// dealer and the recipient). Every DKG and resharing deal's boxes are made and checked here.
//
// Why (docs/threshold.md, "Why the boxes prove their ephemerals"): a complaint reveals
// S = sk_j * E for the box it is about. Without the proof a dealer could copy (a multiple of)
// an honest dealer's ephemeral into its own unopenable box to j, and j's complaint would open
// the honest box for everyone. With it, S is a value the dealer could compute itself.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/threshold/dleq_proof.h"

namespace hc::crypto::threshold {

struct ProvenBox {
  Bytes box;
  DleqProof ephemeral_proof;
};

// A box holding `plaintext` for `recipient_key` with `context`, and the proof (domain
// `proof_tag`, the same context) of knowledge of its fresh ephemeral secret, which is wiped.
Result<ProvenBox> seal_proven_box(std::string_view proof_tag, const P256Point& recipient_key, ByteSpan context,
                                  ByteSpan plaintext);

// true when `proof` shows that whoever made `box` knows its ephemeral secret (domain
// `proof_tag`, `context` the box's); false for a box without a valid ephemeral point.
bool box_ephemeral_proven(std::string_view proof_tag, ByteSpan context, ByteSpan box, const DleqProof& proof);

}  // namespace hc::crypto::threshold
