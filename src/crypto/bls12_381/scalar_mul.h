// Scalar multiplication templates over Proj<F>, for G1 and G2.
//
// - mul_ct: constant time in the scalar. 4-bit fixed windows over all 256 bits; every
//   window does 4 doublings and one complete addition of a table entry fetched by scanning
//   the whole 16-entry table with masked moves (no secret-dependent branch or index).
// - mul_vartime: width-5 wNAF over the given number of bits, for public scalars.
// Thread-safety: pure templates.
#pragma once

#include <array>
#include <cstdint>

#include "common/secure_bytes.h"
#include "crypto/bls12_381/curve.h"

namespace hc::bls12_381 {

template <class F>
Proj<F> mul_ct(const Proj<F>& p, const std::uint64_t k[4]) {
  std::array<Proj<F>, 16> table;
  table[0] = proj_identity<F>();
  table[1] = p;
  for (int i = 2; i < 16; ++i) {
    table[i] = (i % 2 == 0) ? proj_dbl(table[i / 2]) : proj_add(table[i - 1], p);
  }
  Proj<F> acc = proj_identity<F>();
  for (int w = 63; w >= 0; --w) {
    for (int d = 0; d < 4; ++d) acc = proj_dbl(acc);
    std::uint64_t nibble = (k[w / 16] >> (4 * (w % 16))) & 0xf;
    Proj<F> sel = table[0];
    for (std::uint64_t i = 1; i < 16; ++i) {
      std::uint64_t diff = i ^ nibble;
      std::uint64_t eq_mask = ((diff | (0 - diff)) >> 63) - 1;  // all ones iff i == nibble
      proj_cmov(sel, table[i], eq_mask);
    }
    acc = proj_add(acc, sel);
  }
  return acc;
}

// Signed width-w NAF digits of the little-endian integer k (n_limbs limbs); returns the
// number of digits written (at most 64 * n_limbs + 1).
int wnaf_recode_vartime(const std::uint64_t* k, int n_limbs, int w, std::int8_t* digits);

template <class F>
Proj<F> mul_vartime(const Proj<F>& p, const std::uint64_t* k, int n_limbs) {
  constexpr int kW = 5;
  std::array<Proj<F>, 1 << (kW - 2)> odd;  // P, 3P, 5P, ..., 15P
  odd[0] = p;
  Proj<F> p2 = proj_dbl(p);
  for (std::size_t i = 1; i < odd.size(); ++i) odd[i] = proj_add(odd[i - 1], p2);
  std::int8_t digits[64 * 4 + 1];
  int n = wnaf_recode_vartime(k, n_limbs, kW, digits);
  Proj<F> acc = proj_identity<F>();
  for (int i = n - 1; i >= 0; --i) {
    acc = proj_dbl(acc);
    int d = digits[i];
    if (d > 0) acc = proj_add(acc, odd[d / 2]);
    if (d < 0) acc = proj_add(acc, proj_neg(odd[(-d) / 2]));
  }
  return acc;
}

// Splits k (< r, 256-bit little-endian) as k = k1 * d + k0 with 0 <= k0 < d for a public
// 128-bit divisor d (x^2 - 1 or x^2, about sqrt(r)), so k0, k1 < 2^128. Constant time
// (restoring division with masked subtraction, fixed 256 steps); its own remainder and
// quotient temporaries are wiped, k0 and k1 are the caller's to wipe.
void split_scalar(const std::uint64_t k[4], const std::uint64_t d[2], std::uint64_t k0[2],
                  std::uint64_t k1[2]);

// GLV-style constant-time multiplication: k P = k0 P + k1 endo(P), where endo acts on the
// subgroup as multiplication by d. Two 4-bit windowed tables, each read by a full masked
// scan; 128 doublings instead of 256.
template <class F, class Endo>
Proj<F> mul_ct_endo(const Proj<F>& p, const std::uint64_t k[4], const std::uint64_t d[2],
                    Endo endo) {
  std::uint64_t k0[2], k1[2];
  split_scalar(k, d, k0, k1);
  std::array<Proj<F>, 16> t0, t1;
  t0[0] = proj_identity<F>();
  t0[1] = p;
  for (int i = 2; i < 16; ++i) t0[i] = (i % 2 == 0) ? proj_dbl(t0[i / 2]) : proj_add(t0[i - 1], p);
  for (int i = 0; i < 16; ++i) t1[i] = endo(t0[i]);
  auto select = [](const std::array<Proj<F>, 16>& table, std::uint64_t nibble) {
    Proj<F> sel = table[0];
    for (std::uint64_t i = 1; i < 16; ++i) {
      std::uint64_t diff = i ^ nibble;
      proj_cmov(sel, table[i], ((diff | (0 - diff)) >> 63) - 1);
    }
    return sel;
  };
  Proj<F> acc = proj_identity<F>();
  for (int w = 31; w >= 0; --w) {
    for (int dd = 0; dd < 4; ++dd) acc = proj_dbl(acc);
    acc = proj_add(acc, select(t0, (k0[w / 16] >> (4 * (w % 16))) & 0xf));
    acc = proj_add(acc, select(t1, (k1[w / 16] >> (4 * (w % 16))) & 0xf));
  }
  secure_wipe(k0, sizeof(k0));
  secure_wipe(k1, sizeof(k1));
  return acc;
}

// Variable-time GLV: k P = k0 P + k1 endo(P) with interleaved width-5 wNAF.
template <class F, class Endo>
Proj<F> mul_vartime_endo(const Proj<F>& p, const std::uint64_t k[4], const std::uint64_t d[2],
                         Endo endo) {
  constexpr int kW = 5;
  std::uint64_t k0[2], k1[2];
  split_scalar(k, d, k0, k1);
  std::array<Proj<F>, 1 << (kW - 2)> odd0, odd1;
  odd0[0] = p;
  Proj<F> p2 = proj_dbl(p);
  for (std::size_t i = 1; i < odd0.size(); ++i) odd0[i] = proj_add(odd0[i - 1], p2);
  for (std::size_t i = 0; i < odd0.size(); ++i) odd1[i] = endo(odd0[i]);
  std::int8_t d0[2 * 64 + 1], d1[2 * 64 + 1];
  int n0 = wnaf_recode_vartime(k0, 2, kW, d0);
  int n1 = wnaf_recode_vartime(k1, 2, kW, d1);
  Proj<F> acc = proj_identity<F>();
  for (int i = (n0 > n1 ? n0 : n1) - 1; i >= 0; --i) {
    acc = proj_dbl(acc);
    int a = i < n0 ? d0[i] : 0;
    int b = i < n1 ? d1[i] : 0;
    if (a > 0) acc = proj_add(acc, odd0[a / 2]);
    if (a < 0) acc = proj_add(acc, proj_neg(odd0[(-a) / 2]));
    if (b > 0) acc = proj_add(acc, odd1[b / 2]);
    if (b < 0) acc = proj_add(acc, proj_neg(odd1[(-b) / 2]));
  }
  return acc;
}

// [|x|]P for the curve parameter |x| = 0xd201000000010000 (public).
template <class F>
Proj<F> mul_by_abs_x(const Proj<F>& p) {
  constexpr std::uint64_t kAbsXBits = 0xd201000000010000ULL;
  Proj<F> acc = p;
  for (int b = 62; b >= 0; --b) {
    acc = proj_dbl(acc);
    if ((kAbsXBits >> b) & 1) acc = proj_add(acc, p);
  }
  return acc;
}

}  // namespace hc::bls12_381
