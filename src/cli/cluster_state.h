// D/cluster.json: what `hc cluster` knows about a running local consortium, for the commands
// that come after `up` (and for people and scripts). Format (docs/cluster.md):
//   {"format":"healthchain-cluster","version":1,
//    "nodes":[{"name","id","api_url","data_dir","config","log","pid","doctor_token_file","left"?}],
//    "manager_dir","group_dir","genesis","passphrase_file"?}
// A node removed by `hc cluster remove-node` stays listed with "left": true (its files are
// kept; start and start-node skip it, status reports it, down stops it if it runs).
// Paths are absolute. Written atomically (file_io.h); not safe for concurrent writers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace hc::cli {

struct ClusterNodeState {
  std::string name;
  std::uint32_t id = 0;
  std::string api_url;
  std::filesystem::path data_dir;
  std::filesystem::path config;
  std::filesystem::path log;
  std::int64_t pid = 0;  // the last process started for the node; 0 if never started
  std::filesystem::path doctor_token_file;
  bool left = false;  // the hospital left the consortium (hc cluster remove-node)
};

struct ClusterState {
  std::vector<ClusterNodeState> nodes;
  std::filesystem::path manager_dir;
  std::filesystem::path group_dir;
  std::filesystem::path genesis;
  std::filesystem::path passphrase_file;  // empty if the passphrase was given by the user
};

std::filesystem::path cluster_state_path(const std::filesystem::path& dir);
std::string cluster_state_to_json(const ClusterState& state);
// kInvalidInput naming the field for anything malformed.
Result<ClusterState> parse_cluster_state(std::string_view json_text);
// Reads D/cluster.json; kNotFound with a hint if D holds no cluster.
Result<ClusterState> load_cluster_state(const std::filesystem::path& dir);
Status save_cluster_state(const std::filesystem::path& dir, const ClusterState& state);

// The nodes that have not left, in order.
std::vector<const ClusterNodeState*> current_cluster_nodes(const ClusterState& state);

// The node called `name`, or kNotFound listing the known names.
Result<ClusterNodeState*> find_cluster_node(ClusterState& state, const std::string& name);

}  // namespace hc::cli
