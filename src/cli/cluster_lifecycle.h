// Running a local cluster's nodes as a whole: start them, wait until they form a consortium
// (every node's API answers and sees all its peers), stop them. Built on cluster_process.h
// (processes) and cluster_client.h (status); every wait is bounded by a deadline.
// Not thread-safe; meant for the single-threaded `hc cluster` commands.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "cli/cluster_state.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

// Starts one node (its log is appended to); sets node.pid. Does not save the state.
Status start_cluster_node(ClusterNodeState& node, const std::filesystem::path& binary, const SecureBytes& passphrase);

enum class ReadyCondition { kApiAnswers, kAllPeersConnected };

// Polls until every node in `state` satisfies `condition`. `on_progress(ready, total, seconds)`
// is called on every poll round. kUnavailable past `timeout` (or as soon as a node started by
// this process exits), naming the nodes that are not up, with the tail of their logs on
// stderr. If `port_taken_node` is given and the node that exited did so because a port it
// listens on is held by another socket (hc-node's kExitPortInUse), its name is stored there
// and the logs are not printed: the caller moves the cluster to new ports
// (cluster_port_retry.h).
Status wait_for_nodes(const ClusterState& state, ReadyCondition condition, std::chrono::seconds timeout,
                      const std::function<void(std::size_t, std::size_t, long)>& on_progress,
                      std::string* port_taken_node = nullptr);

struct StopReport {
  std::size_t terminated = 0;   // exited after SIGTERM
  std::size_t killed = 0;       // needed SIGKILL
  std::size_t not_running = 0;  // already down
};

// SIGTERM to every running node, then waits up to `grace` and SIGKILLs the rest.
StopReport stop_cluster_nodes(const ClusterState& state, std::chrono::seconds grace);

}  // namespace hc::cli
