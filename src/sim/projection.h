// The scalability projection (the paper's Figures 9 and 10) run on the simulator.
//
// For each cluster size, one run at an offered load above capacity measures committed
// throughput, and one at half that throughput measures commit latency (median, p99), with
// the virtual CPU charging the given crypto costs. Deterministic from the seed. The
// throughput run's counters explain the result: each replica's CPU per committed transaction
// by kind (group signatures, Ed25519, the rest) and its link time sending, the busy fraction
// of the primary (replica 0) and of the backups, the block fill and the primary's queue.
#pragma once

#include <string>
#include <vector>

#include "sim/cpu_spent.h"
#include "sim/sim_config.h"

namespace hc::sim {

struct ProjectionParams {
  std::vector<std::uint32_t> sizes = {4, 7, 10, 16, 30, 50, 80, 100, 120};
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
  double latency_txs_per_block = 0;  // block fill in the latency run
  // From the throughput run, per committed transaction (us): replica 0 (the primary) and the
  // mean over the backups; and the fraction of the run their CPUs were busy.
  CpuSpent primary_per_tx;
  CpuSpent backup_per_tx;
  double primary_busy = 0;
  double backup_busy = 0;
  double primary_queue_mean_txs = 0;
  std::uint64_t primary_queue_max_txs = 0;
  bool ok = true;
};

ProjectionRow project_one(const ProjectionParams& params, std::uint32_t replicas);
std::string projection_csv_header();
std::string projection_csv_row(const ProjectionRow& row);

}  // namespace hc::sim
