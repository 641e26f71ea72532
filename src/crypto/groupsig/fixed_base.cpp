#include "crypto/groupsig/fixed_base.h"

#include <array>
#include <cstdint>

#include "common/secure_bytes.h"

namespace hc::groupsig {
namespace {

// The group operation, its neutral element and squaring, for the two groups.
inline G1 neutral(const G1&) { return G1::identity(); }
inline GT neutral(const GT&) { return GT::one(); }
inline G1 combine(const G1& a, const G1& b) { return a + b; }
inline GT combine(const GT& a, const GT& b) { return a * b; }
inline G1 twice(const G1& a) { return a.dbl(); }
inline GT twice(const GT& a) { return a.square(); }

inline void cmov_limbs(std::uint64_t* dst, const std::uint64_t* src, std::size_t n,
                       std::uint64_t mask) {
  for (std::size_t j = 0; j < n; ++j) dst[j] ^= mask & (dst[j] ^ src[j]);
}
inline void cmov(G1& dst, const G1& src, std::uint64_t mask) {
  cmov_limbs(dst.repr().x, src.repr().x, 6, mask);
  cmov_limbs(dst.repr().y, src.repr().y, 6, mask);
  cmov_limbs(dst.repr().z, src.repr().z, 6, mask);
}
inline void cmov(GT& dst, const GT& src, std::uint64_t mask) {
  cmov_limbs(dst.repr().c, src.repr().c, 72, mask);
}

inline G1 inverse(const G1& a) { return -a; }
inline GT inverse(const GT& a) { return a.unitary_inverse(); }

// Signed radix-2^W digits of a scalar < 2^255, without branches: digit i is |d_i| and a
// sign mask (all-ones when d_i < 0). Windows take W bits plus the carry, v in [0, 2^W];
// v > 2^(W-1) becomes v - 2^W with a carry into the next window.
constexpr std::size_t kMaxWindows = 52;  // W = 5
struct SignedDigits {
  std::array<unsigned, kMaxWindows> magnitude{};
  std::array<std::uint64_t, kMaxWindows> negative{};
  ~SignedDigits() {
    secure_wipe(magnitude.data(), sizeof(magnitude));
    secure_wipe(negative.data(), sizeof(negative));
  }
};

void recode(const Fr& k, int w, std::size_t windows, SignedDigits& out) {
  std::array<std::uint8_t, 32> be = k.to_bytes();
  const std::uint64_t radix = std::uint64_t{1} << w;
  const std::uint64_t half = radix >> 1;
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < windows; ++i) {
    std::uint64_t bits = 0;
    for (std::size_t b = 0; b < static_cast<std::size_t>(w); ++b) {
      const std::size_t bit = static_cast<std::size_t>(w) * i + b;
      if (bit < 256) bits |= static_cast<std::uint64_t>((be[31 - bit / 8] >> (bit % 8)) & 1u) << b;
    }
    const std::uint64_t v = bits + carry;          // 0..2^W
    const std::uint64_t neg = (half - v) >> 63;    // 1 when v > 2^(W-1)
    const std::uint64_t neg_mask = std::uint64_t{0} - neg;
    const std::uint64_t mag = (v & ~neg_mask) | ((radix - v) & neg_mask);
    out.magnitude[i] = static_cast<unsigned>(mag);
    out.negative[i] = neg_mask;
    carry = neg;
  }
  secure_wipe(be.data(), be.size());
}

// All-ones when a == b, zero otherwise, without a branch (a ^ b < 2^63).
inline std::uint64_t eq_mask(unsigned a, unsigned b) {
  const std::uint64_t diff = static_cast<std::uint64_t>(a ^ b);
  return std::uint64_t{0} - ((diff - 1) >> 63);
}

}  // namespace

template <class T, int W>
FixedBase<T, W>::FixedBase(const T& base) : base_(base), table_(kWindows * kEntries) {
  T window_base = base;
  for (int i = 0; i < kWindows; ++i) {
    T* row = &table_[static_cast<std::size_t>(i * kEntries)];
    row[0] = neutral(base);
    for (int d = 1; d < kEntries; ++d) row[d] = combine(row[d - 1], window_base);
    for (int b = 0; b < W; ++b) window_base = twice(window_base);
  }
}

template <class T, int W>
T FixedBase<T, W>::pow_secret(const Fr& k) const {
  SignedDigits digits;
  recode(k, W, kWindows, digits);
  T acc = neutral(base_);
  for (int i = 0; i < kWindows; ++i) {
    const unsigned d = digits.magnitude[static_cast<std::size_t>(i)];
    T pick = neutral(base_);
    const T* row = &table_[static_cast<std::size_t>(i * kEntries)];
    for (int e = 0; e < kEntries; ++e) cmov(pick, row[e], eq_mask(static_cast<unsigned>(e), d));
    cmov(pick, inverse(pick), digits.negative[static_cast<std::size_t>(i)]);
    acc = combine(acc, pick);
  }
  return acc;
}

template <class T, int W>
T FixedBase<T, W>::pow_public(const Fr& k) const {
  SignedDigits digits;
  recode(k, W, kWindows, digits);
  T acc = neutral(base_);
  for (int i = 0; i < kWindows; ++i) {
    const unsigned d = digits.magnitude[static_cast<std::size_t>(i)];
    if (d == 0) continue;
    const T& entry = table_[static_cast<std::size_t>(i * kEntries) + d];
    acc = combine(acc, digits.negative[static_cast<std::size_t>(i)] != 0 ? inverse(entry) : entry);
  }
  return acc;
}

template class FixedBase<G1, 5>;
template class FixedBase<GT, 5>;
template class FixedBase<G1, 8>;

}  // namespace hc::groupsig
