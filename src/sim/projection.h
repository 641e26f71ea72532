// The scalability projection (the paper's Figures 9 and 10) run on the simulator.
//
// For each cluster size, one run at an offered load above capacity measures committed
// throughput, and one at half that throughput measures commit latency (median, p99), with
// the virtual CPU charging the given crypto costs. Deterministic from the seed.
#pragma once

#include <string>
#include <vector>

#include "sim/sim_config.h"

namespace hc::sim {

struct ProjectionParams {
  std::vector<std::uint32_t> sizes = {4, 10, 30, 50, 80, 120};
  CpuCosts cpu;                      // sign/verify measured; group_verify_us from a flag
  NetworkConfig net;                 // LAN
  std::uint32_t tx_bytes = 512;
  std::uint32_t batch_txs = 400;
  std::uint64_t duration_ms = 6000;
  double offered_tx_per_s = 2000;
  std::uint64_t seed = 1;
};

struct ProjectionRow {
  std::uint32_t replicas = 0;
  double throughput_tx_per_s = 0;
  double latency_median_ms = 0;
  double latency_p99_ms = 0;
  double load_for_latency_tx_per_s = 0;
  std::uint64_t messages_per_block = 0;
  double txs_per_block = 0;
  bool ok = true;
};

ProjectionRow project_one(const ProjectionParams& params, std::uint32_t replicas);
std::string projection_csv_header();
std::string projection_csv_row(const ProjectionRow& row);

}  // namespace hc::sim
