// What the simulated CPU charges for group-signature verification (the paper's Figures 9/10
// projection; the scenarios, the soak and their tests use the per-transaction model only).
//
// Two models:
// * per transaction (the default, the projection before batch verification): each
//   transaction's first check_tx at a replica costs CpuCosts::group_verify_us, as the node's
//   admission check verifies one relayed record alone;
// * per block: admission costs nothing for the signature; when a replica validates or
//   executes a block, the transactions of it that it has not yet verified are verified
//   together, costing k * per_signature_us(k) for k of them, from a curve of measured
//   (batch size, cost per signature) points (bench_groupsig_batch's
//   BM_ElGamalDecodeVerifyBatch). Between points the per-signature cost is interpolated
//   linearly in the batch size; below the first point and above the last it is flat.
// Pure functions and plain values; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace hc::sim {

enum class GroupVerifyModel : std::uint8_t { kPerTransaction, kPerBlock };

struct BatchCostPoint {
  std::uint32_t batch_size = 0;   // signatures verified together
  double per_signature_us = 0;    // measured cost of each of them
};

// Points ascending by batch size, 1 to kMaxBatchCostPoints of them, sizes distinct and positive, costs positive.
struct BatchCostCurve {
  std::vector<BatchCostPoint> points;

  // Cost per signature in a batch of k >= 1.
  double per_signature_us(std::size_t k) const;
  // Cost of verifying k signatures together (0 for k = 0).
  double batch_us(std::size_t k) const { return k == 0 ? 0 : static_cast<double>(k) * per_signature_us(k); }
};

inline constexpr std::size_t kMaxBatchCostPoints = 64;

// Parses "SIZE:US,SIZE:US,..." (e.g. "1:1424,10:620,100:350"); on failure a one-line reason.
Result<BatchCostCurve> parse_batch_cost_curve(const std::string& text);

}  // namespace hc::sim
