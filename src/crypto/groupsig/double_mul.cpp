#include "crypto/groupsig/double_mul.h"

#include <array>
#include <cstdint>

namespace hc::groupsig {
namespace {

using u128 = unsigned __int128;

constexpr int kSplitBits = 127;  // k = k0 + 2^127 k1 with k0 < 2^127 and k1 < 2^128 / 2
constexpr int kDigits = 129;     // a wNAF has at most one digit more than the value's bits
constexpr int kWindow = 5;                 // wNAF digits are odd, |d| < 16
constexpr int kOdd = 1 << (kWindow - 2);  // 8 odd multiples: 1, 3, ..., 15

// Width-5 NAF of a value below 2^127: digits[i] in {0, +-1, +-3, ..., +-15}. The value
// stays below 2^127 + 16 throughout, so the 128-bit arithmetic cannot overflow.
std::array<std::int8_t, kDigits> wnaf(u128 k) {
  std::array<std::int8_t, kDigits> digits{};
  for (std::size_t i = 0; k != 0; ++i) {
    if ((k & 1) != 0) {
      int d = static_cast<int>(k & 31);
      if (d >= 16) d -= 32;
      digits[i] = static_cast<std::int8_t>(d);
      k = d >= 0 ? k - static_cast<u128>(d) : k + static_cast<u128>(-d);
    }
    k >>= 1;
  }
  return digits;
}

// P, 3P, ..., 15P.
std::array<G1, kOdd> odd_multiples(const G1& p) {
  std::array<G1, kOdd> out;
  out[0] = p;
  const G1 twice = p.dbl();
  for (int i = 1; i < kOdd; ++i) out[i] = out[i - 1] + twice;
  return out;
}

void add_digit(G1& acc, const std::array<G1, kOdd>& table, int d) {
  if (d > 0) acc = acc + table[static_cast<std::size_t>(d / 2)];
  if (d < 0) acc = acc - table[static_cast<std::size_t>(-d / 2)];
}

// k = lo + 2^127 hi for k < r < 2^255: lo < 2^127 and hi < 2^128 (in fact < r / 2^127 < 2^127).
void split(const Fr& k, u128& lo, u128& hi) {
  const auto be = k.to_bytes();
  u128 top = 0;
  u128 bottom = 0;
  for (int i = 0; i < 16; ++i) top = (top << 8) | be[static_cast<std::size_t>(i)];
  for (int i = 16; i < 32; ++i) bottom = (bottom << 8) | be[static_cast<std::size_t>(i)];
  const u128 mask = (u128{1} << kSplitBits) - 1;
  lo = bottom & mask;
  hi = (top << 1) | (bottom >> kSplitBits);
}

G1 interleave(const std::array<G1, kOdd>& t_lo, const std::array<G1, kOdd>& t_hi, const Fr& k) {
  u128 lo = 0;
  u128 hi = 0;
  split(k, lo, hi);
  const auto d_lo = wnaf(lo);
  const auto d_hi = wnaf(hi);
  int top = kDigits - 1;
  while (top >= 0 && d_lo[static_cast<std::size_t>(top)] == 0 && d_hi[static_cast<std::size_t>(top)] == 0) {
    --top;
  }
  G1 acc = G1::identity();
  for (int i = top; i >= 0; --i) {
    if (i != top) acc = acc.dbl();
    add_digit(acc, t_lo, d_lo[static_cast<std::size_t>(i)]);
    add_digit(acc, t_hi, d_hi[static_cast<std::size_t>(i)]);
  }
  return acc;
}

}  // namespace

std::pair<G1, G1> mul2_public(const G1& t, const Fr& a, const Fr& b) {
  G1 t_hi = t;
  for (int i = 0; i < kSplitBits; ++i) t_hi = t_hi.dbl();
  const auto table_lo = odd_multiples(t);
  const auto table_hi = odd_multiples(t_hi);
  return {interleave(table_lo, table_hi, a), interleave(table_lo, table_hi, b)};
}

}  // namespace hc::groupsig
