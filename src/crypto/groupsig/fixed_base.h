// Fixed-base exponentiation with a precomputed comb table, for bases used again and again:
// the signer's u, v, h, A in G1 and the pairing values e(A, g2), e(h, g2), e(h, w) in GT.
//
// k is recoded in signed radix 2^W: k = sum_i d_i 2^(W i) with |d_i| <= 2^(W-1);
// table[i][|d|] = base^(|d| 2^(W i)), and a negative digit inverts the entry (a negation in
// G1, a conjugation in GT, both cheap). So base^k = prod_i table[i][d_i]: one group
// operation per window and no doublings / squarings, against about 255 doublings and 50
// operations for a generic exponentiation. W = 5 (52 windows of 17 entries) suits
// pow_secret, which scans whole windows; W = 8 (33 windows of 129 entries) suits tables
// used only with public scalars (the verifier's). pow_secret recodes without branches, reads every
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
template <class T, int W>
class FixedBase {
 public:
  explicit FixedBase(const T& base);

  const T& base() const { return base_; }
  T pow_secret(const Fr& k) const;  // constant time in k
  T pow_public(const Fr& k) const;  // variable time (direct table indexing)

 private:
  static_assert(W >= 5 && W <= 8);
  // 255-bit scalars: ceil(255 / W) windows plus one for the final carry.
  static constexpr int kWindows = (255 + W - 1) / W + 1;
  static constexpr int kEntries = (1 << (W - 1)) + 1;  // |d| = 0..2^(W-1)
  T base_;
  std::vector<T> table_;  // table_[i * kEntries + d] = base^(d 2^(W i))
};

extern template class FixedBase<G1, 5>;
extern template class FixedBase<GT, 5>;
extern template class FixedBase<G1, 8>;
using FixedBaseG1 = FixedBase<G1, 5>;
using FixedBaseGT = FixedBase<GT, 5>;
using FixedBaseG1Public = FixedBase<G1, 8>;  // for public scalars: fewer, larger windows

}  // namespace hc::groupsig
