// Fp12 = Fp6[w]/(w^2 - v). Element c0 + c1*w. GT lives here.
//
// Products (Karatsuba, 3 Fp6 products), complex squaring, the sparse product by a Miller
// line, Frobenius maps, and the Granger-Scott cyclotomic squaring (valid only on elements
// of the cyclotomic subgroup, i.e. after the easy part of the final exponentiation).
// Thread-safety: plain values; the Frobenius constants are computed once, thread-safely.
#pragma once

#include "crypto/bls12_381/fp6.h"

namespace hc::bls12_381 {

struct Fp12 {
  Fp6 c0, c1;
};

inline Fp12 fp12_one() { return Fp12{fp6_one(), fp6_zero()}; }
Fp12 operator*(const Fp12& a, const Fp12& b);
Fp12 fp12_sqr(const Fp12& a);
inline Fp12 fp12_conj(const Fp12& a) { return Fp12{a.c0, -a.c1}; }
Fp12 fp12_inverse(const Fp12& a);
Fp12 fp12_inverse_vartime(const Fp12& a);
// a * (l0 + l1 v + l4 v w): the shape of an M-type twist line evaluated at a G1 point.
Fp12 fp12_mul_by_line(const Fp12& a, const Fp2& l0, const Fp2& l1, const Fp2& l4);
// a^(p^k) for k = 1, 2, 3.
Fp12 fp12_frobenius(const Fp12& a, int k);
Fp12 fp12_cyclotomic_sqr(const Fp12& a);
// f^|x| and f^x (x = -0xd201000000010000, the curve parameter) for f in the cyclotomic
// subgroup; f^x is the conjugate of f^|x| (conjugation inverts there). Constant time.
Fp12 fp12_cyclotomic_pow_abs_x(const Fp12& f);
inline Fp12 fp12_cyclotomic_pow_x(const Fp12& f) { return fp12_conj(fp12_cyclotomic_pow_abs_x(f)); }
bool fp12_eq(const Fp12& a, const Fp12& b);
bool fp12_is_one(const Fp12& a);
void fp12_cmov(Fp12& a, const Fp12& b, std::uint64_t mask);

// Frobenius constants gamma[k][i] = xi^(i (p^k - 1) / 6), k = 1..3, i = 0..5 (index k-1).
const Fp2 (&fp12_frobenius_constants())[3][6];

}  // namespace hc::bls12_381
