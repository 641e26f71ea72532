#include "sim/projection.h"

#include <cstdio>

#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace hc::sim {
namespace {

SimConfig projection_config(const ProjectionParams& p, std::uint32_t n, double offered) {
  SimConfig c = base_config(n, p.seed);
  consensus::ConsensusConfig& k = c.consensus;
  k.max_batch_txs = p.batch_txs;
  k.max_batch_bytes = 4u << 20;
  k.max_batch_delay_ms = 20;
  k.checkpoint_interval_blocks = 16;
  k.window_blocks = 64;
  k.max_inflight_blocks = 4;
  k.request_timeout_ms = 60000;  // measure the normal case, not view changes
  k.view_change_timeout_ms = 60000;
  k.max_view_change_timeout_ms = 120000;
  k.fetch_retry_ms = 5000;
  c.cpu = p.cpu;
  c.net = p.net;
  c.tx_bytes = p.tx_bytes;
  c.invalid_tx_fraction = 0;
  c.clients = 16;
  c.projection_multicast = true;
  c.client_retry_ms = 3'600'000;  // every replica already has every transaction
  c.tx_interval_mean_us = 1e6 * c.clients / offered;
  c.duration_ms = p.duration_ms;
  c.heal_ms = 0;
  c.trace_lines = 0;
  c.check_liveness = false;
  return c;
}

}  // namespace

ProjectionRow project_one(const ProjectionParams& p, std::uint32_t n) {
  ProjectionRow row;
  row.replicas = n;
  const RunResult sat = run_simulation(projection_config(p, n, p.offered_tx_per_s));
  row.throughput_tx_per_s = sat.throughput_tx_per_s;
  if (sat.final_height > 0) {
    row.messages_per_block = sat.messages_sent / sat.final_height;
    row.txs_per_block = static_cast<double>(sat.committed_txs) / static_cast<double>(sat.final_height);
  }
  row.load_for_latency_tx_per_s = std::max(1.0, sat.throughput_tx_per_s / 2);
  const RunResult lat = run_simulation(projection_config(p, n, row.load_for_latency_tx_per_s));
  row.latency_median_ms = lat.latency_median_ms;
  row.latency_p99_ms = lat.latency_p99_ms;
  row.ok = sat.ok && lat.ok;
  return row;
}

std::string projection_csv_header() {
  return "replicas,throughput_tx_per_s,latency_median_ms,latency_p99_ms,latency_load_tx_per_s,"
         "messages_per_block,txs_per_block";
}

std::string projection_csv_row(const ProjectionRow& r) {
  char buf[256];
  std::snprintf(buf, sizeof(buf), "%u,%.1f,%.2f,%.2f,%.1f,%llu,%.1f", r.replicas,
                r.throughput_tx_per_s, r.latency_median_ms, r.latency_p99_ms,
                r.load_for_latency_tx_per_s, static_cast<unsigned long long>(r.messages_per_block),
                r.txs_per_block);
  return buf;
}

}  // namespace hc::sim
