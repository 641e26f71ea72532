// Compressed squarings in the cyclotomic subgroup of Fp12 (after Karabina, "Squaring in
// cyclotomic subgroups", Math. Comp. 2013), for the GT membership test of public values.
//
// Write f = A + B w + C w^2 with A, B, C in Fp4 = Fp2[s]/(s^2 - xi), s = w^3 (the
// Granger-Scott view of fp12.h). For f in the cyclotomic subgroup, the square's B and C
// depend on B and C alone:
//   B' = 3 s C^2 + 2 conj(B),   C' = 3 B^2 - 2 conj(C),
// so a chain of squarings can carry the four Fp2 values of B and C only: two Fp4 squarings
// (four Fp2 products) per step instead of three (nine Fp2 squarings). A is recovered at the
// end from f f^(p^6) = 1 (f^(p^6) = f^-1 on the cyclotomic subgroup), which is linear in A:
//   a0 = (b0 N_B + xi c1 N_C) / (2E),  a1 = (c0 N_C + b1 N_B) / (2E),
//   N_B = b0^2 - xi b1^2,  N_C = c0^2 - xi c1^2,  E = b0 c0 - xi b1 c1
// (docs/bls12_381.md, "GT membership", has the derivation). When E = 0 the value cannot be
// recovered this way and the caller must use the plain squarings. The membership test needs
// f^|x| only to compare it, so it recovers each power times 2E and compares with the same
// factor on the other side: no inversion.
//
// Variable time (the E = 0 fallback): for public values only (decoding).
// Thread-safety: pure functions on caller-owned values.
#pragma once

#include <span>

#include "crypto/bls12_381/fp12.h"

namespace hc::bls12_381 {

// B = b0 + b1 s and C = c0 + c1 s of a cyclotomic Fp12 element (A is not kept).
struct CyclotomicCompressed {
  Fp2 b0, b1, c0, c1;
};

CyclotomicCompressed cyclotomic_compress(const Fp12& f);
// The compressed form of f^2; valid only when f is in the cyclotomic subgroup.
CyclotomicCompressed cyclotomic_compressed_sqr(const CyclotomicCompressed& z);
// Recovers f from its compressed form up to a factor in Fp2, without an inversion: sets
// `scaled` = lambda f with lambda = 2E (the denominator of a0 and a1). Returns false, leaving
// both unspecified, when E = 0 (A is then not determined by B and C through these formulas).
// The input must come from a cyclotomic element.
bool cyclotomic_decompress_scaled(const CyclotomicCompressed& z, Fp12& scaled, Fp2& lambda);

// Whether f^|x| == g (x = -0xd201000000010000), for f in the cyclotomic subgroup and any g:
// 63 compressed squarings, the six powers f^(2^k) for the set bits k of |x| recovered up to
// factors lambda_k and multiplied, and the product compared with (prod lambda_k) g, so no
// inversion at all; falls back to fp12_cyclotomic_pow_abs_x when a recovery is not possible.
// Variable time (that fallback): public values only.
bool fp12_cyclotomic_pow_abs_x_equals_vartime(const Fp12& f, const Fp12& g);

}  // namespace hc::bls12_381
