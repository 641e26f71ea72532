// Multi-scalar multiplication (Pippenger's bucket method), variable time.
#include <vector>

#include "common/check.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"

namespace hc::bls12_381 {

namespace {

constexpr int kScalarBits = 255;

int window_bits(std::size_t n) {
  int log2n = 0;
  while ((std::size_t{1} << (log2n + 1)) <= n) ++log2n;
  int c = log2n * 7 / 10 + 2;
  return c > 16 ? 16 : c;
}

std::uint64_t window_digit(const std::uint64_t k[4], int start, int c) {
  std::uint64_t d = 0;
  for (int b = 0; b < c && start + b < 256; ++b) {
    int bit = start + b;
    d |= ((k[bit / 64] >> (bit % 64)) & 1) << b;
  }
  return d;
}

template <class F>
Proj<F> pippenger(const std::vector<Proj<F>>& pts, const std::vector<std::array<std::uint64_t, 4>>& ks) {
  const std::size_t n = pts.size();
  if (n <= 2) {
    Proj<F> acc = proj_identity<F>();
    for (std::size_t i = 0; i < n; ++i) acc = proj_add(acc, mul_vartime(pts[i], ks[i].data(), 4));
    return acc;
  }
  const int c = window_bits(n);
  const int windows = (kScalarBits + c - 1) / c;
  std::vector<Proj<F>> buckets(std::size_t{1} << c);
  Proj<F> acc = proj_identity<F>();
  for (int w = windows - 1; w >= 0; --w) {
    for (int d = 0; d < c; ++d) acc = proj_dbl(acc);
    for (auto& b : buckets) b = proj_identity<F>();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t digit = window_digit(ks[i].data(), w * c, c);
      if (digit != 0) buckets[digit] = proj_add(buckets[digit], pts[i]);
    }
    // sum_d d * bucket[d] by running sums from the top bucket down.
    Proj<F> running = proj_identity<F>();
    Proj<F> total = proj_identity<F>();
    for (std::size_t d = buckets.size() - 1; d >= 1; --d) {
      running = proj_add(running, buckets[d]);
      total = proj_add(total, running);
    }
    acc = proj_add(acc, total);
  }
  return acc;
}

template <class F, class G>
Proj<F> msm_impl(std::span<const G> points, std::span<const Fr> scalars) {
  HC_CHECK(points.size() == scalars.size());
  std::vector<Proj<F>> pts;
  std::vector<std::array<std::uint64_t, 4>> ks;
  pts.reserve(points.size());
  ks.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    pts.push_back(to_proj(points[i]));
    std::array<std::uint64_t, 4> k{};
    fr_detail::to_canonical(scalars[i], k.data());
    ks.push_back(k);
  }
  return pippenger(pts, ks);
}

}  // namespace

G1 msm(std::span<const G1> points, std::span<const Fr> scalars) {
  return to_g1(msm_impl<Fp>(points, scalars));
}

G2 msm(std::span<const G2> points, std::span<const Fr> scalars) {
  return to_g2(msm_impl<Fp2>(points, scalars));
}

}  // namespace hc::bls12_381
