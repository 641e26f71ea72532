// Point arithmetic in Jacobian coordinates (X : Y : Z), x = X/Z^2, y = Y/Z^3, identity
// Z = 0, on y^2 = x^3 + b (a = 0), for the subgroup checks of decoding: a doubling costs
// 2M + 5S (against 6M + 2S and a multiplication by 3b for the complete projective formula of
// curve.h), which is what a check made of 63 or 126 doublings pays for.
//
// The addition is the generic (incomplete) formula: it does not handle an identity operand,
// P + P or P + (-P). Instead of branching on them it raises a sticky flag, a mask the caller
// reads at the end; a chain [k]P with 1 < k < r never meets them when P has order r, so a
// subgroup check may treat a raised flag as "not in the subgroup" (subgroup.cpp). Nothing
// here branches on a coordinate or indexes by one: the checks stay constant time in the point,
// which matters because decoding also reads secret points (a member key's A).
// Thread-safety: pure templates on plain values.
#pragma once

#include <cstdint>

#include "crypto/bls12_381/curve.h"

namespace hc::bls12_381 {

template <class F>
struct Jac {
  F x, y, z;
};

// Products and squares written straight into their destination: a product returned by
// value is copied with wide moves that cannot be forwarded from the kernel's 8-byte stores
// (docs/bls12_381.md, "dispatch"), a stall a chain of ~900 products pays each time.
inline void f_mul_into(Fp& r, const Fp& a, const Fp& b) { fp_mul_into(r, a, b); }
inline void f_mul_into(Fp2& r, const Fp2& a, const Fp2& b) { fp2_mul_into(r, a, b); }
inline void f_sqr_into(Fp& r, const Fp& a) { fp_sqr_into(r, a); }
inline void f_sqr_into(Fp2& r, const Fp2& a) { fp2_sqr_into(r, a); }

// All ones when a == b, else zero, without a branch.
template <class F>
std::uint64_t f_eq_mask(const F& a, const F& b) {
  return f_zero_mask(a - b);
}

// Homogeneous (X : Y : Z) is Jacobian (XZ : YZ^2 : Z): both describe (X/Z, Y/Z).
template <class F>
Jac<F> jac_from_proj(const Proj<F>& p) {
  const F z2 = f_sqr(p.z);
  return Jac<F>{p.x * p.z, p.y * z2, p.z};
}

// Doubling: the a = 0 formula of Lange's Explicit-Formulas Database ("dbl-2009-l"),
//   A = X^2, B = Y^2, C = B^2, D = 4XB, E = 3A, X3 = E^2 - 2D, Y3 = E(D - X3) - 8C, Z3 = 2YZ,
// with D = (2X)(2B) as a product rather than 2((X + B)^2 - A - C) and 8C = 2(2B)^2, which
// costs the same seven products and squares (the square is the product here) with ten
// additions instead of fifteen: a fifth of the check's time goes to additions. In place (no
// copy of the result). The identity (Z = 0) doubles to Z = 0.
template <class F>
void jac_dbl_in_place(Jac<F>& p) {
  F a, b, c4, d, f;
  f_sqr_into(a, p.x);
  f_sqr_into(b, p.y);
  const F b2 = b + b;
  f_sqr_into(c4, b2);  // 4C
  f_mul_into(d, p.x + p.x, b2);
  const F e = a + a + a;
  f_sqr_into(f, e);
  f_mul_into(p.z, p.y + p.y, p.z);  // the last use of Y and Z
  p.x = f - (d + d);
  f_mul_into(p.y, e, d - p.x);
  p.y = p.y - (c4 + c4);
}

// p += q by "add-2007-bl" (11M + 5S). When an operand is the identity or p = +-q the result
// is meaningless and `exceptional` gets all ones (it is never cleared).
template <class F>
void jac_add_in_place_flagged(Jac<F>& p, const Jac<F>& q, std::uint64_t& exceptional) {
  F z1z1, z2z2, u1, u2, s1, s2, t;
  f_sqr_into(z1z1, p.z);
  f_sqr_into(z2z2, q.z);
  f_mul_into(u1, p.x, z2z2);
  f_mul_into(u2, q.x, z1z1);
  f_mul_into(t, q.z, z2z2);
  f_mul_into(s1, p.y, t);
  f_mul_into(t, p.z, z1z1);
  f_mul_into(s2, q.y, t);
  const F h = u2 - u1;
  exceptional |= f_zero_mask(p.z) | f_zero_mask(q.z) | f_zero_mask(h);
  F rr = s2 - s1;
  rr = rr + rr;
  F i, j, v, s1j;
  f_sqr_into(i, h + h);
  f_mul_into(j, h, i);
  f_mul_into(v, u1, i);
  f_sqr_into(t, p.z + q.z);
  f_mul_into(p.z, t - z1z1 - z2z2, h);
  f_sqr_into(t, rr);
  p.x = t - j - (v + v);
  f_mul_into(s1j, s1, j);
  f_mul_into(p.y, rr, v - p.x);
  p.y = p.y - (s1j + s1j);
}

// [|x|]P for the curve parameter |x| = 0xd201000000010000 (public): 63 doublings and 5
// additions along its binary expansion (set bits 63, 62, 60, 57, 48, 16). The sequence
// depends on the constant alone. `exceptional` as for jac_add_in_place_flagged.
template <class F>
Jac<F> jac_mul_by_abs_x(const Jac<F>& p, std::uint64_t& exceptional) {
  constexpr std::uint64_t kAbsXBits = 0xd201000000010000ULL;
  Jac<F> acc = p;
  for (int b = 62; b >= 0; --b) {
    jac_dbl_in_place(acc);
    if ((kAbsXBits >> b) & 1) jac_add_in_place_flagged(acc, p, exceptional);
  }
  return acc;
}

// All ones when Jacobian p and homogeneous q, neither the identity, are the same point:
// X_p / Z_p^2 == X_q / Z_q and Y_p / Z_p^3 == Y_q / Z_q, cross-multiplied (no inversion).
template <class F>
std::uint64_t jac_eq_proj_mask(const Jac<F>& p, const Proj<F>& q) {
  const F zp2 = f_sqr(p.z);
  return f_eq_mask(p.x * q.z, q.x * zp2) & f_eq_mask(p.y * q.z, q.y * zp2 * p.z);
}

}  // namespace hc::bls12_381
