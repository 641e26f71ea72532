// A consortium deployed across namespace hosts (host_network.h) the way docs/deploy.md
// deploys real hospitals: `hc node init` in each host's own directory with its public address,
// `hc genesis assemble` by the coordinator, `hc node join` with each hospital's bundle, hc-node
// started inside its host, `hc genesis bootstrap`; the API over HTTPS with the trust anchors of
// the genesis. Each host also runs the WAN: hc_test_delay_relay (delay_relay.cpp) listens on the
// host's address (peer port 26656, API port 8443) and forwards to the node on 127.0.0.1 after
// the one-way delay. The tools to kill and restart a node, partition a host and read the chain
// over HTTPS; every wait bounded in time. Not thread-safe: one test thread drives it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client/node_client.h"
#include "common/status.h"
#include "hosts/host_network.h"
#include "net/tls_context.h"

namespace hc::hosts {

inline constexpr std::uint16_t kHostPeerPort = 26656;
inline constexpr std::uint16_t kHostApiPort = 8443;

struct HostNode {
  std::string name;
  std::string address;  // the host's own address, as in the genesis
  std::string api_url;  // https://<address>:8443
  std::filesystem::path dir;  // the directory of `hc node init` (as on the hospital's machine)
  std::filesystem::path config, log, relay_log;
  std::int64_t node_pid = 0, relay_pid = 0;
};

class HostConsortium {
 public:
  // Deploys `hosts` hospitals (4..7) with `delay.peer_ms` one-way between any two nodes and
  // `delay.api_ms` between the clients (the LAN namespace) and a node's API. A non-zero
  // `requests_per_minute_per_token` is written into every node.json's limits before the nodes
  // start (what an operator does for a load test); 0 keeps hc node join's default.
  struct WanDelay {
    int peer_ms = 20;
    int api_ms = 20;
  };
  static Result<std::unique_ptr<HostConsortium>> deploy(const std::filesystem::path& dir, std::size_t hosts,
                                                        WanDelay delay, std::uint32_t requests_per_minute_per_token = 0);
  ~HostConsortium();  // every process SIGKILLed, namespaces removed (HostNetwork)
  HostConsortium(const HostConsortium&) = delete;
  HostConsortium& operator=(const HostConsortium&) = delete;

  const std::vector<HostNode>& nodes() const { return nodes_; }
  const WanDelay& delay() const { return delay_; }
  std::size_t faults_tolerated() const { return (nodes_.size() - 1) / 3; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path manager_dir() const { return dir_ / "manager"; }
  std::filesystem::path genesis_file() const { return dir_ / "genesis" / "genesis.json"; }
  std::filesystem::path doctor_token_file(std::size_t i) const { return nodes_.at(i).dir / "doctor.token"; }

  // `hc <args>` run from the LAN (the coordinator's and doctors' machine); its exit code, its
  // standard output in *out (stderr appended to D/hc.log).
  int hc(const std::string& args, std::string* out = nullptr) const;

  client::NodeClient doctor(std::size_t i) const;
  client::NodeClient anonymous(std::size_t i) const;
  Result<nlohmann::json> status(std::size_t i) const;
  // True if node i answers GET /v1/status within timeout_ms.
  bool reachable(std::size_t i, std::uint32_t timeout_ms) const;

  // SIGKILL of the node on host i (its relay stays: the host is up, the process is not).
  void kill_node(std::size_t i);
  Status start_node(std::size_t i);
  // Cuts host i off the LAN (link down) or joins it again.
  Status set_connected(std::size_t i, bool connected);

  // Waits until the listed nodes report one height >= min_height with one block hash there.
  Result<std::uint64_t> wait_converged(const std::vector<std::size_t>& which, std::uint64_t min_height,
                                       std::uint32_t timeout_ms) const;
  // The hash of block `height` as node i serves it.
  Result<std::string> block_hash(std::size_t i, std::uint64_t height) const;

  // D/hosts-cluster/cluster.json (docs/cluster.md's format) naming these nodes, so that
  // `hc bench --dir D/hosts-cluster` loads them. Returns the directory.
  Result<std::filesystem::path> write_cluster_file() const;

  // The last lines of every node's log.
  std::string log_tails(std::size_t lines) const;

 private:
  HostConsortium() = default;
  Status set_up(std::size_t hosts, std::uint32_t requests_per_minute_per_token);
  Status start_relay(std::size_t i);
  Status wait_all_peers_connected(std::uint32_t timeout_ms) const;

  std::filesystem::path dir_;
  std::unique_ptr<HostNetwork> net_;
  std::vector<HostNode> nodes_;
  std::vector<std::string> anchors_;
  std::shared_ptr<net::TlsContext> tls_;
  WanDelay delay_;
};

}  // namespace hc::hosts
