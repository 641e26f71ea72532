// The replica configuration that orders (and so must certify) the block at a given height, from
// the genesis and the ledger's committed governance state (issue 16; docs/consensus.md section
// 2c, docs/ledger.md "Consortium governance"). The ledger records each accepted member list
// under consortium/change/<height>; a change accepted at height h governs the heights above
// its boundary c(h) + L (consensus_parameters.h), configurations are numbered 0 (the genesis)
// and +1 per boundary, and two changes whose boundaries coincide share one configuration, the
// later list winning: exactly the engine's ConfigSchedule, computed here without the engine
// (the ledger does not link it). Each member's Ed25519 replica key is the genesis's or, for a
// hospital that joined, the one recorded under consortium/member/<id>.
//
// Pure functions over a TrusteeStateView; thread-safe as its reads.
#pragma once

#include <cstdint>
#include <vector>

#include "chain/digest.h"
#include "chain/trustee_state.h"

namespace hc::chain {

struct ReplicaConfiguration {
  std::uint64_t number = 0;              // 0: the genesis configuration
  std::vector<std::uint32_t> members;    // in order: the primary of view v is members[v mod n]
  std::vector<Ed25519PublicKey> keys;    // keys[i] is members[i]'s replica key
  bool operator==(const ReplicaConfiguration&) const = default;
};

// The configuration of block `height` (>= 1). `committed` is the chain's committed state after
// block height - 1 or any later block (only changes whose boundary lies below `height` count,
// and all of those were accepted below it). kCorrupt if the state names a member without a key
// or a change that is not a valid member list (the ledger never commits one).
Result<ReplicaConfiguration> configuration_at(const TrusteeStateView& committed, std::uint64_t height);

}  // namespace hc::chain
