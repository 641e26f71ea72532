// Chaum-Pedersen proof of discrete-log equality in G1 (non-interactive, Fiat-Shamir): knowing
// x with a = g^x and b = h^x, prove log_g(a) = log_h(b) without revealing x. BBS04-ElGamal
// uses it for the single opener's proof (g = u, a = h, h = T1, b = T2 / A) and the trustees
// for partial openings (g = u, a = U_j, h = T1, b = D_j = T1^xi_j).
//
// Proof: random k; R1 = g^k, R2 = h^k;
//   c = hash_to_fr(u32 len(context) | context | g | h | a | b | R1 | R2, DST = dst)
// (points compressed); z = k + c x. Verification recomputes R1 = g^z a^-c, R2 = h^z b^-c and
// c. The caller's dst and context bind the proof to one use. Proving is constant time in x
// (the nonce and c x are wiped); verification is variable time on public values.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "common/bytes.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

// a must be g^x and b must be h^x (the caller derives them from x).
DleqProof prove_g1_dleq(std::string_view dst, ByteSpan context, const G1& g, const G1& h,
                        const Fr& x, const G1& a, const G1& b);
// true only for a valid proof. Identity g or h is refused.
bool verify_g1_dleq(std::string_view dst, ByteSpan context, const G1& g, const G1& h, const G1& a,
                    const G1& b, const DleqProof& proof);

}  // namespace hc::groupsig::elgamal
