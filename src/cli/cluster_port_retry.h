// `hc cluster up`, second half: start a freshly generated local cluster and wait until every
// node sees all its peers, moving the whole cluster to new ports when a node finds one taken.
//
// pick_free_ports (cluster_ports.h) chooses ports that are free when it looks, but another
// process (a second cluster started at the same moment, say) can take one before the node
// binds it; the node then exits with kExitPortInUse (node/exit_codes.h). A local cluster's
// ports live only in its nodes' node.json files (each node's own two ports and every peer's
// address) and in D/cluster.json (the API URLs), not in the genesis or any key, so the nodes
// are stopped, every one of those files is rewritten with new ports before any node starts
// again, and the cluster is started again: at most kMaxPortAttempts starts in all. Any other
// failure is reported at once, as before. Not thread-safe (one `hc cluster up` at a time on a
// directory).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "cli/cluster_setup.h"
#include "cli/cluster_state.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

inline constexpr std::size_t kMaxPortAttempts = 4;

// What D/cluster.json says of a generated cluster before any node is started (pids 0).
ClusterState new_cluster_state(const ClusterPlan& plan);

// Gives every node of `plan` two new ports (pick_free_ports(2n, base_port); 0: random) and
// rewrites every node.json with them: the node's own peer and API ports and each peer's
// address. Nothing else in the files changes. kUnavailable if not enough ports are free;
// kIo / kInvalidInput if a config cannot be read, parsed or written (the files may then be
// half rewritten: the cluster is not started).
Status move_cluster_ports(ClusterPlan& plan, std::uint16_t base_port);

struct ClusterStartReport {
  std::function<void(const std::string&)> say;                     // one line of progress
  std::function<void()> on_all_started;                            // before each wait
  std::function<void(std::size_t, std::size_t, long)> on_waiting;  // ready, total, seconds
};

// Starts every node of `plan` (`state` lists the same nodes; their pids are recorded and
// D/cluster.json saved) and waits up to `timeout` until each sees all its peers. When a node
// exits because a port it was given is held by another process, stops the nodes, calls
// move_cluster_ports(plan, base_port), updates `state` and D/cluster.json, and starts again,
// up to kMaxPortAttempts starts in all. On success every node runs. On failure every node
// started is stopped and the error returned: kUnavailable naming the nodes not up (their log
// tails on stderr), or, when ports were taken on every attempt, saying so.
Status start_new_cluster(ClusterPlan& plan, ClusterState& state, const std::filesystem::path& binary,
                         const SecureBytes& passphrase, std::uint16_t base_port, std::chrono::seconds timeout,
                         const ClusterStartReport& report);

}  // namespace hc::cli
