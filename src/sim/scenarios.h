// Named scenarios shared by hc-sim and the seeded CTest suites.
//
// Each returns the SimConfig for n replicas and a seed; flags may then override fields.
// "normal", "lossy" (loss + duplication), "crash" (crash/restart), "partition", "chaos"
// (all of those), "long-chaos" (all of those for 8 s, with f-1 silent replicas) and
// "byzantine-<strategy>" (f Byzantine replicas, including the first
// primary), and "reconfig-<kind>" (section 2c: join, leave, swap, then lagging, stall,
// chaos, primary-leaves, two-faced and byzantine-joiner, which compose a change with
// faults). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_config.h"

namespace hc::sim {

// The chain id every simulated replica signs for: SHA-256("HC-SIM/1/chain").
consensus::ChainId sim_chain_id();
// Small blocks, short timers and a short run: what the seeded tests use.
SimConfig base_config(std::uint32_t replicas, std::uint64_t seed);
std::optional<SimConfig> scenario_config(const std::string& name, std::uint32_t replicas,
                                         std::uint64_t seed);
// Every scenario but the reconfiguration ones (the CI matrix and the soak's cells).
std::vector<std::string> scenario_names();
// "reconfig-<kind>": join, leave, swap, lagging, stall, chaos, primary-leaves, two-faced,
// byzantine-joiner; leave and primary-leaves need n >= 5.
std::vector<std::string> reconfig_scenario_names();

// Reconfiguration (docs/consensus.md, section 2c), composable with any scenario: the block at
// `at_height` accepts a change of the genesis set 0..n-1. "join": replica n joins (n -> n+1);
// "leave": replica 0, the first primary, leaves (n -> n-1, needs n >= 5); "swap": replica n
// joins and replica 0 leaves. Raises the id space to n+1 for a join, lengthens the load so the
// boundary falls inside it, and lets a pending change drive empty blocks at 50 ms. false for
// an unknown kind or a change that leaves fewer than 4 replicas.
bool apply_reconfig(SimConfig& config, const std::string& kind, std::uint64_t at_height);
// The height at which the reconfiguration scenarios accept their change: 4..12 by seed.
std::uint64_t reconfig_height(std::uint64_t seed);

}  // namespace hc::sim
