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

// The 4-bit digit i of a 32-byte big-endian scalar (digit 0 is the least significant).
inline unsigned digit(const std::array<std::uint8_t, 32>& be, int i) {
  const std::uint8_t byte = be[static_cast<std::size_t>(31 - i / 2)];
  return (i % 2 == 0) ? (byte & 0x0fu) : (byte >> 4);
}

// All-ones when a == b, zero otherwise, without a branch (a ^ b < 2^63).
inline std::uint64_t eq_mask(unsigned a, unsigned b) {
  const std::uint64_t diff = static_cast<std::uint64_t>(a ^ b);
  return std::uint64_t{0} - ((diff - 1) >> 63);
}

}  // namespace

template <class T>
FixedBase<T>::FixedBase(const T& base) : base_(base), table_(kWindows * kEntries) {
  T window_base = base;
  for (int i = 0; i < kWindows; ++i) {
    T* row = &table_[static_cast<std::size_t>(i * kEntries)];
    row[0] = neutral(base);
    for (int d = 1; d < kEntries; ++d) row[d] = combine(row[d - 1], window_base);
    for (int b = 0; b < kWindowBits; ++b) window_base = twice(window_base);
  }
}

template <class T>
T FixedBase<T>::pow_secret(const Fr& k) const {
  std::array<std::uint8_t, 32> be = k.to_bytes();
  T acc = neutral(base_);
  for (int i = 0; i < kWindows; ++i) {
    const unsigned d = digit(be, i);
    T pick = neutral(base_);
    const T* row = &table_[static_cast<std::size_t>(i * kEntries)];
    for (int e = 0; e < kEntries; ++e) cmov(pick, row[e], eq_mask(static_cast<unsigned>(e), d));
    acc = combine(acc, pick);
  }
  secure_wipe(be.data(), be.size());
  return acc;
}

template <class T>
T FixedBase<T>::pow_public(const Fr& k) const {
  const std::array<std::uint8_t, 32> be = k.to_bytes();
  T acc = neutral(base_);
  for (int i = 0; i < kWindows; ++i) {
    const unsigned d = digit(be, i);
    if (d != 0) acc = combine(acc, table_[static_cast<std::size_t>(i * kEntries) + d]);
  }
  return acc;
}

template class FixedBase<G1>;
template class FixedBase<GT>;

}  // namespace hc::groupsig
