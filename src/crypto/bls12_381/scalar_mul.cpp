// wNAF recoding for variable-time scalar multiplication.
#include "crypto/bls12_381/scalar_mul.h"

#include "common/check.h"
#include "common/secure_bytes.h"

namespace hc::bls12_381 {

int wnaf_recode_vartime(const std::uint64_t* k, int n_limbs, int w, std::int8_t* digits) {
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

void split_scalar(const std::uint64_t k[4], const std::uint64_t d[2], std::uint64_t k0[2],
                  std::uint64_t k1[2]) {
  std::uint64_t rem[3] = {0, 0, 0};
  std::uint64_t q[4] = {0, 0, 0, 0};
  for (int bit = 255; bit >= 0; --bit) {
    rem[2] = (rem[2] << 1) | (rem[1] >> 63);
    rem[1] = (rem[1] << 1) | (rem[0] >> 63);
    rem[0] = (rem[0] << 1) | ((k[bit / 64] >> (bit % 64)) & 1);
    unsigned char br = 0;
    std::uint64_t t0 = mont::subb(rem[0], d[0], br);
    std::uint64_t t1 = mont::subb(rem[1], d[1], br);
    std::uint64_t t2 = mont::subb(rem[2], 0, br);
    const std::uint64_t take = static_cast<std::uint64_t>(br) - 1;  // all ones when rem >= d
    rem[0] = (rem[0] & ~take) | (t0 & take);
    rem[1] = (rem[1] & ~take) | (t1 & take);
    rem[2] = (rem[2] & ~take) | (t2 & take);
    q[bit / 64] |= (take & 1) << (bit % 64);
  }
  k0[0] = rem[0];
  k0[1] = rem[1];
  k1[0] = q[0];
  k1[1] = q[1];
  secure_wipe(rem, sizeof(rem));
  secure_wipe(q, sizeof(q));
}

}  // namespace hc::bls12_381
