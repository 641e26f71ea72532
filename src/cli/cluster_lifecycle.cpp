#include "cli/cluster_lifecycle.h"

#include <signal.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "cli/cluster_client.h"
#include "cli/cluster_process.h"
#include "node/exit_codes.h"

namespace hc::cli {

namespace {

constexpr std::chrono::milliseconds kLifecyclePollInterval{500};
constexpr std::uint32_t kStatusTimeoutMs = 1000;
constexpr std::size_t kLogTailLines = 15;

bool node_ready(const ClusterNodeState& node, ReadyCondition condition, const std::shared_ptr<net::TlsContext>& tls) {
  auto status = fetch_node_status(node.api_url, kStatusTimeoutMs, tls);
  if (!status.ok()) return false;
  switch (condition) {
    case ReadyCondition::kApiAnswers:
      return true;
    case ReadyCondition::kAllPeersConnected:
      return status->all_peers_connected();
  }
  return false;
}

Status not_up_error(const ClusterState& state, const std::vector<bool>& ready, const std::string& why) {
  std::string names;
  std::string tails;
  for (std::size_t i = 0; i < state.nodes.size(); ++i) {
    if (ready[i]) continue;
    const ClusterNodeState& n = state.nodes[i];
    names += (names.empty() ? "" : ", ") + n.name;
    tails += "  " + n.name + " (" + n.log.string() + "):\n" + log_tail(n.log, kLogTailLines);
  }
  // The message stays one line for `hc: error:`; the log tails go to stderr first.
  std::fprintf(stderr, "last log lines of the nodes that did not come up:\n%s", tails.c_str());
  return Status::error(ErrorCode::kUnavailable, why + "; not up: " + names);
}

}  // namespace

Status start_cluster_node(ClusterNodeState& node, const std::filesystem::path& binary, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(std::int64_t pid, spawn_node(binary, node.config, node.log, passphrase));
  node.pid = pid;
  return Status::ok_status();
}

Status wait_for_nodes(const ClusterState& state, ReadyCondition condition, std::chrono::seconds timeout,
                      const std::function<void(std::size_t, std::size_t, long)>& on_progress,
                      std::string* port_taken_node) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<bool> ready(state.nodes.size(), false);
  while (true) {
    // Each round: a joined hospital's CA is known only once some node proves the changes.
    HC_ASSIGN_OR_RETURN(auto tls, cluster_tls(state));
    std::size_t count = 0;
    for (std::size_t i = 0; i < state.nodes.size(); ++i) {
      const ClusterNodeState& n = state.nodes[i];
      if (std::optional<int> exit_code = reap_exit_code(n.pid)) {
        const std::string exited = n.name + " (pid " + std::to_string(n.pid) + ") exited during startup";
        if (port_taken_node != nullptr && *exit_code == node::kExitPortInUse) {
          *port_taken_node = n.name;
          return Status::error(ErrorCode::kUnavailable, exited + ": a port it listens on is held by another process");
        }
        ready[i] = false;
        return not_up_error(state, ready, exited);
      }
      ready[i] = node_ready(n, condition, tls);
      if (ready[i]) ++count;
    }
    long seconds = static_cast<long>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count());
    on_progress(count, state.nodes.size(), seconds);
    if (count == state.nodes.size()) return Status::ok_status();
    if (std::chrono::steady_clock::now() - start >= timeout) {
      return not_up_error(state, ready, "nodes not ready after " + std::to_string(timeout.count()) + " s");
    }
    std::this_thread::sleep_for(kLifecyclePollInterval);
  }
}

StopReport stop_cluster_nodes(const ClusterState& state, std::chrono::seconds grace) {
  StopReport report;
  std::vector<const ClusterNodeState*> signalled;
  for (const ClusterNodeState& n : state.nodes) {
    if (signal_node(n.pid, n.config, SIGTERM)) {
      signalled.push_back(&n);
    } else {
      reap_if_exited(n.pid);  // a child of ours that exited on its own: no zombie left
      ++report.not_running;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (const ClusterNodeState* n : signalled) {
      reap_if_exited(n->pid);
      any = any || node_process_running(n->pid, n->config);
    }
    if (!any) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const ClusterNodeState* n : signalled) {
    if (signal_node(n->pid, n->config, SIGKILL)) {
      ++report.killed;
      reap_if_exited(n->pid);
    } else {
      ++report.terminated;
    }
  }
  return report;
}

}  // namespace hc::cli
