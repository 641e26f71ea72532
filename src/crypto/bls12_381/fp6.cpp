// Fp6 products and inversion.
#include "crypto/bls12_381/fp6.h"

namespace hc::bls12_381 {

Fp6 operator*(const Fp6& a, const Fp6& b) {
  // Karatsuba over three coefficients: 6 Fp2 products.
  Fp2 t0 = a.c0 * b.c0;
  Fp2 t1 = a.c1 * b.c1;
  Fp2 t2 = a.c2 * b.c2;
  Fp2 m12 = (a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2;  // a1 b2 + a2 b1
  Fp2 m01 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1;  // a0 b1 + a1 b0
  Fp2 m02 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2;  // a0 b2 + a2 b0
  return Fp6{t0 + fp2_mul_by_xi(m12), m01 + fp2_mul_by_xi(t2), m02 + t1};
}

Fp6 fp6_sqr(const Fp6& a) {
  // Chung-Hasan SQR2.
  Fp2 s0 = fp2_sqr(a.c0);
  Fp2 ab = a.c0 * a.c1;
  Fp2 s1 = ab + ab;
  Fp2 s2 = fp2_sqr(a.c0 - a.c1 + a.c2);
  Fp2 bc = a.c1 * a.c2;
  Fp2 s3 = bc + bc;
  Fp2 s4 = fp2_sqr(a.c2);
  return Fp6{s0 + fp2_mul_by_xi(s3), s1 + fp2_mul_by_xi(s4), s1 + s2 + s3 - s0 - s4};
}

Fp6 fp6_mul_by_01(const Fp6& a, const Fp2& b0, const Fp2& b1) {
  Fp2 t0 = a.c0 * b0;
  Fp2 t1 = a.c1 * b1;
  Fp2 r0 = fp2_mul_by_xi((a.c1 + a.c2) * b1 - t1) + t0;     // a0 b0 + xi a2 b1
  Fp2 r1 = (a.c0 + a.c1) * (b0 + b1) - t0 - t1;             // a0 b1 + a1 b0
  Fp2 r2 = (a.c0 + a.c2) * b0 - t0 + t1;                    // a2 b0 + a1 b1
  return Fp6{r0, r1, r2};
}

Fp6 fp6_mul_by_1(const Fp6& a, const Fp2& b1) {
  return Fp6{fp2_mul_by_xi(a.c2 * b1), a.c0 * b1, a.c1 * b1};
}

namespace {

Fp6 inverse_with(const Fp6& a, Fp2 (*inv2)(const Fp2&)) {
  Fp2 t0 = fp2_sqr(a.c0) - fp2_mul_by_xi(a.c1 * a.c2);
  Fp2 t1 = fp2_mul_by_xi(fp2_sqr(a.c2)) - a.c0 * a.c1;
  Fp2 t2 = fp2_sqr(a.c1) - a.c0 * a.c2;
  Fp2 n = a.c0 * t0 + fp2_mul_by_xi(a.c2 * t1 + a.c1 * t2);
  Fp2 ni = inv2(n);
  return Fp6{t0 * ni, t1 * ni, t2 * ni};
}

}  // namespace

Fp6 fp6_inverse(const Fp6& a) { return inverse_with(a, fp2_inverse); }
Fp6 fp6_inverse_vartime(const Fp6& a) { return inverse_with(a, fp2_inverse_vartime); }

}  // namespace hc::bls12_381
