#include "cli/cluster_state.h"

#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "crypto/bounded_json.h"

namespace hc::cli {

namespace {

using nlohmann::json;
constexpr std::size_t kMaxStateBytes = 1024 * 1024;
constexpr const char* kFormat = "healthchain-cluster";
constexpr int kVersion = 1;

Status bad_field(const std::string& field) {
  return invalid_input("cluster.json: field \"" + field + "\" is missing or has the wrong type");
}

Result<std::string> get_string(const json& doc, const std::string& field) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_string()) return bad_field(field);
  return it->get<std::string>();
}

Result<std::int64_t> get_int(const json& doc, const std::string& field, std::int64_t max) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_number_integer()) return bad_field(field);
  std::int64_t v = it->get<std::int64_t>();
  if (v < 0 || v > max) return bad_field(field);
  return v;
}

Result<ClusterNodeState> parse_node(const json& n) {
  if (!n.is_object()) return bad_field("nodes");
  ClusterNodeState node;
  HC_ASSIGN_OR_RETURN(node.name, get_string(n, "name"));
  HC_ASSIGN_OR_RETURN(std::int64_t id, get_int(n, "id", 255));
  node.id = static_cast<std::uint32_t>(id);
  HC_ASSIGN_OR_RETURN(node.api_url, get_string(n, "api_url"));
  HC_ASSIGN_OR_RETURN(std::string data_dir, get_string(n, "data_dir"));
  HC_ASSIGN_OR_RETURN(std::string config, get_string(n, "config"));
  HC_ASSIGN_OR_RETURN(std::string log, get_string(n, "log"));
  HC_ASSIGN_OR_RETURN(node.pid, get_int(n, "pid", 0x7fffffff));
  HC_ASSIGN_OR_RETURN(std::string token, get_string(n, "doctor_token_file"));
  node.data_dir = data_dir;
  node.config = config;
  node.log = log;
  node.doctor_token_file = token;
  if (n.contains("left")) {
    auto left = n.find("left");
    if (!left->is_boolean()) return bad_field("left");
    node.left = left->get<bool>();
  }
  return node;
}

}  // namespace

std::filesystem::path cluster_state_path(const std::filesystem::path& dir) { return dir / "cluster.json"; }

std::string cluster_state_to_json(const ClusterState& state) {
  json nodes = json::array();
  for (const ClusterNodeState& n : state.nodes) {
    nodes.push_back({{"name", n.name},
                     {"id", n.id},
                     {"api_url", n.api_url},
                     {"data_dir", n.data_dir.string()},
                     {"config", n.config.string()},
                     {"log", n.log.string()},
                     {"pid", n.pid},
                     {"doctor_token_file", n.doctor_token_file.string()}});
    if (n.left) nodes.back()["left"] = true;
  }
  json doc = {{"format", kFormat},
              {"version", kVersion},
              {"nodes", nodes},
              {"manager_dir", state.manager_dir.string()},
              {"group_dir", state.group_dir.string()},
              {"genesis", state.genesis.string()}};
  if (!state.passphrase_file.empty()) doc["passphrase_file"] = state.passphrase_file.string();
  return doc.dump(2) + "\n";
}

Result<ClusterState> parse_cluster_state(std::string_view json_text) {
  if (!crypto::json_depth_within(json_text, crypto::kMaxJsonDepth)) {
    return invalid_input("cluster.json nests deeper than " + std::to_string(crypto::kMaxJsonDepth) + " levels");
  }
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input("cluster.json is not a JSON object");
  auto format = get_string(doc, "format");
  if (!format.ok() || *format != kFormat) return invalid_input("cluster.json: not a healthchain-cluster file");
  auto version = get_int(doc, "version", 1000);
  if (!version.ok() || *version != kVersion) return invalid_input("cluster.json: unsupported version");
  ClusterState state;
  auto nodes = doc.find("nodes");
  if (nodes == doc.end() || !nodes->is_array() || nodes->empty()) return bad_field("nodes");
  for (const json& n : *nodes) {
    HC_ASSIGN_OR_RETURN(ClusterNodeState node, parse_node(n));
    state.nodes.push_back(std::move(node));
  }
  HC_ASSIGN_OR_RETURN(std::string manager_dir, get_string(doc, "manager_dir"));
  HC_ASSIGN_OR_RETURN(std::string group_dir, get_string(doc, "group_dir"));
  HC_ASSIGN_OR_RETURN(std::string genesis, get_string(doc, "genesis"));
  state.manager_dir = manager_dir;
  state.group_dir = group_dir;
  state.genesis = genesis;
  if (doc.contains("passphrase_file")) {
    HC_ASSIGN_OR_RETURN(std::string pass, get_string(doc, "passphrase_file"));
    state.passphrase_file = pass;
  }
  return state;
}

Result<ClusterState> load_cluster_state(const std::filesystem::path& dir) {
  auto text = read_text_file(cluster_state_path(dir), kMaxStateBytes);
  if (!text.ok() && text.status().code() == ErrorCode::kNotFound) {
    return Status::error(ErrorCode::kNotFound,
                         "no cluster in " + dir.string() + " (no cluster.json; start one with hc cluster up)");
  }
  if (!text.ok()) return text.status();
  return parse_cluster_state(*text);
}

Status save_cluster_state(const std::filesystem::path& dir, const ClusterState& state) {
  return write_text_file_atomic(cluster_state_path(dir), cluster_state_to_json(state));
}

std::vector<const ClusterNodeState*> current_cluster_nodes(const ClusterState& state) {
  std::vector<const ClusterNodeState*> out;
  for (const ClusterNodeState& n : state.nodes) {
    if (!n.left) out.push_back(&n);
  }
  return out;
}

Result<ClusterNodeState*> find_cluster_node(ClusterState& state, const std::string& name) {
  std::string known;
  for (ClusterNodeState& n : state.nodes) {
    if (n.name == name) return &n;
    known += (known.empty() ? "" : ", ") + n.name;
  }
  return Status::error(ErrorCode::kNotFound, "no node named " + name + " in this cluster (nodes: " + known + ")");
}

}  // namespace hc::cli
