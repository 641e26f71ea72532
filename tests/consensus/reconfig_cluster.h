// The engine tests' reconfiguration cluster: small_cluster_config() (K = 4, L = 8) with a change
// of the replica set accepted at height 2, which takes effect after c(2) + L = 12.
#pragma once

#include <vector>

#include "test_cluster.h"

namespace hc::consensus::testing {

constexpr SeqNumber kChangeHeight = 2;
constexpr SeqNumber kBoundary = 12;

// Replicas 0 .. id_space - 1 (the first genesis_n of them the genesis configuration), every one
// of which accepts `members` at kChangeHeight; the start-up fetch rounds have ended.
inline TestCluster cluster_with_change(std::uint32_t genesis_n, std::uint32_t id_space, std::vector<ReplicaId> members,
                                       ConsensusConfig cfg = small_cluster_config()) {
  cfg.replica_count = genesis_n;
  cfg.replica_id_space = id_space;
  TestCluster c(cfg);
  for (ReplicaId r = 0; r < id_space; ++r) c.app(r).schedule_change({kChangeHeight, members});
  c.run();
  return c;
}

}  // namespace hc::consensus::testing
