// The consensus parameters every chain fixes for all its nodes (docs/ledger.md, "Consortium
// governance"; docs/consensus.md, section 2c): the checkpoint interval K, the sequence window
// L and the space of replica ids. A membership change accepted by the block at height h takes
// effect after the boundary c(h) + L (c(h) = ceil(h / K) * K), and anyone verifying the chain
// (a node, `hc chain verify`) must compute the same boundary, so K and L are constants of the
// chain, not settings of a node: hc-node copies them into its engine's ConsensusConfig and no
// node configuration can change them. Constants and pure functions only; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>

#include "chain/genesis.h"

namespace hc::chain {

// K: blocks between two checkpoints of the engine.
inline constexpr std::uint32_t kCheckpointIntervalBlocks = 16;
// L: the engine's sequence window, a multiple of K.
inline constexpr std::uint32_t kWindowBlocks = 64;
static_assert(kWindowBlocks % kCheckpointIntervalBlocks == 0, "the window must be a multiple of the checkpoint interval");

// Every replica id a chain may ever give out is below replica_id_space(genesis): the larger of
// this and the genesis's replica count. The engine sizes its message budgets and decoding bounds
// for a configuration of that many members (a NEW-VIEW grows as the square of it; 64 members
// with L = 64 still fit the transport's 16 MiB frame, docs/consensus.md section 2b), and
// ignores a change naming an id outside it, so the ledger refuses to give out such an id.
inline constexpr std::uint32_t kReplicaIdSpace = 64;
inline std::uint32_t replica_id_space(const Genesis& genesis) {
  return std::max<std::uint32_t>(kReplicaIdSpace, static_cast<std::uint32_t>(genesis.replicas.size()));
}

// The last height ordered by the old configuration for a change accepted at `height`:
// ceil(height / K) * K + L (the engine's consensus::change_boundary with these constants).
inline std::uint64_t membership_change_boundary(std::uint64_t height) {
  const std::uint64_t k = kCheckpointIntervalBlocks;
  return (height + k - 1) / k * k + kWindowBlocks;
}

}  // namespace hc::chain
