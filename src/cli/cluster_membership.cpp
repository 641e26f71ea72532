#include "cli/cluster_membership.h"

#include <algorithm>

#include "chain/limits.h"
#include "cli/cluster_setup.h"

namespace hc::cli {

namespace {

constexpr std::size_t kMaxNodeNameBytes = 64;

bool name_taken(const ClusterState& state, const std::string& name) {
  return std::any_of(state.nodes.begin(), state.nodes.end(), [&](const ClusterNodeState& n) { return n.name == name; });
}

bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string id_list(const ClusterState& state) {
  std::string ids;
  for (const ClusterNodeState& n : state.nodes) ids += (ids.empty() ? "" : ", ") + std::to_string(n.id);
  return ids;
}

}  // namespace

std::string default_new_node_name(const ClusterState& state, std::uint32_t next_id) {
  std::string name = hospital_name(next_id);
  for (std::uint32_t k = next_id + 1; name_taken(state, name); ++k) name = "hospital-" + std::to_string(k + 1);
  return name;
}

Status check_new_node_name(const ClusterState& state, const std::string& name) {
  if (name.empty() || name.size() > kMaxNodeNameBytes || name.front() == '.' ||
      !std::all_of(name.begin(), name.end(), name_char_ok)) {
    return invalid_input("--name must be 1..64 of [A-Za-z0-9._-], not starting with a dot");
  }
  if (name_taken(state, name)) {
    return Status::error(ErrorCode::kAlreadyExists, "the cluster already has a node named " + name);
  }
  return Status::ok_status();
}

Status check_replica_id_available(std::uint32_t next_replica_id, std::uint32_t id_space) {
  if (next_replica_id >= id_space) {
    return invalid_input("the chain has given out every replica id below " + std::to_string(id_space) +
                         " (its id space); no hospital can join it any more");
  }
  return Status::ok_status();
}

Result<std::vector<const ClusterNodeState*>> choose_approvers(const ClusterState& state,
                                                              const std::vector<std::uint32_t>& members,
                                                              std::size_t needed) {
  std::vector<const ClusterNodeState*> local;
  for (const ClusterNodeState* n : current_cluster_nodes(state)) {
    if (std::find(members.begin(), members.end(), n->id) != members.end()) local.push_back(n);
  }
  std::sort(local.begin(), local.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  if (local.size() < needed) {
    return invalid_input("a join needs " + std::to_string(needed) + " approvals but only " +
                         std::to_string(local.size()) + " of the chain's members are hospitals of this cluster");
  }
  local.resize(needed);
  return local;
}

Result<ClusterNodeState*> find_cluster_node_by_id(ClusterState& state, std::uint32_t id) {
  for (ClusterNodeState& n : state.nodes) {
    if (n.id == id) return &n;
  }
  return Status::error(ErrorCode::kNotFound,
                       "no node with id " + std::to_string(id) + " in this cluster (ids: " + id_list(state) + ")");
}

Status check_removal(const ClusterState& state, std::uint32_t id, const std::vector<std::uint32_t>& members) {
  const auto node = std::find_if(state.nodes.begin(), state.nodes.end(), [&](const auto& n) { return n.id == id; });
  if (node == state.nodes.end()) {
    return invalid_input("no node with id " + std::to_string(id) + " in this cluster (ids: " + id_list(state) + ")");
  }
  if (node->left || std::find(members.begin(), members.end(), id) == members.end()) {
    return invalid_input(node->name + " (id " + std::to_string(id) + ") is not a member of the consortium any more");
  }
  if (members.size() <= kMinConsortiumMembers) {
    return invalid_input("the consortium has " + std::to_string(members.size()) + " members; removing " + node->name +
                         " would leave fewer than " + std::to_string(kMinConsortiumMembers) +
                         " (PBFT needs 4 to tolerate one fault)");
  }
  return Status::ok_status();
}

Result<std::uint32_t> parse_node_id(const std::string& text) {
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(text) >= chain::kMaxReplicas) {
    return invalid_input("--node must be a replica id (0..255), not '" + text.substr(0, 16) + "'");
  }
  return static_cast<std::uint32_t>(std::stoul(text));
}

}  // namespace hc::cli
