#include "chain/consortium_configuration.h"

#include <set>
#include <string>

#include "chain/consensus_parameters.h"
#include "chain/governance_state.h"
#include "chain/limits.h"

namespace hc::chain {

namespace {

Status corrupt(const std::string& what) {
  return Status::error(ErrorCode::kCorrupt, "store: consortium configuration: " + what);
}

// What the engine would ignore (consensus::check_members): the ledger never records it.
Status check_recorded_members(const std::vector<std::uint32_t>& members, std::uint32_t id_space, std::uint64_t height) {
  const std::string where = "the change at height " + std::to_string(height);
  if (members.size() < kMinConsortiumMembers) return corrupt(where + " names fewer than 4 replicas");
  std::set<std::uint32_t> seen;
  for (std::uint32_t id : members) {
    if (id >= id_space) return corrupt(where + " names replica " + std::to_string(id) + ", outside the id space");
    if (!seen.insert(id).second) return corrupt(where + " names replica " + std::to_string(id) + " twice");
  }
  return Status();
}

}  // namespace

Result<ReplicaConfiguration> configuration_at(const TrusteeStateView& committed, std::uint64_t height) {
  const Genesis& genesis = committed.genesis();
  ReplicaConfiguration config;
  for (const ReplicaInfo& r : genesis.replicas) config.members.push_back(r.id);
  HC_ASSIGN_OR_RETURN(std::vector<MembershipChange> changes, read_membership_changes(committed, 1));
  const std::uint32_t id_space = replica_id_space(genesis);
  std::uint64_t last_boundary = 0;  // of the configuration in `config` (0: the genesis's)
  for (const MembershipChange& change : changes) {
    const std::uint64_t boundary = membership_change_boundary(change.height);
    if (boundary >= height) break;  // heights ascend, so do boundaries: the rest govern later blocks
    HC_RETURN_IF_ERROR(check_recorded_members(change.members, id_space, change.height));
    if (config.number == 0 || boundary != last_boundary) ++config.number;
    last_boundary = boundary;
    config.members = change.members;
  }
  for (std::uint32_t id : config.members) {
    HC_ASSIGN_OR_RETURN(auto member, read_member(committed, id));
    if (!member) return corrupt("member " + std::to_string(id) + " has no recorded replica key");
    config.keys.push_back(member->key);
  }
  return config;
}

}  // namespace hc::chain
