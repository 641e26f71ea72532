#include "crypto/groupsig/double_mul.h"

#include <array>
#include <cstdint>

namespace hc::groupsig {
namespace {

// k = sum_j k_j 2^(kChunkBits j) with kParts chunks below 2^kChunkBits (255-bit scalars).
constexpr int kParts = 4;
constexpr int kChunkBits = (255 + kParts - 1) / kParts;
constexpr int kDigits = kChunkBits + 1;  // a wNAF has at most one digit more than the value
constexpr int kOdd = 8;                  // width-5 wNAF: odd multiples 1, 3, ..., 15

using Digits = std::array<std::int8_t, kDigits>;

// Width-5 NAF of a value below 2^kChunkBits (<= 2^85): digits in {0, +-1, ..., +-15}. The
// value stays below 2^kChunkBits + 16, so the 128-bit arithmetic cannot overflow.
Digits wnaf(unsigned __int128 k) {
  Digits digits{};
  for (std::size_t i = 0; k != 0; ++i) {
    if ((k & 1) != 0) {
      int d = static_cast<int>(k & 31);
      if (d >= 16) d -= 32;
      digits[i] = static_cast<std::int8_t>(d);
      if (d >= 0) {
        k -= static_cast<unsigned>(d);
      } else {
        k += static_cast<unsigned>(-d);
      }
    }
    k >>= 1;
  }
  return digits;
}

std::array<Digits, kParts> chunk_digits(const Fr& k) {
  const auto be = k.to_bytes();
  std::array<Digits, kParts> out;
  for (int j = 0; j < kParts; ++j) {
    unsigned __int128 chunk = 0;
    for (int b = kChunkBits - 1; b >= 0; --b) {
      const int bit = kChunkBits * j + b;
      const unsigned v = bit < 256 ? (be[static_cast<std::size_t>(31 - bit / 8)] >> (bit % 8)) & 1u : 0u;
      chunk = (chunk << 1) | v;
    }
    out[static_cast<std::size_t>(j)] = wnaf(chunk);
  }
  return out;
}

using OddTable = std::array<G1, kOdd>;

// P, 3P, ..., 15P.
OddTable odd_multiples(const G1& p) {
  OddTable out;
  out[0] = p;
  const G1 twice = p.dbl();
  for (int i = 1; i < kOdd; ++i) out[static_cast<std::size_t>(i)] = out[static_cast<std::size_t>(i - 1)] + twice;
  return out;
}

void add_digit(G1& acc, const OddTable& table, int d) {
  if (d > 0) acc = acc + table[static_cast<std::size_t>(d / 2)];
  if (d < 0) acc = acc - table[static_cast<std::size_t>(-d / 2)];
}

G1 interleave(const std::array<OddTable, kParts>& tables, const Fr& k) {
  const auto digits = chunk_digits(k);
  int top = kDigits - 1;
  auto all_zero = [&](int i) {
    for (const Digits& d : digits) {
      if (d[static_cast<std::size_t>(i)] != 0) return false;
    }
    return true;
  };
  while (top >= 0 && all_zero(top)) --top;
  G1 acc = G1::identity();
  for (int i = top; i >= 0; --i) {
    if (i != top) acc = acc.dbl();
    for (int j = 0; j < kParts; ++j) {
      add_digit(acc, tables[static_cast<std::size_t>(j)], digits[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]);
    }
  }
  return acc;
}

}  // namespace

std::pair<G1, G1> mul2_public(const G1& t, const Fr& a, const Fr& b) {
  std::array<OddTable, kParts> tables;
  G1 shifted = t;  // t 2^(kChunkBits j)
  for (int j = 0; j < kParts; ++j) {
    if (j > 0) {
      for (int i = 0; i < kChunkBits; ++i) shifted = shifted.dbl();
    }
    tables[static_cast<std::size_t>(j)] = odd_multiples(shifted);
  }
  return {interleave(tables, a), interleave(tables, b)};
}

}  // namespace hc::groupsig
