// Generic Montgomery arithmetic on N 64-bit limbs (little-endian limb order), the engine
// under Fp (6 limbs) and Fr (4 limbs). Every routine here is branch-free in its data:
// reductions use borrow masks, never a data-dependent branch or memory index, so the
// same code serves secret-scalar paths. Products use unsigned __int128.
//
// Thread-safety: pure functions on caller-owned arrays.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace hc::bls12_381::mont {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

// Add / subtract with carry: the x86-64 intrinsics compile to adc / sbb chains; the
// portable path uses unsigned __int128.
inline u64 addc(u64 a, u64 b, unsigned char& carry) {
#if defined(__x86_64__)
  unsigned long long out;
  carry = _addcarry_u64(carry, a, b, &out);
  return out;
#else
  u128 t = static_cast<u128>(a) + b + carry;
  carry = static_cast<unsigned char>(t >> 64);
  return static_cast<u64>(t);
#endif
}

inline u64 subb(u64 a, u64 b, unsigned char& borrow) {
#if defined(__x86_64__)
  unsigned long long out;
  borrow = _subborrow_u64(borrow, a, b, &out);
  return out;
#else
  u128 t = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<unsigned char>((t >> 64) & 1);
  return static_cast<u64>(t);
#endif
}

// r = a + b - m if a + b >= m else a + b; inputs < m.
template <std::size_t N>
inline void add_mod(u64* r, const u64* a, const u64* b, const u64* m) {
  u64 s[N], d[N];
  unsigned char c = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) s[i] = addc(a[i], b[i], c);
  unsigned char br = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) d[i] = subb(s[i], m[i], br);
  // Keep s when (carry, s) < m, i.e. when the subtraction borrowed past the carry word.
  u64 keep = 0 - static_cast<u64>(br & (c ^ 1));
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) r[i] = (s[i] & keep) | (d[i] & ~keep);
}

// r = a - b mod m; inputs < m.
template <std::size_t N>
inline void sub_mod(u64* r, const u64* a, const u64* b, const u64* m) {
  u64 d[N];
  unsigned char br = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) d[i] = subb(a[i], b[i], br);
  u64 mask = 0 - static_cast<u64>(br);
  unsigned char c = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) r[i] = addc(d[i], m[i] & mask, c);
}

// r = a * b / 2^(64N) mod m: CIOS with the "no-carry" shortcut, valid because both moduli
// have a top limb below 2^63 - 1 (so the running value never needs an extra word).
// Requires a, b < m; the result is fully reduced (< m) by one masked subtraction.
template <std::size_t N>
inline void mul(u64* r, const u64* a, const u64* b, const u64* m, u64 m_inv) {
  u64 t[N] = {};
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) {
    u128 acc = static_cast<u128>(a[0]) * b[i] + t[0];
    t[0] = static_cast<u64>(acc);
    u64 carry_a = static_cast<u64>(acc >> 64);
    const u64 q = t[0] * m_inv;
    u128 red = static_cast<u128>(q) * m[0] + t[0];
    u64 carry_r = static_cast<u64>(red >> 64);
#pragma GCC unroll 8
    for (std::size_t j = 1; j < N; ++j) {
      acc = static_cast<u128>(a[j]) * b[i] + t[j] + carry_a;
      carry_a = static_cast<u64>(acc >> 64);
      red = static_cast<u128>(q) * m[j] + static_cast<u64>(acc) + carry_r;
      t[j - 1] = static_cast<u64>(red);
      carry_r = static_cast<u64>(red >> 64);
    }
    t[N - 1] = carry_a + carry_r;
  }
  u64 d[N];
  unsigned char br = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) d[i] = subb(t[i], m[i], br);
  u64 keep = 0 - static_cast<u64>(br);
#pragma GCC unroll 8
  for (std::size_t i = 0; i < N; ++i) r[i] = (t[i] & keep) | (d[i] & ~keep);
}

// Compile-time helpers for deriving the Montgomery constants from the modulus alone.
template <std::size_t N>
struct Consts {
  u64 r1[N];  // 2^(64N) mod m
  u64 r2[N];  // 2^(128N) mod m
  u64 r3[N];  // 2^(192N) mod m
  u64 inv;    // -m^-1 mod 2^64
};

template <std::size_t N>
constexpr void double_mod_ct(u64* v, const u64* m) {
  u64 s[N + 1] = {};
  u64 carry = 0;
  for (std::size_t i = 0; i < N; ++i) {
    s[i] = (v[i] << 1) | carry;
    carry = v[i] >> 63;
  }
  s[N] = carry;
  // subtract m if s >= m
  u64 d[N] = {};
  u64 borrow = 0;
  for (std::size_t i = 0; i < N; ++i) {
    u64 mi = m[i];
    u64 di = s[i] - mi - borrow;
    borrow = (s[i] < mi || (s[i] == mi && borrow)) ? 1 : 0;
    d[i] = di;
  }
  bool ge = s[N] != 0 || borrow == 0;
  for (std::size_t i = 0; i < N; ++i) v[i] = ge ? d[i] : s[i];
}

template <std::size_t N>
constexpr Consts<N> make_consts(const u64 (&m)[N]) {
  Consts<N> c{};
  u64 v[N] = {};
  v[0] = 1;
  for (std::size_t k = 1; k <= 3 * 64 * N; ++k) {
    double_mod_ct<N>(v, m);
    if (k == 64 * N) for (std::size_t i = 0; i < N; ++i) c.r1[i] = v[i];
    if (k == 128 * N) for (std::size_t i = 0; i < N; ++i) c.r2[i] = v[i];
    if (k == 192 * N) for (std::size_t i = 0; i < N; ++i) c.r3[i] = v[i];
  }
  u64 x = 1;  // Newton iteration for m[0]^-1 mod 2^64
  for (int i = 0; i < 7; ++i) x *= 2 - m[0] * x;
  c.inv = 0 - x;
  return c;
}

}  // namespace hc::bls12_381::mont
