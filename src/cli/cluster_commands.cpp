// `hc cluster ...`: a whole consortium of hc-node processes on 127.0.0.1 for trying Healthchain
// out and for tests (docs/cluster.md). `up` generates keys, genesis and configs
// (cluster_setup.h), starts the nodes and waits for them, on new ports if another process took
// one of theirs (cluster_port_retry.h, cluster_lifecycle.h), then has the
// manager publish its envelope key and the enrollments (cluster_bootstrap.h); `status`,
// `stop-node` (SIGKILL), `start-node`, `start` (every stopped node) and `down` act on
// D/cluster.json (cluster_state.h); `add-node` and `remove-node` grow or shrink the consortium
// through the chain's governance (cluster_reconfigure.h).
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cli/cluster_bootstrap.h"
#include "cli/cluster_client.h"
#include "cli/cluster_lifecycle.h"
#include "cli/cluster_port_retry.h"
#include "cli/cluster_membership.h"
#include "cli/cluster_process.h"
#include "cli/cluster_reconfigure.h"
#include "cli/cluster_setup.h"
#include "cli/cluster_state.h"
#include "cli/commands.h"
#include "cli/passphrase.h"
#include "common/file_io.h"
#include "crypto/hash.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::seconds kUpTimeout{60};
constexpr std::chrono::seconds kStartNodeTimeout{30};
constexpr std::chrono::seconds kBootstrapTimeout{60};
constexpr std::chrono::seconds kStopGrace{10};
constexpr std::uint32_t kStatusTimeoutMs = 3000;
constexpr std::size_t kGeneratedPassphraseBytes = 24;

struct ClusterCommandOptions {
  std::string dir;
  std::uint32_t nodes = kMinClusterNodes;
  std::uint16_t base_port = 0;
  std::uint32_t requests_per_minute = 600;
  bool plain_http = false;
  std::string access_mode = "single-manager";
  std::string node_name;
  std::string node_id_text;
  std::uint32_t member_timeout_s = 300;
  bool keep_group_member = false;
  PassphraseOption passphrase;
};

void step(const std::string& text) {
  std::printf("%s\n", text.c_str());
  std::fflush(stdout);
}

// The passphrase the user gave (--passphrase-file or $HC_PASSPHRASE), if any.
std::optional<Result<SecureBytes>> given_passphrase(const PassphraseOption& option) {
  if (option.file.empty() && !passphrase_in_environment()) return std::nullopt;
  return option.read();
}

SecureBytes fresh_passphrase() {
  SecureBytes raw(kGeneratedPassphraseBytes);
  crypto::random_bytes(std::span<std::uint8_t>(raw.data(), raw.size()));
  std::string hex = to_hex(raw.span());
  SecureBytes out{std::string_view(hex)};
  secure_wipe(hex.data(), hex.size());
  return out;
}

// For commands after `up`: the user's passphrase, else the one `up` generated.
Result<SecureBytes> cluster_passphrase(const PassphraseOption& option, const ClusterState& state) {
  if (auto given = given_passphrase(option)) return std::move(*given);
  if (state.passphrase_file.empty()) {
    return invalid_input("no passphrase: set HC_PASSPHRASE or pass --passphrase-file FILE");
  }
  return read_passphrase(state.passphrase_file.string());
}

// One line, rewritten in place on a terminal; on a pipe, a line whenever the count changes.
std::function<void(std::size_t, std::size_t, long)> waiting_line(const std::string& what) {
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  auto last = std::make_shared<std::size_t>(SIZE_MAX);
  return [tty, what, last](std::size_t ready, std::size_t total, long seconds) {
    if (tty) {
      std::printf("\r      %s: %zu/%zu ready (%ld s)   ", what.c_str(), ready, total, seconds);
      if (ready == total) std::printf("\n");
    } else if (ready != *last) {
      std::printf("      %s: %zu/%zu ready (%ld s)\n", what.c_str(), ready, total, seconds);
    }
    *last = ready;
    std::fflush(stdout);
  };
}

// `up` on a directory that already holds a cluster: say how to use it instead of only refusing.
Status refuse_existing_cluster(const std::string& dir) {
  auto state = load_cluster_state(dir);
  if (!state.ok()) return state.status();
  std::size_t running = 0;
  for (const ClusterNodeState& n : state->nodes) running += node_process_running(n.pid, n.config) ? 1 : 0;
  if (running == state->nodes.size()) {
    return Status::error(ErrorCode::kAlreadyExists,
                         fmt::format("{} already holds a running cluster of {} nodes (hc cluster status --dir {}); "
                                     "for a new consortium choose a new --dir",
                                     dir, running, dir));
  }
  return Status::error(ErrorCode::kAlreadyExists,
                       fmt::format("{} already holds a cluster ({} of {} nodes running): start its nodes again with "
                                   "hc cluster start --dir {} (for a new consortium choose a new --dir)",
                                   dir, running, state->nodes.size(), dir));
}

Status cmd_up(const ClusterCommandOptions& o) {
  std::error_code ec;
  if (fs::exists(cluster_state_path(o.dir), ec)) return refuse_existing_cluster(o.dir);
  ClusterOptions options;
  options.dir = o.dir;
  options.nodes = o.nodes;
  options.base_port = o.base_port;
  options.requests_per_minute_per_token = o.requests_per_minute;
  options.plain_http = o.plain_http;
  if (o.access_mode == "trustees") {
    options.access_mode = chain::AccessMode::kTrustees;
  } else if (o.access_mode != "single-manager") {
    return invalid_input("--access-mode must be single-manager or trustees");
  }
  HC_RETURN_IF_ERROR(check_cluster_options(options));
  HC_ASSIGN_OR_RETURN(fs::path binary, find_node_binary());
  SecureBytes pass;
  if (auto given = given_passphrase(o.passphrase)) {
    HC_ASSIGN_OR_RETURN(pass, std::move(*given));
  } else {
    pass = fresh_passphrase();
    options.save_passphrase = true;
  }
  step(fmt::format("[1/4] Creating keys, the genesis block and {} node configs in {}", o.nodes, o.dir));
  HC_ASSIGN_OR_RETURN(ClusterPlan plan, generate_cluster(options, pass));
  if (options.save_passphrase) {
    step("      no passphrase given: generated one and wrote it to " + plan.passphrase_file.string() + " (mode 0600)");
  }
  ClusterState state = new_cluster_state(plan);
  HC_RETURN_IF_ERROR(save_cluster_state(plan.dir, state));
  step(fmt::format("[2/4] Starting {} hospitals ({})", o.nodes, binary.string()));
  auto waiting_step = [] { step("[3/4] Waiting until every hospital answers and sees all the others"); };
  HC_RETURN_IF_ERROR(start_new_cluster(plan, state, binary, pass, o.base_port, kUpTimeout,
                                       ClusterStartReport{step, waiting_step, waiting_line("hospitals")}));
  step("[4/4] The manager publishes its envelope key and the hospitals' enrollments on the chain");
  Status boot = [&]() -> Status {
    HC_ASSIGN_OR_RETURN(std::vector<ManagerTx> txs,
                        build_bootstrap_transactions(plan.manager_dir, plan.group_dir, pass));
    HC_ASSIGN_OR_RETURN(auto tls, cluster_tls(state));
    return submit_and_wait(state.nodes.front().api_url, tls, txs, kBootstrapTimeout,
                           [](const std::string& line) { step("      " + line); });
  }();
  if (!boot.ok()) {
    return boot.with_context("the nodes run but the manager's bootstrap failed (stop them: hc cluster down --dir " +
                             o.dir + ")");
  }
  step(fmt::format("Consortium of {} hospitals is up. Cluster file: {}", o.nodes,
                   cluster_state_path(plan.dir).string()));
  for (const ClusterNodeState& n : state.nodes) {
    step(fmt::format("  {:<14} {}  doctor token: {}", n.name, n.api_url, n.doctor_token_file.string()));
  }
  step("  manager: " + plan.manager_dir.string() + " (reader token " + plan.reader_token_file.string() + ")");
  return Status::ok_status();
}

Status cmd_status(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  step(fmt::format("{:<14} {:>3} {:>8} {:<6} {:>7} {:>5} {:>8} {:>6} {:>6}", "node", "id", "pid", "alive", "height",
                   "view", "primary", "epoch", "peers"));
  std::vector<std::string> down;
  HC_ASSIGN_OR_RETURN(auto tls, cluster_tls(state));
  for (const ClusterNodeState& n : state.nodes) {
    bool alive = node_process_running(n.pid, n.config);
    if (n.left) {
      step(fmt::format("{:<14} {:>3} {:>8} {:<6} {:>7}", n.name, n.id, n.pid, alive ? "yes" : "no", "left"));
      continue;
    }
    auto s = fetch_node_status(n.api_url, kStatusTimeoutMs, tls);
    if (!s.ok()) {
      step(fmt::format("{:<14} {:>3} {:>8} {:<6} {:>7}", n.name, n.id, n.pid, alive ? "yes" : "no", "down"));
      down.push_back(n.name);
      continue;
    }
    step(fmt::format("{:<14} {:>3} {:>8} {:<6} {:>7} {:>5} {:>8} {:>6} {:>6}", n.name, n.id, n.pid, alive ? "yes" : "no",
                     s->height, s->view, s->primary, s->epoch,
                     fmt::format("{}/{}", s->peers_connected, s->peers_total)));
  }
  if (down.empty()) return Status::ok_status();
  std::string names;
  for (const std::string& name : down) names += (names.empty() ? "" : ", ") + name;
  // Exit 1: the cluster is not (entirely) up.
  return report_rejected(invalid_input(fmt::format("{} of {} nodes are down ({}); start them with hc cluster start --dir {}",
                                                   down.size(), current_cluster_nodes(state).size(), names, o.dir)));
}

Status cmd_stop_node(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  HC_ASSIGN_OR_RETURN(ClusterNodeState * node, find_cluster_node(state, o.node_name));
  if (!signal_node(node->pid, node->config, SIGKILL)) {
    return invalid_input(node->name + " is not running");
  }
  step(fmt::format("{} (pid {}) killed with SIGKILL", node->name, node->pid));
  return Status::ok_status();
}

Status cmd_start_node(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  HC_ASSIGN_OR_RETURN(ClusterNodeState * node, find_cluster_node(state, o.node_name));
  if (node->left) return invalid_input(node->name + " left the consortium (hc cluster remove-node); it is not started again");
  if (node_process_running(node->pid, node->config)) {
    return Status::error(ErrorCode::kAlreadyExists,
                         fmt::format("{} is already running (pid {})", node->name, node->pid));
  }
  HC_ASSIGN_OR_RETURN(SecureBytes pass, cluster_passphrase(o.passphrase, state));
  HC_ASSIGN_OR_RETURN(fs::path binary, find_node_binary());
  HC_RETURN_IF_ERROR(start_cluster_node(*node, binary, pass));
  HC_RETURN_IF_ERROR(save_cluster_state(o.dir, state));
  step(fmt::format("{} started (pid {}); waiting for its API", node->name, node->pid));
  ClusterState only;
  only.nodes.push_back(*node);
  only.genesis = state.genesis;  // its TLS trust anchors
  HC_RETURN_IF_ERROR(wait_for_nodes(only, ReadyCondition::kApiAnswers, kStartNodeTimeout, waiting_line(node->name)));
  step(fmt::format("{} is up at {}", node->name, node->api_url));
  return Status::ok_status();
}

// Starts every node of an existing cluster that is not running (after `down` or crashes) and
// waits until they form the consortium again.
Status cmd_start(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  std::size_t running = 0;
  const std::size_t current = current_cluster_nodes(state).size();
  for (const ClusterNodeState* n : current_cluster_nodes(state)) running += node_process_running(n->pid, n->config) ? 1 : 0;
  if (running == current) {
    step(fmt::format("all {} nodes are already running (hc cluster status --dir {})", running, o.dir));
    return Status::ok_status();
  }
  HC_ASSIGN_OR_RETURN(SecureBytes pass, cluster_passphrase(o.passphrase, state));
  HC_ASSIGN_OR_RETURN(fs::path binary, find_node_binary());
  for (ClusterNodeState& n : state.nodes) {
    if (n.left || node_process_running(n.pid, n.config)) continue;
    Status started = start_cluster_node(n, binary, pass);
    if (!started.ok()) {
      HC_RETURN_IF_ERROR(save_cluster_state(o.dir, state));
      return started.with_context("starting " + n.name);
    }
    step(fmt::format("{} started (pid {}), API {}", n.name, n.pid, n.api_url));
  }
  HC_RETURN_IF_ERROR(save_cluster_state(o.dir, state));
  ClusterState members = state;
  std::erase_if(members.nodes, [](const ClusterNodeState& n) { return n.left; });
  HC_RETURN_IF_ERROR(
      wait_for_nodes(members, ReadyCondition::kAllPeersConnected, kUpTimeout, waiting_line("hospitals")));
  step(fmt::format("Consortium of {} hospitals is up again ({} were already running)", current, running));
  return Status::ok_status();
}

Status cmd_down(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  StopReport r = stop_cluster_nodes(state, kStopGrace);
  step(fmt::format("cluster down: {} stopped cleanly (SIGTERM), {} killed after {} s, {} were not running",
                   r.terminated, r.killed, kStopGrace.count(), r.not_running));
  step(fmt::format("files kept; start the same consortium again with: hc cluster start --dir {}", o.dir));
  return Status::ok_status();
}

Status cmd_add_node(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  HC_ASSIGN_OR_RETURN(SecureBytes pass, cluster_passphrase(o.passphrase, state));
  AddNodeRequest request;
  request.dir = o.dir;
  request.name = o.node_name;
  request.member_timeout = std::chrono::seconds(o.member_timeout_s);
  return add_cluster_node(request, pass, step);
}

Status cmd_remove_node(const ClusterCommandOptions& o) {
  HC_ASSIGN_OR_RETURN(std::uint32_t id, parse_node_id(o.node_id_text));
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(o.dir));
  HC_ASSIGN_OR_RETURN(SecureBytes pass, cluster_passphrase(o.passphrase, state));
  RemoveNodeRequest request;
  request.dir = o.dir;
  request.node_id = id;
  request.boundary_timeout = std::chrono::seconds(o.member_timeout_s);
  request.revoke = !o.keep_group_member;
  return remove_cluster_node(request, pass, step);
}

}  // namespace

void register_cluster_commands(CLI::App& app) {
  auto opts = std::make_shared<ClusterCommandOptions>();
  CLI::App* cluster = app.add_subcommand("cluster", "A local consortium of hc-node processes on 127.0.0.1");
  cluster->require_subcommand(1);

  CLI::App* up = cluster->add_subcommand("up", "Create keys, genesis and configs, start N nodes, bootstrap");
  up->add_option("--dir", opts->dir, "Cluster directory (must not exist, or be empty)")->required();
  up->add_option("--nodes", opts->nodes, "Number of hospitals (4..64)")->capture_default_str();
  up->add_option("--base-port", opts->base_port, "First TCP port to use (default: ports chosen by the OS)");
  up->add_option("--requests-per-minute", opts->requests_per_minute,
                 "Each node's API rate limit per bearer token (default 600)")->check(CLI::Range(1, 1000000));
  up->add_flag("--plain-http", opts->plain_http,
               "Serve the APIs over plain HTTP on 127.0.0.1 (development and raw-socket tests; default: HTTPS "
               "with a TLS CA per hospital in the genesis)");
  up->add_option("--access-mode", opts->access_mode,
                 "single-manager (default: the manager's envelope keys read records) or trustees (the hospitals' "
                 "nodes hold the access key in shares, t = 2f+1: docs/threshold.md)")
      ->capture_default_str();
  opts->passphrase.add_to(up);
  run_with(up, [opts]() { return cmd_up(*opts); });

  CLI::App* status = cluster->add_subcommand(
      "status", "Show every node's height, view, primary, epoch, peers; exit 1 if any node is down");
  status->add_option("--dir", opts->dir, "Cluster directory")->required();
  run_with(status, [opts]() { return cmd_status(*opts); });

  CLI::App* stop = cluster->add_subcommand("stop-node", "Kill one node with SIGKILL (a crash)");
  stop->add_option("--dir", opts->dir, "Cluster directory")->required();
  stop->add_option("name", opts->node_name, "Node name")->required();
  run_with(stop, [opts]() { return cmd_stop_node(*opts); });

  CLI::App* start = cluster->add_subcommand("start-node", "Restart one node with its config");
  start->add_option("--dir", opts->dir, "Cluster directory")->required();
  start->add_option("name", opts->node_name, "Node name")->required();
  opts->passphrase.add_to(start);
  run_with(start, [opts]() { return cmd_start_node(*opts); });

  CLI::App* start_all_cmd =
      cluster->add_subcommand("start", "Start again every node that is not running (after down or a crash)");
  start_all_cmd->add_option("--dir", opts->dir, "Cluster directory")->required();
  opts->passphrase.add_to(start_all_cmd);
  run_with(start_all_cmd, [opts]() { return cmd_start(*opts); });

  CLI::App* add = cluster->add_subcommand(
      "add-node", "A new hospital joins the running local consortium: keys, join request, approvals by the members, "
                  "group enrollment, its node started and waited for until it is a member in force");
  add->add_option("--dir", opts->dir, "Cluster directory (made by hc cluster up)")->required();
  add->add_option("--name", opts->node_name, "The new hospital's name (default: the next of cluster up's names)");
  add->add_option("--timeout", opts->member_timeout_s,
                  "Seconds to wait until the new node is a member of the configuration in force")
      ->capture_default_str()
      ->check(CLI::Range(10, 3600));
  opts->passphrase.add_to(add);
  run_with(add, [opts]() { return cmd_add_node(*opts); });

  CLI::App* remove = cluster->add_subcommand(
      "remove-node", "A hospital leaves the local consortium: its exit announced, waited for past its boundary, its "
                     "node stopped (files kept), its group membership revoked");
  remove->add_option("--dir", opts->dir, "Cluster directory")->required();
  remove->add_option("--node", opts->node_id_text, "The leaving hospital's replica id (hc cluster status)")->required();
  remove->add_option("--timeout", opts->member_timeout_s,
                     "Seconds to wait until the other members commit past the exit's boundary")
      ->capture_default_str()
      ->check(CLI::Range(10, 3600));
  remove->add_flag("--keep-group-member", opts->keep_group_member,
                   "Do not revoke its group membership (its member key keeps signing records the chain accepts)");
  opts->passphrase.add_to(remove);
  run_with(remove, [opts]() { return cmd_remove_node(*opts); });

  CLI::App* down = cluster->add_subcommand("down", "Stop every node (SIGTERM, SIGKILL after 10 s)");
  down->add_option("--dir", opts->dir, "Cluster directory")->required();
  run_with(down, [opts]() { return cmd_down(*opts); });
}

}  // namespace hc::cli
