// The checks and choices of `hc cluster add-node` and `remove-node` (docs/cluster.md), kept
// apart from the processes and the network so they can be tested alone: which name and
// directory a new hospital gets, whether the chain still has a replica id for it, which of the
// local hospitals approve its join, and whether a node may leave (it is a current member and
// at least 4 members stay). Pure functions over a ClusterState and the chain's member list;
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/cluster_state.h"
#include "common/status.h"

namespace hc::cli {

// PBFT needs n >= 4 to tolerate one faulty replica; the ledger refuses an exit below it too.
inline constexpr std::size_t kMinConsortiumMembers = 4;

// The name a new hospital gets when --name is not given: hospital_name(next_id) unless a node
// of the cluster already has it, else "hospital-<k>" for the first free k above next_id.
std::string default_new_node_name(const ClusterState& state, std::uint32_t next_id);

// A name the chain accepts for a join request (1..64 of [A-Za-z0-9._-], not starting with a
// dot: it also names the node's directory) that no node of the cluster has. kInvalidInput /
// kAlreadyExists with one line.
Status check_new_node_name(const ClusterState& state, const std::string& name);

// kInvalidInput when the chain has given out every replica id below its id space
// (chain/consensus_parameters.h): no join can get an id any more.
Status check_replica_id_available(std::uint32_t next_replica_id, std::uint32_t id_space);

// `needed` approvers for a join: current members of the chain (`members`) that are nodes of
// this cluster and have not left, lowest ids first. kInvalidInput if there are not enough
// (members of the chain the cluster does not hold cannot be asked).
Result<std::vector<const ClusterNodeState*>> choose_approvers(const ClusterState& state,
                                                              const std::vector<std::uint32_t>& members,
                                                              std::size_t needed);

// The cluster node with replica id `id`, or kNotFound listing the ids it has.
Result<ClusterNodeState*> find_cluster_node_by_id(ClusterState& state, std::uint32_t id);

// Whether node `id` may leave: it is in the cluster, has not left, is a member of the chain's
// committed list `members`, and at least kMinConsortiumMembers stay. kInvalidInput with one line.
Status check_removal(const ClusterState& state, std::uint32_t id, const std::vector<std::uint32_t>& members);

// Parses --node's value: a replica id 0..255 (decimal). kInvalidInput naming the text.
Result<std::uint32_t> parse_node_id(const std::string& text);

}  // namespace hc::cli
