// Fp: the 381-bit base field of BLS12-381, in Montgomery form on 6 x 64-bit limbs.
//
// Arithmetic (+, -, *, square, negation, conditional move) is branch-free in the values, so
// it is safe on secret data. `inverse` and `sqrt` are fixed exponentiations (constant time);
// `inverse_vartime` is a faster binary extended GCD for public values only.
// Thread-safety: plain values; functions are pure.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "crypto/bls12_381/mont.h"

namespace hc::bls12_381 {

struct Fp {
  std::uint64_t l[6];
};

namespace fp_detail {
inline constexpr std::uint64_t kP[6] = {
    0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
    0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};
inline constexpr mont::Consts<6> kC = mont::make_consts<6>(kP);

// The selected kernel's Fp product and square (fp_kernels.h), defined in fp_kernels.cpp.
// They start at resolvers that pick the kernel on the first call and store it here; the
// products below load the pointer and call through it, one indirect call per product.
using FpMulFn = void (*)(std::uint64_t*, const std::uint64_t*, const std::uint64_t*);
using FpSqrFn = void (*)(std::uint64_t*, const std::uint64_t*);
extern std::atomic<FpMulFn> g_fp_mul;
extern std::atomic<FpSqrFn> g_fp_sqr;
}  // namespace fp_detail

inline constexpr Fp fp_zero() { return Fp{{0, 0, 0, 0, 0, 0}}; }
inline constexpr Fp fp_one() {
  const auto& r = fp_detail::kC.r1;
  return Fp{{r[0], r[1], r[2], r[3], r[4], r[5]}};
}
inline const std::uint64_t* fp_modulus() { return fp_detail::kP; }

inline Fp operator+(const Fp& a, const Fp& b) {
  Fp r;
  mont::add_mod<6>(r.l, a.l, b.l, fp_detail::kP);
  return r;
}
inline Fp operator-(const Fp& a, const Fp& b) {
  Fp r;
  mont::sub_mod<6>(r.l, a.l, b.l, fp_detail::kP);
  return r;
}
inline Fp operator-(const Fp& a) { return fp_zero() - a; }
// Out of line: one well-scheduled copy of the 6-limb product beats many inlined ones. Both
// call the kernel selected at run time (fp_kernels.h: MULX/ADX or portable) directly through
// its pointer (an out-of-line wrapper would add a call and a jump to every product).
inline void fp_mul_into(Fp& r, const Fp& a, const Fp& b) {
  fp_detail::g_fp_mul.load(std::memory_order_relaxed)(r.l, a.l, b.l);
}
inline void fp_sqr_into(Fp& r, const Fp& a) {
  fp_detail::g_fp_sqr.load(std::memory_order_relaxed)(r.l, a.l);
}
inline Fp operator*(const Fp& a, const Fp& b) {
  Fp r;
  fp_mul_into(r, a, b);
  return r;
}
inline Fp& operator+=(Fp& a, const Fp& b) { return a = a + b; }
inline Fp& operator-=(Fp& a, const Fp& b) { return a = a - b; }
inline Fp& operator*=(Fp& a, const Fp& b) { return a = a * b; }
inline Fp fp_sqr(const Fp& a) {
  Fp r;
  fp_sqr_into(r, a);
  return r;
}
inline Fp fp_dbl(const Fp& a) { return a + a; }
// a / 2: adds p when a is odd (masked, branch-free), then shifts right by one bit.
inline Fp fp_half(const Fp& a) {
  const std::uint64_t odd = 0 - (a.l[0] & 1);
  std::uint64_t t[6];
  unsigned char c = 0;
  for (int i = 0; i < 6; ++i) t[i] = mont::addc(a.l[i], fp_detail::kP[i] & odd, c);
  Fp r;
  for (int i = 0; i < 5; ++i) r.l[i] = (t[i] >> 1) | (t[i + 1] << 63);
  r.l[5] = (t[5] >> 1) | (static_cast<std::uint64_t>(c) << 63);
  return r;
}

// Constant-time helpers.
inline std::uint64_t fp_is_zero_mask(const Fp& a) {  // all ones when a == 0
  std::uint64_t acc = 0;
  for (auto v : a.l) acc |= v;
  return ((acc | (0 - acc)) >> 63) - 1;
}
inline bool fp_is_zero(const Fp& a) { return fp_is_zero_mask(a) != 0; }
inline bool fp_eq(const Fp& a, const Fp& b) {
  std::uint64_t acc = 0;
  for (int i = 0; i < 6; ++i) acc |= a.l[i] ^ b.l[i];
  return acc == 0;
}
// a = mask ? b : a (mask is all ones or zero).
inline void fp_cmov(Fp& a, const Fp& b, std::uint64_t mask) {
  for (int i = 0; i < 6; ++i) a.l[i] = (a.l[i] & ~mask) | (b.l[i] & mask);
}

// Conversions between canonical integers (little-endian limbs) and Montgomery form.
Fp fp_from_canonical(const std::uint64_t limbs[6]);  // limbs must be < p
void fp_to_canonical(const Fp& a, std::uint64_t out[6]);
// 48 bytes big-endian; false (and out untouched) when the value is >= p.
bool fp_from_bytes_be(const std::uint8_t in[48], Fp& out);
void fp_to_bytes_be(const Fp& a, std::uint8_t out[48]);
Fp fp_from_u64(std::uint64_t v);
// A compile-time constant given as big-endian hex (up to 96 digits); aborts if malformed.
Fp fp_from_hex(const char* hex);

// a^e for a public exponent e (n_limbs little-endian limbs): the sequence of operations depends
// on e only, so the base may be secret; the exponent must not be.
Fp fp_pow(const Fp& a, const std::uint64_t* exp_limbs, int n_limbs);
Fp fp_inverse(const Fp& a);          // a^(p-2), constant time; 0 -> 0
Fp fp_inverse_vartime(const Fp& a);  // binary extended GCD, public values only; 0 -> 0
// Square root by a^((p+1)/4); false when a is not a square.
bool fp_sqrt(const Fp& a, Fp& out);
// a^((p-3)/4): 1/sqrt(a) when a is a nonzero square (used for Fp2 square roots).
Fp fp_pow_p_minus_3_over_4(const Fp& a);
bool fp_is_square(const Fp& a);
// True when the canonical value is > (p-1)/2 (the "lexicographically largest" sign).
bool fp_is_lexicographically_largest(const Fp& a);

}  // namespace hc::bls12_381
