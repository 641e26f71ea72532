#include "node/replica_standing.h"

#include <optional>
#include <string>

#include "chain/governance_state.h"

namespace hc::node {

Result<ReplicaStanding> replica_standing(const chain::TrusteeStateView& committed, std::uint32_t node_id,
                                         const crypto::Ed25519PublicKey& own_key) {
  const std::string node = "node " + std::to_string(node_id);
  if (auto genesis_key = committed.genesis().replica_key(node_id)) {
    if (*genesis_key != own_key.bytes()) {
      return invalid_input("the replica key file does not hold " + node + "'s key from the genesis");
    }
    return ReplicaStanding::kGenesisReplica;
  }
  HC_ASSIGN_OR_RETURN(std::optional<chain::ConsortiumMember> member, chain::read_member(committed, node_id));
  if (member) {
    if (member->key != own_key.bytes()) {
      return invalid_input("the replica key file does not hold the key the chain accepted for " + node + " (" +
                           member->name + "'s join)");
    }
    return ReplicaStanding::kJoinedMember;
  }
  HC_ASSIGN_OR_RETURN(std::optional<std::uint32_t> holder, chain::member_holding_key(committed, own_key.bytes()));
  if (holder) {
    return invalid_input("the replica key file holds member " + std::to_string(*holder) + "'s key, not " + node +
                         "'s");
  }
  // node_id may already be the subject of an open proposal (ids are handed out when a join is
  // proposed), or of one that expired: neither says whose it will be, so this node waits.
  return ReplicaStanding::kAwaitingJoin;
}

}  // namespace hc::node
