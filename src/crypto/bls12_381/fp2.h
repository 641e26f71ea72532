// Fp2 = Fp[u]/(u^2 + 1), the field of G2 coordinates. Element c0 + c1*u.
//
// Arithmetic is branch-free in the values (safe for secrets); multiplication uses
// Karatsuba (3 Fp products, or 3 double-width products and 2 reductions on the ADX kernel).
// `sqrt` and `inverse` are for decoding and normalisation.
// Thread-safety: plain values; functions are pure.
#pragma once

#include "crypto/bls12_381/fp.h"

namespace hc::bls12_381 {

struct Fp2 {
  Fp c0, c1;
};

namespace fp_detail {
// The selected kernel's Fp2 product and square (fp_kernels.h), as for Fp in fp.h.
using Fp2MulFn = void (*)(std::uint64_t*, std::uint64_t*, const std::uint64_t*,
                          const std::uint64_t*, const std::uint64_t*, const std::uint64_t*);
using Fp2SqrFn = void (*)(std::uint64_t*, std::uint64_t*, const std::uint64_t*,
                          const std::uint64_t*);
extern std::atomic<Fp2MulFn> g_fp2_mul;
extern std::atomic<Fp2SqrFn> g_fp2_sqr;
}  // namespace fp_detail

inline Fp2 fp2_zero() { return Fp2{fp_zero(), fp_zero()}; }
inline Fp2 fp2_one() { return Fp2{fp_one(), fp_zero()}; }

inline Fp2 operator+(const Fp2& a, const Fp2& b) { return Fp2{a.c0 + b.c0, a.c1 + b.c1}; }
inline Fp2 operator-(const Fp2& a, const Fp2& b) { return Fp2{a.c0 - b.c0, a.c1 - b.c1}; }
inline Fp2 operator-(const Fp2& a) { return Fp2{-a.c0, -a.c1}; }
// Out of line, through the kernel selected at run time (fp_kernels.h): Karatsuba with three
// Fp products (portable) or with lazy reduction (MULX/ADX).
inline void fp2_mul_into(Fp2& r, const Fp2& a, const Fp2& b) {
  fp_detail::g_fp2_mul.load(std::memory_order_relaxed)(r.c0.l, r.c1.l, a.c0.l, a.c1.l, b.c0.l,
                                                       b.c1.l);
}
inline Fp2 operator*(const Fp2& a, const Fp2& b) {
  Fp2 r;
  fp2_mul_into(r, a, b);
  return r;
}
inline Fp2 operator*(const Fp2& a, const Fp& b) { return Fp2{a.c0 * b, a.c1 * b}; }
inline Fp2& operator+=(Fp2& a, const Fp2& b) { return a = a + b; }
inline Fp2& operator-=(Fp2& a, const Fp2& b) { return a = a - b; }
inline Fp2& operator*=(Fp2& a, const Fp2& b) { return a = a * b; }
// (c0 + c1 u)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 u: two Fp products, out of line through the
// selected kernel (fp_kernels.h).
inline void fp2_sqr_into(Fp2& r, const Fp2& a) {
  fp_detail::g_fp2_sqr.load(std::memory_order_relaxed)(r.c0.l, r.c1.l, a.c0.l, a.c1.l);
}
inline Fp2 fp2_sqr(const Fp2& a) {
  Fp2 r;
  fp2_sqr_into(r, a);
  return r;
}
inline Fp2 fp2_dbl(const Fp2& a) { return a + a; }
inline Fp2 fp2_half(const Fp2& a) { return Fp2{fp_half(a.c0), fp_half(a.c1)}; }
inline Fp2 fp2_conj(const Fp2& a) { return Fp2{a.c0, -a.c1}; }
// Multiplication by xi = 1 + u, the non-residue of the sextic twist.
inline Fp2 fp2_mul_by_xi(const Fp2& a) { return Fp2{a.c0 - a.c1, a.c0 + a.c1}; }

inline bool fp2_is_zero(const Fp2& a) { return fp_is_zero(a.c0) && fp_is_zero(a.c1); }
inline std::uint64_t fp2_is_zero_mask(const Fp2& a) {
  return fp_is_zero_mask(a.c0) & fp_is_zero_mask(a.c1);
}
inline bool fp2_eq(const Fp2& a, const Fp2& b) { return fp_eq(a.c0, b.c0) && fp_eq(a.c1, b.c1); }
inline void fp2_cmov(Fp2& a, const Fp2& b, std::uint64_t mask) {
  fp_cmov(a.c0, b.c0, mask);
  fp_cmov(a.c1, b.c1, mask);
}

Fp2 fp2_inverse(const Fp2& a);          // constant time; 0 -> 0
Fp2 fp2_inverse_vartime(const Fp2& a);  // public values only
// Square root; false when a is not a square in Fp2.
bool fp2_sqrt(const Fp2& a, Fp2& out);
Fp2 fp2_pow(const Fp2& a, const std::uint64_t* exp_limbs, int n_limbs);  // variable time
// The sign used by the compressed encoding: c1 decides, or c0 when c1 == 0.
bool fp2_is_lexicographically_largest(const Fp2& a);

}  // namespace hc::bls12_381
