// wNAF recoding for variable-time scalar multiplication.
#include "crypto/bls12_381/scalar_mul.h"

#include "common/check.h"

namespace hc::bls12_381 {

int wnaf_recode(const std::uint64_t* k, int n_limbs, int w, std::int8_t* digits) {
  HC_CHECK(n_limbs >= 1 && n_limbs <= 4 && w >= 2 && w <= 7);
  std::uint64_t v[5] = {};
  for (int i = 0; i < n_limbs; ++i) v[i] = k[i];
  const std::uint64_t mask = (1ULL << w) - 1;
  const std::int64_t half = 1LL << (w - 1);
  int n = 0;
  auto nonzero = [&v]() { return (v[0] | v[1] | v[2] | v[3] | v[4]) != 0; };
  while (nonzero()) {
    std::int64_t d = 0;
    if (v[0] & 1) {
      d = static_cast<std::int64_t>(v[0] & mask);
      if (d >= half) d -= (1LL << w);
      // v -= d (d odd, |d| < 2^(w-1))
      if (d > 0) {
        std::uint64_t sub = static_cast<std::uint64_t>(d);
        for (int i = 0; i < 5 && sub; ++i) {
          std::uint64_t old = v[i];
          v[i] -= sub;
          sub = old < sub ? 1 : 0;
        }
      } else {
        std::uint64_t add = static_cast<std::uint64_t>(-d);
        for (int i = 0; i < 5 && add; ++i) {
          v[i] += add;
          add = v[i] < add ? 1 : 0;
        }
      }
    }
    digits[n++] = static_cast<std::int8_t>(d);
    for (int i = 0; i < 5; ++i) v[i] = (v[i] >> 1) | (i < 4 ? (v[i + 1] << 63) : 0);
  }
  return n;
}

}  // namespace hc::bls12_381
