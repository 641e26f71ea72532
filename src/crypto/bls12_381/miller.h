// Miller-loop internals of the optimal ate pairing on BLS12-381.
//
// The loop runs over |x| = 0xd201000000010000 (x < 0, so the result is conjugated). Line
// functions come from the M-type sextic twist: a line through points of the twist,
// evaluated at P = (xp, yp) in G1 and scaled by factors that the final exponentiation
// removes, is  l0 + (l1 * xp) v + (l4 * yp) v w  with l0, l1, l4 in Fp2.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "crypto/bls12_381/curve.h"
#include "crypto/bls12_381/fp12.h"

namespace hc::bls12_381 {

struct LineCoeffs {
  Fp2 l0, l1, l4;
};
static_assert(sizeof(LineCoeffs) == 36 * sizeof(std::uint64_t));

inline constexpr std::uint64_t kAbsX = 0xd201000000010000ULL;

// Tangent line at T (doubles T in place).
LineCoeffs line_double(Proj<Fp2>& t);
// Line through T and the affine point Q (adds Q to T in place).
LineCoeffs line_add(Proj<Fp2>& t, const Fp2& xq, const Fp2& yq);
inline Fp12 mul_by_line(const Fp12& f, const LineCoeffs& l, const Fp& xp, const Fp& yp) {
  return fp12_mul_by_line(f, l.l0, l.l1 * xp, l.l4 * yp);
}

}  // namespace hc::bls12_381
