// Everything that defines one simulated run: cluster, workload, network, faults, CPU model.
//
// A run is a pure function of (SimConfig, seed). Times are virtual microseconds unless the
// name says otherwise. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "consensus/config.h"

namespace hc::sim {

// Byzantine behaviours (applied to the faulty replicas' outgoing messages or inputs).
enum class Strategy : std::uint8_t {
  kNone,
  kEquivocate,   // as primary: different blocks for the same seq to different backups
  kSilent,       // sends nothing at all
  kSlow,         // delays everything it sends
  kWrongDigest,  // PREPARE / COMMIT for a random digest
  kBadSignature, // corrupts the signature of everything it sends
  kReplay,       // re-sends old messages (its own and others') at random
  kCensor,       // never sees the transactions of client 0 (so never proposes them)
};
const char* strategy_name(Strategy s);
std::optional<Strategy> parse_strategy(const std::string& name);

struct NetworkConfig {
  std::uint64_t base_latency_us = 200;   // one-way propagation on a LAN
  double jitter_mean_us = 100;           // exponential extra delay (causes reordering)
  double bandwidth_bytes_per_us = 125;   // 1 Gbit/s per sender link
  double loss = 0;                       // probability a message is dropped
  double duplicate = 0;                  // probability a message is delivered twice
};

// Virtual CPU: every replica processes one event at a time; each costs this much.
struct CpuCosts {
  double sign_us = 0;            // Ed25519 sign
  double verify_us = 0;          // Ed25519 verify
  double group_verify_us = 0;    // group-signature verification of one transaction
  double per_event_us = 0;       // fixed cost of handling any event
  double per_byte_ns = 0;        // hashing/copying cost per message byte
};

struct SimConfig {
  std::uint64_t seed = 1;
  consensus::ConsensusConfig consensus;
  bool real_crypto = false;  // Ed25519 instead of the digest authenticator (sim/digest_authenticator.h)

  // Workload: each client submits to every replica at exponential intervals.
  std::uint32_t clients = 4;
  double tx_interval_mean_us = 20000;
  std::uint32_t tx_bytes = 64;
  double invalid_tx_fraction = 0.02;
  std::uint64_t duration_ms = 2000;  // load and faults run this long
  std::uint64_t heal_ms = 20000;     // then a fault-free period for liveness

  NetworkConfig net;
  CpuCosts cpu;

  std::uint32_t byzantine = 0;
  Strategy strategy = Strategy::kNone;
  std::uint32_t crashes = 0;     // crash-restart events during the faulty period
  std::uint32_t partitions = 0;  // partition episodes during the faulty period

  bool check_liveness = true;     // off for throughput projections under overload
  std::size_t trace_lines = 200;  // kept for the failure report  // kept for the failure report
};

}  // namespace hc::sim
