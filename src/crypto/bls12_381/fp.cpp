// Fp conversions, exponentiation, inversion and square roots.
#include "crypto/bls12_381/fp.h"

#include <cstring>

#include "common/check.h"

namespace hc::bls12_381 {

namespace {

using mont::u128;
using mont::u64;

constexpr int kLimbs = 6;

// out = p + delta for a small signed delta, then shifted right by `shift` bits.
struct Exponent {
  u64 l[kLimbs];
};

constexpr Exponent p_plus(int64_t delta, int shift) {
  Exponent e{};
  u64 borrow_or_carry = 0;
  u64 add = delta >= 0 ? static_cast<u64>(delta) : static_cast<u64>(-delta);
  for (int i = 0; i < kLimbs; ++i) {
    u64 pi = fp_detail::kP[i];
    u64 operand = i == 0 ? add : 0;
    if (delta >= 0) {
      u64 s = pi + operand + borrow_or_carry;
      borrow_or_carry = (s < pi || (borrow_or_carry && s == pi)) ? 1 : 0;
      e.l[i] = s;
    } else {
      u64 s = pi - operand - borrow_or_carry;
      borrow_or_carry = (pi < operand + borrow_or_carry) ? 1 : 0;
      e.l[i] = s;
    }
  }
  for (int k = 0; k < shift; ++k) {
    for (int i = 0; i < kLimbs; ++i) {
      u64 hi = i + 1 < kLimbs ? e.l[i + 1] : 0;
      e.l[i] = (e.l[i] >> 1) | (hi << 63);
    }
  }
  return e;
}

constexpr Exponent kPMinus2 = p_plus(-2, 0);
constexpr Exponent kPPlus1Over4 = p_plus(1, 2);
constexpr Exponent kPMinus3Over4 = p_plus(-3, 2);
constexpr Exponent kPMinus1Over2 = p_plus(-1, 1);

bool geq(const u64* a, const u64* b) {
  for (int i = kLimbs - 1; i >= 0; --i) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return true;
}

void sub_raw(u64* a, const u64* b) {  // a -= b, assumes a >= b
  u64 borrow = 0;
  for (int i = 0; i < kLimbs; ++i) {
    u128 t = static_cast<u128>(a[i]) - b[i] - borrow;
    a[i] = static_cast<u64>(t);
    borrow = static_cast<u64>(t >> 64) & 1;
  }
}

void shr1(u64* a, u64 top) {
  for (int i = 0; i < kLimbs; ++i) {
    u64 hi = i + 1 < kLimbs ? a[i + 1] : top;
    a[i] = (a[i] >> 1) | (hi << 63);
  }
}

// a = a/2 mod p for a < p (vartime).
void half_mod(u64* a) {
  if ((a[0] & 1) == 0) {
    shr1(a, 0);
    return;
  }
  u128 c = 0;
  for (int i = 0; i < kLimbs; ++i) {
    c += static_cast<u128>(a[i]) + fp_detail::kP[i];
    a[i] = static_cast<u64>(c);
    c >>= 64;
  }
  shr1(a, static_cast<u64>(c));
}

bool is_one_raw(const u64* a) {
  if (a[0] != 1) return false;
  for (int i = 1; i < kLimbs; ++i) {
    if (a[i] != 0) return false;
  }
  return true;
}

}  // namespace

Fp fp_from_canonical(const std::uint64_t limbs[6]) {
  Fp a;
  std::memcpy(a.l, limbs, sizeof(a.l));
  Fp r2;
  std::memcpy(r2.l, fp_detail::kC.r2, sizeof(r2.l));
  return a * r2;
}

void fp_to_canonical(const Fp& a, std::uint64_t out[6]) {
  Fp one_raw = fp_zero();
  one_raw.l[0] = 1;
  Fp r = a * one_raw;
  std::memcpy(out, r.l, sizeof(r.l));
}

bool fp_from_bytes_be(const std::uint8_t in[48], Fp& out) {
  u64 limbs[kLimbs] = {};
  for (int i = 0; i < 48; ++i) {
    int limb = (47 - i) / 8;
    limbs[limb] = (limbs[limb] << 8) | in[i];
  }
  if (geq(limbs, fp_detail::kP)) return false;
  out = fp_from_canonical(limbs);
  return true;
}

void fp_to_bytes_be(const Fp& a, std::uint8_t out[48]) {
  u64 limbs[kLimbs];
  fp_to_canonical(a, limbs);
  for (int i = 0; i < 48; ++i) {
    int limb = (47 - i) / 8;
    int shift = 8 * ((47 - i) % 8);
    out[i] = static_cast<std::uint8_t>(limbs[limb] >> shift);
  }
}

Fp fp_from_u64(std::uint64_t v) {
  u64 limbs[kLimbs] = {v, 0, 0, 0, 0, 0};
  return fp_from_canonical(limbs);
}

Fp fp_from_hex(const char* hex) {
  u64 limbs[kLimbs] = {};
  int n = 0;
  for (const char* c = hex; *c != 0; ++c, ++n) {
    int d = (*c >= '0' && *c <= '9') ? *c - '0' : (*c >= 'a' && *c <= 'f') ? *c - 'a' + 10 : -1;
    HC_CHECK(d >= 0 && n < 96);
    for (int i = kLimbs - 1; i > 0; --i) limbs[i] = (limbs[i] << 4) | (limbs[i - 1] >> 60);
    limbs[0] = (limbs[0] << 4) | static_cast<u64>(d);
  }
  HC_CHECK(!geq(limbs, fp_detail::kP));
  return fp_from_canonical(limbs);
}

Fp fp_pow(const Fp& a, const std::uint64_t* exp_limbs, int n_limbs) {
  // Sliding windows of up to 5 bits over the odd powers a, a^3, ..., a^31, from the top set
  // bit down: one squaring per bit and one product per window (about 64 products for a
  // 381-bit exponent, against 96 with fixed 4-bit windows). The exponent is public (a
  // constant of the field), so the sequence of squarings and products and the table index
  // depend on it alone, never on the base.
  auto bit = [&](int i) { return (exp_limbs[i / 64] >> (i % 64)) & 1; };
  int i = 64 * n_limbs - 1;
  while (i >= 0 && bit(i) == 0) --i;
  if (i < 0) return fp_one();
  Fp odd[16];
  odd[0] = a;
  const Fp a2 = fp_sqr(a);
  for (int k = 1; k < 16; ++k) odd[k] = odd[k - 1] * a2;
  Fp r;
  bool first = true;
  while (i >= 0) {
    if (bit(i) == 0) {  // never before the first window: bit i of the top is set
      fp_sqr_into(r, r);  // in place: a returned copy would stall on the kernel's stores
      --i;
      continue;
    }
    int j = i >= 4 ? i - 4 : 0;
    while (bit(j) == 0) ++j;  // the window i..j ends on a set bit
    unsigned w = 0;
    for (int k = i; k >= j; --k) w = (w << 1) | static_cast<unsigned>(bit(k));
    if (first) {
      r = odd[w >> 1];
      first = false;
    } else {
      for (int k = i; k >= j; --k) fp_sqr_into(r, r);
      fp_mul_into(r, r, odd[w >> 1]);
    }
    i = j - 1;
  }
  return r;
}

Fp fp_inverse(const Fp& a) { return fp_pow(a, kPMinus2.l, kLimbs); }

Fp fp_inverse_vartime(const Fp& a) {
  // Binary extended Euclid on the Montgomery representative aR: finds (aR)^-1, then
  // multiplies by R^3 (Montgomery product divides by R) to land on a^-1 R.
  u64 u[kLimbs], v[kLimbs], x1[kLimbs] = {1}, x2[kLimbs] = {};
  std::memcpy(u, a.l, sizeof(u));
  std::memcpy(v, fp_detail::kP, sizeof(v));
  if (fp_is_zero(a)) return fp_zero();
  while (!is_one_raw(u) && !is_one_raw(v)) {
    while ((u[0] & 1) == 0) {
      shr1(u, 0);
      half_mod(x1);
    }
    while ((v[0] & 1) == 0) {
      shr1(v, 0);
      half_mod(x2);
    }
    if (geq(u, v)) {
      sub_raw(u, v);
      Fp t;
      mont::sub_mod<6>(t.l, x1, x2, fp_detail::kP);
      std::memcpy(x1, t.l, sizeof(x1));
    } else {
      sub_raw(v, u);
      Fp t;
      mont::sub_mod<6>(t.l, x2, x1, fp_detail::kP);
      std::memcpy(x2, t.l, sizeof(x2));
    }
  }
  Fp raw;
  std::memcpy(raw.l, is_one_raw(u) ? x1 : x2, sizeof(raw.l));
  Fp r3;
  std::memcpy(r3.l, fp_detail::kC.r3, sizeof(r3.l));
  return raw * r3;
}

Fp fp_pow_p_minus_3_over_4(const Fp& a) { return fp_pow(a, kPMinus3Over4.l, kLimbs); }

bool fp_sqrt(const Fp& a, Fp& out) {
  Fp s = fp_pow(a, kPPlus1Over4.l, kLimbs);
  if (!fp_eq(fp_sqr(s), a)) return false;
  out = s;
  return true;
}

bool fp_is_square(const Fp& a) {
  Fp l = fp_pow(a, kPMinus1Over2.l, kLimbs);
  return fp_is_zero(a) || fp_eq(l, fp_one());
}

bool fp_is_lexicographically_largest(const Fp& a) {
  u64 limbs[kLimbs];
  fp_to_canonical(a, limbs);
  // compare with (p-1)/2
  return !geq(kPMinus1Over2.l, limbs);
}

}  // namespace hc::bls12_381
