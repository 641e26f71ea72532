// Variable-time point arithmetic in Jacobian coordinates (X : Y : Z), x = X/Z^2, y = Y/Z^3,
// identity Z = 0, on y^2 = x^3 + b (a = 0), for PUBLIC points only: the subgroup checks of
// decoded input. Doubling costs 2M + 5S (against 6M + 2S and a multiplication by 3b for the
// complete projective formula of curve.h), which is what a check made of ~126 doublings
// pays for. The addition branches on its exceptional cases (an identity operand, P + P,
// P + (-P)), so its timing depends on the points: never call these on secret-derived points
// (the names end in _vartime, which the secret-path check of tests/crypto/constant_time
// refuses to find below a secret entry point).
// Thread-safety: pure templates on plain values.
#pragma once

#include "crypto/bls12_381/curve.h"

namespace hc::bls12_381 {

template <class F>
struct Jac {
  F x, y, z;
};

// Homogeneous (X : Y : Z) is Jacobian (XZ : YZ^2 : Z): both describe (X/Z, Y/Z).
template <class F>
Jac<F> jac_from_proj_vartime(const Proj<F>& p) {
  const F z2 = f_sqr(p.z);
  return Jac<F>{p.x * p.z, p.y * z2, p.z};
}

template <class F>
bool jac_is_identity(const Jac<F>& p) {
  return f_zero_mask(p.z) != 0;
}

// Products and squares written straight into their destination: a product returned by
// value is copied with wide moves that cannot be forwarded from the kernel's 8-byte stores
// (docs/bls12_381.md, "dispatch"), a stall a chain of ~900 products pays each time.
inline void f_mul_into(Fp& r, const Fp& a, const Fp& b) { fp_mul_into(r, a, b); }
inline void f_mul_into(Fp2& r, const Fp2& a, const Fp2& b) { fp2_mul_into(r, a, b); }
inline void f_sqr_into(Fp& r, const Fp& a) { fp_sqr_into(r, a); }
inline void f_sqr_into(Fp2& r, const Fp2& a) { fp2_sqr_into(r, a); }

// Doubling: the a = 0 formula of Lange's Explicit-Formulas Database ("dbl-2009-l"),
//   A = X^2, B = Y^2, C = B^2, D = 4XB, E = 3A, X3 = E^2 - 2D, Y3 = E(D - X3) - 8C, Z3 = 2YZ,
// with D = (2X)(2B) as a product rather than 2((X + B)^2 - A - C) and 8C = 2(2B)^2, which
// costs the same seven products and squares (the square is the product here) with ten
// additions instead of fifteen: a fifth of the check's time goes to additions. The identity
// (Z = 0) doubles to Z = 0, so it needs no branch.
template <class F>
void jac_dbl_in_place_vartime(Jac<F>& p) {  // in place: no copy of the result
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

template <class F>
Jac<F> jac_dbl_vartime(const Jac<F>& p) {
  Jac<F> r = p;
  jac_dbl_in_place_vartime(r);
  return r;
}

// "add-2007-bl" (11M + 5S) with the exceptional cases handled by branches: an identity
// operand returns the other, P + P doubles, P + (-P) gives the identity.
template <class F>
Jac<F> jac_add_vartime(const Jac<F>& p, const Jac<F>& q) {
  if (jac_is_identity(p)) return q;
  if (jac_is_identity(q)) return p;
  const F z1z1 = f_sqr(p.z);
  const F z2z2 = f_sqr(q.z);
  const F u1 = p.x * z2z2;
  const F u2 = q.x * z1z1;
  const F s1 = p.y * q.z * z2z2;
  const F s2 = q.y * p.z * z1z1;
  const F h = u2 - u1;
  F rr = s2 - s1;
  if (f_zero_mask(h) != 0) {
    if (f_zero_mask(rr) != 0) return jac_dbl_vartime(p);
    return Jac<F>{f_one<F>(), f_one<F>(), f_zero<F>()};
  }
  rr = rr + rr;
  const F i = f_sqr(h + h);
  const F j = h * i;
  const F v = u1 * i;
  Jac<F> r;
  r.x = f_sqr(rr) - j - (v + v);
  const F s1j = s1 * j;
  r.y = rr * (v - r.x) - (s1j + s1j);
  r.z = (f_sqr(p.z + q.z) - z1z1 - z2z2) * h;
  return r;
}

// [|x|]P for the curve parameter |x| = 0xd201000000010000 (public): 63 doublings and 5
// additions along its binary expansion (set bits 63, 62, 60, 57, 48, 16).
template <class F>
Jac<F> jac_mul_by_abs_x_vartime(const Jac<F>& p) {
  constexpr std::uint64_t kAbsX = 0xd201000000010000ULL;
  Jac<F> acc = p;
  for (int b = 62; b >= 0; --b) {
    jac_dbl_in_place_vartime(acc);
    if ((kAbsX >> b) & 1) acc = jac_add_vartime(acc, p);
  }
  return acc;
}

// Whether Jacobian p and homogeneous q (neither the identity) are the same point:
// X_p / Z_p^2 == X_q / Z_q and Y_p / Z_p^3 == Y_q / Z_q, cross-multiplied (no inversion).
template <class F>
bool jac_eq_proj_vartime(const Jac<F>& p, const Proj<F>& q) {
  const F zp2 = f_sqr(p.z);
  if (!f_eq(p.x * q.z, q.x * zp2)) return false;
  return f_eq(p.y * q.z, q.y * zp2 * p.z);
}

}  // namespace hc::bls12_381
