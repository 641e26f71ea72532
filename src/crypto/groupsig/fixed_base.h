// Fixed-base exponentiation with a precomputed comb table, for bases used again and again:
// the signer's u, v, h, A in G1 and the pairing values e(A, g2), e(h, g2), e(h, w) in GT.
//
// k is recoded in signed radix 32: k = sum_i d_i 32^i with d_i in [-16, 16] (52 windows);
// table[i][|d|] = base^(|d| 32^i) for |d| = 0..16, and a negative digit inverts the entry
// (a negation in G1, a conjugation in GT, both cheap). So base^k = prod_i table[i][d_i]: 52
// group operations and no doublings / squarings, against about 255 doublings and 50
// operations for a generic exponentiation. pow_secret recodes without branches, reads every
// entry of each window, keeps the wanted one with a mask and negates it with a mask; the
// pairing library's G1 additions are complete and its Fp12 multiplication straight-line, so
// its timing and memory accesses do not depend on k. A table holds 52 x 17 elements (about
// 130 KB in G1, 510 KB in GT).
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
  static constexpr int kWindowBits = 5;
  static constexpr int kWindows = 52;  // 255-bit scalars: 51 windows plus the final carry
  static constexpr int kEntries = 17;  // |d| = 0..16
  T base_;
  std::vector<T> table_;  // table_[i * kEntries + d] = base^(d 32^i)
};

extern template class FixedBase<G1>;
extern template class FixedBase<GT>;
using FixedBaseG1 = FixedBase<G1>;
using FixedBaseGT = FixedBase<GT>;

}  // namespace hc::groupsig
