// Short-Weierstrass point arithmetic y^2 = x^3 + b shared by G1 (over Fp) and G2 (over
// Fp2), in homogeneous projective coordinates (X : Y : Z), x = X/Z, y = Y/Z, identity
// (0 : 1 : 0). Addition and doubling use the complete formulas of Renes, Costello and
// Batina (2016, a = 0), which have no exceptional cases: the same straight-line code
// handles P + P, P + (-P) and the identity, so it is also the constant-time path.
// Thread-safety: pure templates on plain values.
#pragma once

#include <cstdint>

#include "crypto/bls12_381/fp2.h"

namespace hc::bls12_381 {

// Uniform field-operation names for the templates below.
inline Fp f_sqr(const Fp& a) { return fp_sqr(a); }
inline Fp2 f_sqr(const Fp2& a) { return fp2_sqr(a); }
inline bool f_eq(const Fp& a, const Fp& b) { return fp_eq(a, b); }
inline bool f_eq(const Fp2& a, const Fp2& b) { return fp2_eq(a, b); }
inline std::uint64_t f_zero_mask(const Fp& a) { return fp_is_zero_mask(a); }
inline std::uint64_t f_zero_mask(const Fp2& a) { return fp2_is_zero_mask(a); }
inline void f_cmov(Fp& a, const Fp& b, std::uint64_t m) { fp_cmov(a, b, m); }
inline void f_cmov(Fp2& a, const Fp2& b, std::uint64_t m) { fp2_cmov(a, b, m); }
inline Fp f_inv(const Fp& a) { return fp_inverse(a); }
inline Fp2 f_inv(const Fp2& a) { return fp2_inverse(a); }
inline Fp f_inv_vartime(const Fp& a) { return fp_inverse_vartime(a); }
inline Fp2 f_inv_vartime(const Fp2& a) { return fp2_inverse_vartime(a); }
template <class F> F f_zero();
template <> inline Fp f_zero<Fp>() { return fp_zero(); }
template <> inline Fp2 f_zero<Fp2>() { return fp2_zero(); }
template <class F> F f_one();
template <> inline Fp f_one<Fp>() { return fp_one(); }
template <> inline Fp2 f_one<Fp2>() { return fp2_one(); }

// 3b for the two curves: 12 on G1, 12(1 + u) on G2.
inline Fp mul_b3(const Fp& a) {
  Fp a4 = fp_dbl(fp_dbl(a));
  return a4 + fp_dbl(a4);
}
inline Fp2 mul_b3(const Fp2& a) {
  Fp2 a4 = fp2_dbl(fp2_dbl(a));
  return fp2_mul_by_xi(a4 + fp2_dbl(a4));
}
inline Fp curve_b(const Fp&) { return fp_from_u64(4); }
inline Fp2 curve_b(const Fp2&) {
  Fp four = fp_from_u64(4);
  return Fp2{four, four};
}

template <class F>
struct Proj {
  F x, y, z;
};

template <class F>
struct Affine {
  F x, y;
  bool infinity;
};

template <class F>
Proj<F> proj_identity() {
  return Proj<F>{f_zero<F>(), f_one<F>(), f_zero<F>()};
}

// RCB16 Algorithm 7 (complete addition, a = 0).
template <class F>
Proj<F> proj_add(const Proj<F>& p, const Proj<F>& q) {
  F t0 = p.x * q.x;
  F t1 = p.y * q.y;
  F t2 = p.z * q.z;
  F t3 = (p.x + p.y) * (q.x + q.y);
  F t4 = t0 + t1;
  t3 = t3 - t4;
  t4 = (p.y + p.z) * (q.y + q.z);
  F x3 = t1 + t2;
  t4 = t4 - x3;
  x3 = (p.x + p.z) * (q.x + q.z);
  F y3 = t0 + t2;
  y3 = x3 - y3;
  x3 = t0 + t0;
  t0 = x3 + t0;
  t2 = mul_b3(t2);
  F z3 = t1 + t2;
  t1 = t1 - t2;
  y3 = mul_b3(y3);
  x3 = t4 * y3;
  t2 = t3 * t1;
  x3 = t2 - x3;
  y3 = y3 * t0;
  t1 = t1 * z3;
  y3 = t1 + y3;
  t0 = t0 * t3;
  z3 = z3 * t4;
  z3 = z3 + t0;
  return Proj<F>{x3, y3, z3};
}

// RCB16 Algorithm 9 (doubling, a = 0).
template <class F>
Proj<F> proj_dbl(const Proj<F>& p) {
  F t0 = f_sqr(p.y);
  F z3 = t0 + t0;
  z3 = z3 + z3;
  z3 = z3 + z3;
  F t1 = p.y * p.z;
  F t2 = f_sqr(p.z);
  t2 = mul_b3(t2);
  F x3 = t2 * z3;
  F y3 = t0 + t2;
  z3 = t1 * z3;
  t1 = t2 + t2;
  t2 = t1 + t2;
  t0 = t0 - t2;
  y3 = t0 * y3;
  y3 = x3 + y3;
  t1 = p.x * p.y;
  x3 = t0 * t1;
  x3 = x3 + x3;
  return Proj<F>{x3, y3, z3};
}

template <class F>
Proj<F> proj_neg(const Proj<F>& p) {
  return Proj<F>{p.x, -p.y, p.z};
}

template <class F>
bool proj_is_identity(const Proj<F>& p) {
  return f_zero_mask(p.z) != 0;
}

template <class F>
bool proj_eq(const Proj<F>& p, const Proj<F>& q) {
  return f_eq(p.x * q.z, q.x * p.z) && f_eq(p.y * q.z, q.y * p.z);
}

template <class F>
void proj_cmov(Proj<F>& p, const Proj<F>& q, std::uint64_t mask) {
  f_cmov(p.x, q.x, mask);
  f_cmov(p.y, q.y, mask);
  f_cmov(p.z, q.z, mask);
}

// Affine coordinates by a constant-time (Fermat) inversion of Z: safe on points derived
// from secrets, whose projective Z would otherwise leak through the inversion's timing. The
// identity (Z = 0) gives (0, 0) with `infinity` set, without a branch on Z.
template <class F>
Affine<F> proj_to_affine(const Proj<F>& p) {
  const std::uint64_t infinity = f_zero_mask(p.z);
  F zi = f_inv(p.z);  // the inverse of 0 is 0, so x and y come out 0 for the identity
  return Affine<F>{p.x * zi, p.y * zi, infinity != 0};
}

// The same for public points only (decoded input, verification): binary-GCD inversion.
template <class F>
Affine<F> proj_to_affine_vartime(const Proj<F>& p) {
  if (proj_is_identity(p)) return Affine<F>{f_zero<F>(), f_zero<F>(), true};
  F zi = f_inv_vartime(p.z);
  return Affine<F>{p.x * zi, p.y * zi, false};
}

template <class F>
Proj<F> proj_from_affine(const Affine<F>& a) {
  if (a.infinity) return proj_identity<F>();
  return Proj<F>{a.x, a.y, f_one<F>()};
}

template <class F>
bool affine_on_curve(const F& x, const F& y) {
  return f_eq(f_sqr(y), f_sqr(x) * x + curve_b(x));
}

template <class F>
bool proj_on_curve(const Proj<F>& p) {
  // Y^2 Z = X^3 + b Z^3
  F z2 = f_sqr(p.z);
  return f_eq(f_sqr(p.y) * p.z, f_sqr(p.x) * p.x + curve_b(p.x) * z2 * p.z);
}

}  // namespace hc::bls12_381
