// Everything that defines one simulated run: cluster, workload, network, faults, CPU model.
//
// A run is a pure function of (SimConfig, seed). Times are virtual microseconds unless the
// name says otherwise. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consensus/config.h"
#include "consensus/configuration.h"
#include "sim/group_verify_cost.h"

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
  // byzantine_flood.cpp: resource and deposing attacks, on top of honest participation.
  kFutureFlood,       // replays signed PRE-PREPAREs of its future views, PREPAREs for view 2^63
  kDepose,            // relays its clients' transactions to the backups only, never the primary
  kOversized,         // frames of exactly the maximum size and one byte over, an over-budget PRE-PREPARE
  kFetchFlood,        // FETCH from height 1 and BLOCK-REQUESTs to every replica, over and over
  kFutureCheckpoint,  // CHECKPOINTs for sequence numbers far ahead
  kTimestampSkew,     // as primary, block timestamps ten days ahead
  kBadGroupSig,       // a stream of client transactions with bad group signatures to peers
  // Votes both ways: each PREPARE, COMMIT and CHECKPOINT it sends goes to odd-numbered peers
  // with another digest, and to every peer a second time signed in the neighbouring
  // configuration (so around a change it votes in the old and the new one at once).
  kTwoFaced,
  // Reconfiguration (not in all_strategies(): without a change it is honest): honest until
  // its traffic reaches the last checkpoint interval before the first change's boundary or a
  // later configuration, silent from then on, so views change at the boundary.
  kStallAtBoundary,
};
const char* strategy_name(Strategy s);
std::optional<Strategy> parse_strategy(const std::string& name);
// Every strategy except kNone, in declaration order.
std::vector<Strategy> all_strategies();

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
  double group_verify_us = 0;    // group-signature verification of one transaction (kPerTransaction)
  GroupVerifyModel group_model = GroupVerifyModel::kPerTransaction;
  BatchCostCurve group_batch;    // cost of a block's batch (kPerBlock)
  double per_event_us = 0;       // fixed cost of handling any event
  double per_byte_ns = 0;        // hashing/copying cost per message byte
};

struct SimConfig {
  std::uint64_t seed = 1;
  consensus::ConsensusConfig consensus;
  bool real_crypto = false;  // Ed25519 instead of the digest authenticator (sim/digest_authenticator.h)

  // Workload, as in life: each client (a doctor) submits at exponential intervals to ONE
  // replica, its hospital (client mod n), which is the only replica that hears it first. A
  // client that has not seen its valid transaction committed (by f+1 correct replicas, as
  // PBFT clients wait for f+1 replies) after client_retry_ms resends it to the next replica,
  // and so on round the cluster, also after the faulty period. Invalid transactions are
  // rejected at once and never resent.
  std::uint32_t clients = 4;
  double tx_interval_mean_us = 20000;
  std::uint64_t client_retry_ms = 1000;
  // Throughput projection only (the paper's Figures 9/10 model every replica checking every
  // transaction's group signature): each transaction reaches every replica at once. Never
  // used by the scenarios, the soak or the tests.
  bool projection_multicast = false;
  std::uint32_t tx_bytes = 64;
  double invalid_tx_fraction = 0.02;
  // Checker: a committed block's timestamp may be at most this far ahead of the virtual time
  // at which a correct replica delivers it (nullopt: not checked).
  std::optional<std::uint64_t> max_block_time_ahead_ms;
  std::uint64_t duration_ms = 2000;  // load and faults run this long
  std::uint64_t heal_ms = 20000;     // then a fault-free period for liveness

  NetworkConfig net;
  CpuCosts cpu;

  // Reconfiguration (docs/consensus.md, section 2c): every replica's application accepts each
  // change when it commits the block at that height. The cluster holds consensus.id_space()
  // replicas: those outside the genesis configuration start as learners (joiners).
  std::vector<consensus::AcceptedChange> changes;
  // One correct replica cut off from every other replica during [isolate_from_ms,
  // isolate_from_ms + isolate_for_ms) (a replica that misses a change and catches up later).
  std::optional<consensus::ReplicaId> isolate_replica;
  std::uint64_t isolate_from_ms = 0;
  std::uint64_t isolate_for_ms = 0;

  std::uint32_t byzantine = 0;
  Strategy strategy = Strategy::kNone;
  // The replicas outside the genesis configuration (the joiners) are Byzantine too, with this
  // strategy (kNone: they are correct).
  Strategy joiner_strategy = Strategy::kNone;
  std::uint32_t crashes = 0;     // crash-restart events during the faulty period
  std::uint32_t partitions = 0;  // partition episodes during the faulty period

  bool check_liveness = true;
  // Honest primaries the run may depose (views with a correct primary that f+1 correct
  // replicas abandon); nullopt counts without a bound. See docs/consensus.md, section 5.
  std::optional<std::uint64_t> max_honest_depositions;     // off for throughput projections under overload
  std::size_t trace_lines = 200;  // kept for the failure report
};

}  // namespace hc::sim
