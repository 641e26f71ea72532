// Batch decoding of compressed G1 points with one randomized subgroup test for all of them
// (bls12_381.h, g1_from_compressed_batch_vartime; the argument is in docs/bls12_381.md,
// "Batch subgroup test").
//
// Round j tests the sum S_j of the points whose mask has bit j set. The test is Scott's
// exact one (g1_in_subgroup), a homomorphism whose kernel is G1, so S_j passes iff the
// components of the chosen points outside G1 sum to zero. For a point P_k with such a
// component t_k != 0, fix every other bit of round j: of the two values of P_k's bit, at
// most one makes the sum zero (0 != t_k), so P_k survives the round with probability at most
// 1/2, and all 64 independent rounds with probability at most 2^-64.
//
// The sums share work by four-point chunks: each chunk's 16 subset sums are tabulated once
// (11 additions) and each round adds one entry per chunk, so 64 rounds over n points cost
// about 2.75 n + 16 n additions and 64 subgroup tests, against n tests one by one.
#include <algorithm>
#include <array>

#include "common/check.h"
#include "crypto/bls12_381/points.h"

namespace hc::bls12_381 {

namespace {

constexpr int kBatchSubgroupRounds = 64;  // one bit of each mask per round
constexpr std::size_t kChunkPoints = 4;

// True when every round's subset sum is in G1.
bool subset_sums_in_subgroup(const std::vector<Proj<Fp>>& points,
                             const std::vector<std::uint64_t>& masks) {
  const std::size_t chunks = (points.size() + kChunkPoints - 1) / kChunkPoints;
  std::vector<std::array<Proj<Fp>, 1 << kChunkPoints>> tables(chunks);
  for (std::size_t c = 0; c < chunks; ++c) {
    auto& t = tables[c];
    t[0] = proj_identity<Fp>();
    for (std::size_t m = 1; m < t.size(); ++m) {
      const std::size_t low = static_cast<std::size_t>(__builtin_ctzll(m));
      const std::size_t index = c * kChunkPoints + low;
      const Proj<Fp> point = index < points.size() ? points[index] : proj_identity<Fp>();
      const std::size_t rest = m & (m - 1);
      t[m] = rest == 0 ? point : proj_add(t[rest], point);
    }
  }
  for (int round = 0; round < kBatchSubgroupRounds; ++round) {
    Proj<Fp> sum = proj_identity<Fp>();
    for (std::size_t c = 0; c < chunks; ++c) {
      std::size_t m = 0;
      for (std::size_t b = 0; b < kChunkPoints && c * kChunkPoints + b < points.size(); ++b) {
        m |= static_cast<std::size_t>((masks[c * kChunkPoints + b] >> round) & 1) << b;
      }
      if (m != 0) sum = proj_add(sum, tables[c][m]);
    }
    // The identity is in G1 (the check's incomplete additions would call it outside).
    if (!proj_is_identity(sum) && !g1_in_subgroup(sum)) return false;
  }
  return true;
}

}  // namespace

std::vector<Result<G1>> g1_from_compressed_batch_vartime(std::span<const ByteSpan> encodings,
                                                         std::span<const std::uint64_t> random_masks) {
  HC_CHECK(encodings.size() == random_masks.size());
  std::vector<Result<G1>> out;
  out.reserve(encodings.size());
  std::vector<Proj<Fp>> points;
  std::vector<std::uint64_t> masks;
  points.reserve(encodings.size());
  masks.reserve(encodings.size());
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    Result<Proj<Fp>> p = g1_decompress_on_curve(encodings[i]);
    if (!p.ok()) {
      out.push_back(p.status());
      continue;
    }
    points.push_back(*p);
    masks.push_back(random_masks[i]);
    out.push_back(to_g1(*p));
  }
  if (subset_sums_in_subgroup(points, masks)) return out;
  // Some point is outside G1: decode every one alone, for from_compressed's exact results.
  for (std::size_t i = 0; i < encodings.size(); ++i) out[i] = G1::from_compressed(encodings[i]);
  return out;
}

}  // namespace hc::bls12_381
