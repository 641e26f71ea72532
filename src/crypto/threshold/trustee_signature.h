// A trustee's signature on a chain transaction (its DKG deals, complaints and decryption
// shares), made with its long-term P-256 key so that nobody can deal, complain or answer in a
// trustee's name. It is a Schnorr signature in Fiat-Shamir form, written as the Chaum-Pedersen
// proof of dleq_proof.h with H = G and A = B = the trustee's key: the proof shows knowledge of
// the secret key and its challenge hashes the message (the proof's context), which is exactly
// Schnorr's signature (c, z) with z = r + c*sk. Domain "HC-TRUSTEE-SIGNING-v1", so no
// complaint or decryption-share proof can be taken for a signature or the other way round.
// Encoded as c || z (64 bytes). Pure functions, thread-safe; the nonce is wiped.
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::crypto::threshold {

inline constexpr std::size_t kTrusteeSignatureBytes = 64;
using TrusteeSignature = std::array<std::uint8_t, kTrusteeSignatureBytes>;

// `secret` must be non-zero (HC_CHECK: it is a trustee's loaded key).
TrusteeSignature sign_as_trustee(ByteSpan message, const P256Scalar& secret);
// true only if `signature` is a valid signature on `message` by `public_key`.
bool verify_trustee_signature(ByteSpan message, const P256Point& public_key, const TrusteeSignature& signature);

}  // namespace hc::crypto::threshold
