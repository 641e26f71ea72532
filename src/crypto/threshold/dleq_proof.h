// Chaum-Pedersen proof that two P-256 points share one discrete logarithm: knowing x with
// A = x*G and B = x*H, prove it without revealing x (non-interactive by Fiat-Shamir).
// Used by decryption shares (B = x_j * E against the public share A = Y_j) and by DKG
// complaints (B = the ECDH point that opens a share box, against the trustee's key).
//
// Proof: random r; R1 = r*G, R2 = r*H; c = hash_to_p256_scalar("HC-DLEQ-v1", LP(domain) ||
// LP(context) || H || A || B || R1 || R2); z = r + c*x. Encoded as c || z (64 bytes).
// Verification recomputes R1 = z*G - c*A, R2 = z*H - c*B and c. The caller's `domain` and
// `context` bind the proof to one use (chain, key epoch, request, trustee), so a proof cannot
// be replayed elsewhere. Pure functions, thread-safe; the nonce r is wiped.
#pragma once

#include <string_view>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::crypto::threshold {

inline constexpr std::size_t kDleqProofBytes = 64;

struct DleqProof {
  P256Scalar challenge;
  P256Scalar response;
};

// x must be non-zero and A = x*G, B = x*H (HC_CHECK: the caller derives them from x).
DleqProof prove_dleq(std::string_view domain, ByteSpan context, const P256Point& h,
                     const P256Scalar& x, const P256Point& a, const P256Point& b);
// true only for a valid proof; a zero challenge or response is refused.
bool verify_dleq(std::string_view domain, ByteSpan context, const P256Point& h, const P256Point& a,
                 const P256Point& b, const DleqProof& proof);

void append_dleq(Bytes& out, const DleqProof& proof);
Result<DleqProof> read_dleq(ByteReader& reader);

}  // namespace hc::crypto::threshold
