// Four-dimensional GLS scalar multiplication, constant time in the scalar (G2).
//
// On G2 the endomorphism psi acts as multiplication by the curve parameter x, and x < 0, so
// -psi acts as |x| = 0xd201000000010000. BLS12 has r = x^4 - x^2 + 1 < |x|^4, so every
// scalar k < r has exactly four base-|x| digits:
//     k = a0 + a1 |x| + a2 |x|^2 + a3 |x|^3,   0 <= ai < |x| < 2^64,
// and kQ = [a0]Q + [a1](-psi(Q)) + [a2]psi^2(Q) + [a3](-psi^3(Q)) for Q in G2. The split is
// exact (no rounding, no lattice basis, no correction term): it is the integer k written in
// base |x| (docs/bls12_381.md, "Scalar multiplication").
//
// Each ai is recoded into signed radix-2^W digits in [-(2^(W-1) - 1), 2^(W-1)]; the four
// tables hold [1..2^(W-1)] times Q, -psi(Q), psi^2(Q), -psi^3(Q). Every digit is fetched by
// scanning the whole table with masked moves and negated by a masked move of -Y, so the
// sequence of operations (doublings, complete additions, table scans) and the memory
// addresses touched depend on W alone, never on the scalar.
//
// Thread-safety: pure functions and templates on plain values.
#pragma once

#include <array>
#include <cstdint>

#include "common/secure_bytes.h"
#include "crypto/bls12_381/curve.h"

namespace hc::bls12_381 {

// Digits of one base-|x| part in signed radix 2^W: enough for 65 bits, so that the carry
// out of the top window needs no digit of its own (the parts are below |x|, whose top four
// bits are 0xd: the last digit is at most 2^(W-1) for W = 3..6).
template <int W>
inline constexpr int kGls4DigitCount = (65 + W - 1) / W;

// k (canonical, < r, 4 little-endian limbs) = parts[0] + parts[1] |x| + parts[2] |x|^2 +
// parts[3] |x|^3 with 0 <= parts[i] < |x|. Constant time: three restoring divisions by the
// public |x| with a fixed number of steps and masked subtractions; its own temporaries are
// wiped, `parts` is the caller's to wipe.
void gls4_split_scalar(const std::uint64_t k[4], std::uint64_t parts[4]);

// Signed radix-2^w digits of a part (< |x|), least significant first: part = sum d_j 2^(w j),
// d_j in [-(2^(w-1) - 1), 2^(w-1)]; `count` = kGls4DigitCount<w>. Constant time (carries by
// masks, no branch on the part).
void gls4_recode_signed(std::uint64_t part, int w, int count, std::int64_t* digits);

// |d| times the base of `table` (table[i] = [i + 1]base), negated when d < 0; the identity
// for d = 0. Reads every entry.
template <class F, std::size_t N>
Proj<F> gls4_select(const std::array<Proj<F>, N>& table, std::int64_t d) {
  const std::uint64_t neg = static_cast<std::uint64_t>(d >> 63);  // all ones when d < 0
  const std::uint64_t abs = (static_cast<std::uint64_t>(d) ^ neg) - neg;
  Proj<F> sel = proj_identity<F>();
  for (std::uint64_t i = 0; i < N; ++i) {
    const std::uint64_t diff = (i + 1) ^ abs;
    proj_cmov(sel, table[i], ((diff | (0 - diff)) >> 63) - 1);
  }
  const F neg_y = -sel.y;
  f_cmov(sel.y, neg_y, neg);
  return sel;
}

// kQ for k < r (canonical limbs) and Q in the subgroup on which `endo` acts as
// multiplication by x = -|x| (psi on G2) and `endo_squared` as endo o endo (psi^2, cheaper
// than psi twice). W is the window width (4 or 5 are sensible).
template <int W, class F, class Endo, class EndoSquared>
Proj<F> mul_ct_gls4(const Proj<F>& q, const std::uint64_t k[4], Endo endo,
                    EndoSquared endo_squared) {
  static_assert(W >= 3 && W <= 6, "gls4 digits are proved to fit for W = 3..6");
  constexpr int kCount = kGls4DigitCount<W>;
  constexpr std::size_t kHalf = std::size_t{1} << (W - 1);
  std::uint64_t parts[4];
  gls4_split_scalar(k, parts);
  std::int64_t digits[4][kCount];
  for (int m = 0; m < 4; ++m) gls4_recode_signed(parts[m], W, kCount, digits[m]);
  secure_wipe(parts, sizeof(parts));

  // tables[m][i] = [i + 1] [|x|^m] Q, with [|x|]P = -endo(P) and [|x|^2]P = endo_squared(P).
  std::array<std::array<Proj<F>, kHalf>, 4> tables;
  tables[0][0] = q;
  tables[0][1] = proj_dbl(q);
  for (std::size_t i = 2; i < kHalf; ++i) tables[0][i] = proj_add(tables[0][i - 1], q);
  for (std::size_t i = 0; i < kHalf; ++i) {
    tables[1][i] = proj_neg(endo(tables[0][i]));
    tables[2][i] = endo_squared(tables[0][i]);
    tables[3][i] = endo_squared(tables[1][i]);
  }

  Proj<F> acc = gls4_select(tables[0], digits[0][kCount - 1]);
  for (int m = 1; m < 4; ++m) acc = proj_add(acc, gls4_select(tables[m], digits[m][kCount - 1]));
  for (int j = kCount - 2; j >= 0; --j) {
    for (int d = 0; d < W; ++d) acc = proj_dbl(acc);
    for (int m = 0; m < 4; ++m) acc = proj_add(acc, gls4_select(tables[m], digits[m][j]));
  }
  secure_wipe(digits, sizeof(digits));
  return acc;
}

}  // namespace hc::bls12_381
