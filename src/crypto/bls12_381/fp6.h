// Fp6 = Fp2[v]/(v^3 - xi), xi = 1 + u. Element c0 + c1*v + c2*v^2.
//
// Branch-free arithmetic (Karatsuba / Toom-style interpolation-free products), plus the
// sparse products used by Miller-loop line multiplication.
// Thread-safety: plain values; functions are pure.
#pragma once

#include "crypto/bls12_381/fp2.h"

namespace hc::bls12_381 {

struct Fp6 {
  Fp2 c0, c1, c2;
};

inline Fp6 fp6_zero() { return Fp6{fp2_zero(), fp2_zero(), fp2_zero()}; }
inline Fp6 fp6_one() { return Fp6{fp2_one(), fp2_zero(), fp2_zero()}; }

inline Fp6 operator+(const Fp6& a, const Fp6& b) {
  return Fp6{a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2};
}
inline Fp6 operator-(const Fp6& a, const Fp6& b) {
  return Fp6{a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2};
}
inline Fp6 operator-(const Fp6& a) { return Fp6{-a.c0, -a.c1, -a.c2}; }
Fp6 operator*(const Fp6& a, const Fp6& b);
Fp6 fp6_sqr(const Fp6& a);
// Multiplication by v: (c0, c1, c2) -> (xi c2, c0, c1).
inline Fp6 fp6_mul_by_v(const Fp6& a) { return Fp6{fp2_mul_by_xi(a.c2), a.c0, a.c1}; }
// a * (b0 + b1 v).
Fp6 fp6_mul_by_01(const Fp6& a, const Fp2& b0, const Fp2& b1);
// a * (b1 v).
Fp6 fp6_mul_by_1(const Fp6& a, const Fp2& b1);
Fp6 fp6_inverse(const Fp6& a);
Fp6 fp6_inverse_vartime(const Fp6& a);

inline bool fp6_eq(const Fp6& a, const Fp6& b) {
  return fp2_eq(a.c0, b.c0) && fp2_eq(a.c1, b.c1) && fp2_eq(a.c2, b.c2);
}
inline void fp6_cmov(Fp6& a, const Fp6& b, std::uint64_t mask) {
  fp2_cmov(a.c0, b.c0, mask);
  fp2_cmov(a.c1, b.c1, mask);
  fp2_cmov(a.c2, b.c2, mask);
}

}  // namespace hc::bls12_381
