// The deterministic cluster simulator: one process, one event queue, virtual time.
//
// run_simulation() builds n replicas (the real consensus::Replica) with a TestApplication,
// drives them through a seeded network model (latency, jitter/reordering, bandwidth, loss,
// duplication, partitions), crash/restart from their persisted records, Byzantine behaviours
// and a per-replica virtual CPU charging each crypto operation. After the faulty period it
// heals everything, lets the cluster run, and checks agreement, integrity, validity,
// certificate validity and liveness. The same SimConfig (including the seed) always
// produces the same result and fingerprint. Not thread-safe; independent runs may execute
// on different threads.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "consensus/replica.h"
#include "sim/cpu_spent.h"
#include "sim/sim_config.h"

namespace hc::sim {

struct RunResult {
  bool ok = true;
  std::string violation;            // empty when ok
  std::vector<std::string> trace;   // the last events before the end of the run
  std::uint64_t fingerprint = 0;    // hash of every processed event (replay check)

  // Measurements (over the faulty period, at correct replicas).
  std::uint64_t submitted_txs = 0;
  std::uint64_t committed_txs = 0;     // valid transactions committed by f+1 correct replicas
  std::uint64_t final_height = 0;      // highest height delivered by a correct replica
  double throughput_tx_per_s = 0;      // committed over the load period
  double latency_median_ms = 0;        // submit to commit at f+1 correct replicas
  double latency_p99_ms = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t view_changes = 0;
  std::uint64_t honest_depositions = 0;  // views with a correct primary abandoned by f+1 correct
  std::uint64_t blocks_fetched = 0;
  std::uint64_t events = 0;
  // Messages the replicas dropped, by DropReason (consensus/replica.h), and the votes of a next
  // configuration that replicas kept until they crossed into it.
  std::array<std::uint64_t, consensus::kDropReasons> messages_dropped_by_reason{};
  std::uint64_t next_config_messages_kept = 0;
  // At the end, per replica id: the configuration it is in and whether it is a member of it
  // (a crashed replica reports configuration 0, not a member); boundaries crossed in all.
  std::vector<std::uint64_t> replica_config;
  std::vector<bool> replica_member;
  std::uint64_t configurations_entered = 0;
  // Per replica id, over the whole run: virtual CPU by kind of work and link time sending.
  std::vector<CpuSpent> cpu_by_replica;
  // When the last CPU work charged to any replica ends: work started before the end of the run
  // may finish after it, so a busy fraction divides by the later of this and the run's end.
  std::uint64_t cpu_charged_until_us = 0;
  // Replica 0 (the primary while the view stays 0, as in the projection): client transactions
  // waiting for its CPU plus those in its engine's pool, time-weighted mean and maximum.
  double primary_queue_mean_txs = 0;
  std::uint64_t primary_queue_max_txs = 0;
};

RunResult run_simulation(const SimConfig& config);

}  // namespace hc::sim
