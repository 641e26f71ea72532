// Fixed-base exponentiation with a precomputed comb table, for bases used again and again:
// the signer's u, v, h, A in G1 and the pairing values e(A, g2), e(h, g2), e(h, w) in GT.
//
// k = sum_i d_i 16^i with 4-bit digits d_i (64 windows); table[i][d] = base^(d 16^i), so
// base^k = prod_i table[i][d_i]: 64 group operations and no doublings / squarings, against
// about 255 doublings and 64 operations for a generic exponentiation. pow_secret reads every
// entry of each window and keeps the wanted one with a mask, and the pairing library's G1
// additions are complete and its Fp12 multiplication straight-line, so its timing and memory
// accesses do not depend on k. A table holds 1024 elements (about 150 KB in G1, 590 KB in GT).
// Immutable once built: thread-safe to share.
#pragma once

#include <vector>

#include "crypto/groupsig/types.h"

namespace hc::groupsig {

// T is G1 (written additively: the "power" is a scalar multiple) or GT.
template <class T>
class FixedBase {
 public:
  explicit FixedBase(const T& base);

  const T& base() const { return base_; }
  T pow_secret(const Fr& k) const;  // constant time in k
  T pow_public(const Fr& k) const;  // variable time (direct table indexing)

 private:
  static constexpr int kWindowBits = 4;
  static constexpr int kWindows = 64;  // 256 / kWindowBits
  static constexpr int kEntries = 1 << kWindowBits;
  T base_;
  std::vector<T> table_;  // table_[i * kEntries + d] = base^(d 16^i)
};

extern template class FixedBase<G1>;
extern template class FixedBase<GT>;
using FixedBaseG1 = FixedBase<G1>;
using FixedBaseGT = FixedBase<GT>;

}  // namespace hc::groupsig
