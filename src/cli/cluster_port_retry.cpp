#include "cli/cluster_port_retry.h"

#include <vector>

#include <fmt/format.h>

#include "cli/cluster_lifecycle.h"
#include "cli/cluster_ports.h"
#include "common/file_io.h"
#include "node/config.h"

namespace hc::cli {

namespace {

constexpr std::chrono::seconds kStopGrace{10};
constexpr std::size_t kMaxNodeConfigBytes = 1 << 20;

// Rewrites one node.json with the ports now in `plan`. The config is parsed against an empty
// base directory, so its relative paths stay relative when it is written back.
Status rewrite_node_ports(const ClusterPlan& plan, const ClusterNodePlan& node) {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(node.config_file, kMaxNodeConfigBytes));
  auto parsed = node::parse_node_config(text, std::filesystem::path());
  if (!parsed.ok()) return parsed.status().with_context(node.config_file.string());
  node::NodeConfig config = std::move(*parsed);
  config.listen_port = node.listen_port;
  config.api_port = node.api_port;
  for (node::PeerConfig& peer : config.peers) {
    if (peer.id >= plan.nodes.size()) {
      return invalid_input(node.config_file.string() + " lists peer " + std::to_string(peer.id) + ", not in the cluster");
    }
    peer.port = plan.nodes[peer.id].listen_port;
  }
  return write_text_file_atomic(node.config_file, node::node_config_to_json(config));
}

// Starts every node; on a failure to start one, stops those started.
Status start_every_node(ClusterState& state, const ClusterPlan& plan, const std::filesystem::path& binary,
                        const SecureBytes& passphrase, const ClusterStartReport& report) {
  for (ClusterNodeState& n : state.nodes) {
    Status started = start_cluster_node(n, binary, passphrase);
    if (!started.ok()) {
      stop_cluster_nodes(state, kStopGrace);
      return started.with_context("starting " + n.name);
    }
    report.say(fmt::format("      {} started (pid {}), API {}", n.name, n.pid, n.api_url));
  }
  return save_cluster_state(plan.dir, state);
}

std::string ports_of(const ClusterPlan& plan, const std::string& name) {
  for (const ClusterNodePlan& n : plan.nodes) {
    if (n.name == name) return fmt::format("peer port {} or API port {}", n.listen_port, n.api_port);
  }
  return "a port";
}

}  // namespace

ClusterState new_cluster_state(const ClusterPlan& plan) {
  ClusterState state;
  for (const ClusterNodePlan& n : plan.nodes) {
    state.nodes.push_back(ClusterNodeState{n.name, n.id, n.api_url(), n.data_dir, n.config_file, n.log_file, 0,
                                           n.doctor_token_file, false});
  }
  state.manager_dir = plan.manager_dir;
  state.group_dir = plan.group_dir;
  state.genesis = plan.genesis_file;
  state.passphrase_file = plan.passphrase_file;
  return state;
}

Status move_cluster_ports(ClusterPlan& plan, std::uint16_t base_port) {
  HC_ASSIGN_OR_RETURN(std::vector<std::uint16_t> ports, pick_free_ports(2 * plan.nodes.size(), base_port));
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    plan.nodes[i].listen_port = ports[2 * i];
    plan.nodes[i].api_port = ports[2 * i + 1];
  }
  for (const ClusterNodePlan& node : plan.nodes) HC_RETURN_IF_ERROR(rewrite_node_ports(plan, node));
  return Status::ok_status();
}

Status start_new_cluster(ClusterPlan& plan, ClusterState& state, const std::filesystem::path& binary,
                         const SecureBytes& passphrase, std::uint16_t base_port, std::chrono::seconds timeout,
                         const ClusterStartReport& report) {
  for (std::size_t attempt = 1;; ++attempt) {
    HC_RETURN_IF_ERROR(start_every_node(state, plan, binary, passphrase, report));
    report.on_all_started();
    std::string port_taken_node;
    Status ready = wait_for_nodes(state, ReadyCondition::kAllPeersConnected, timeout, report.on_waiting,
                                  &port_taken_node);
    if (ready.ok()) return ready;
    StopReport stopped = stop_cluster_nodes(state, kStopGrace);
    report.say(fmt::format("      stopped the nodes ({} terminated, {} killed, {} had exited); files kept in {}",
                           stopped.terminated, stopped.killed, stopped.not_running, plan.dir.string()));
    if (port_taken_node.empty()) return ready;
    const std::string taken = fmt::format("{}: another process took its {}", port_taken_node,
                                          ports_of(plan, port_taken_node));
    if (attempt == kMaxPortAttempts) {
      return Status::error(ErrorCode::kUnavailable,
                           fmt::format("the cluster's ports were taken by other processes on {} attempts in a row "
                                       "(last: {}); try again, or give a free range with --base-port",
                                       kMaxPortAttempts, taken));
    }
    report.say(fmt::format("      {}; moving the cluster to new ports (start {} of at most {})", taken, attempt + 1,
                           kMaxPortAttempts));
    HC_RETURN_IF_ERROR(move_cluster_ports(plan, base_port));
    for (std::size_t i = 0; i < state.nodes.size(); ++i) state.nodes[i].api_url = plan.nodes[i].api_url();
    HC_RETURN_IF_ERROR(save_cluster_state(plan.dir, state));
  }
}

}  // namespace hc::cli
