// Named scenarios shared by hc-sim and the seeded CTest suites.
//
// Each returns the SimConfig for n replicas and a seed; flags may then override fields.
// "normal", "lossy" (loss + duplication), "crash" (crash/restart), "partition", "chaos"
// (all of those), "long-chaos" (all of those for 8 s, with f-1 silent replicas) and
// "byzantine-<strategy>" (f Byzantine replicas, including the first
// primary). Pure functions.
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
std::vector<std::string> scenario_names();

}  // namespace hc::sim
