// A consortium across namespace hosts: see host_consortium.h.
#include "hosts/host_consortium.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/cluster_client.h"
#include "cli/cluster_state.h"
#include "client/genesis_trust.h"
#include "common/file_io.h"
#include "net/http_client.h"

namespace hc::hosts {
namespace {

namespace fs = std::filesystem;
using ConsortiumClock = std::chrono::steady_clock;

// The test consortium's passphrase for every key, given to hc and hc-node through their
// environment (HC_PASSPHRASE), as the docs allow; it protects nothing but test keys.
constexpr const char* kHostsPassphrase = "hosts-test-passphrase";
const char* const kHostsHospitalNames[] = {"st-mary", "city-general", "riverside", "northgate",
                                           "lakeside", "hillcrest", "bayview"};
constexpr const char* kHostsChainId = "hosts-test";

std::string consortium_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Result<std::unique_ptr<HostConsortium>> HostConsortium::deploy(const fs::path& dir, std::size_t hosts,
                                                               WanDelay delay,
                                                               std::uint32_t requests_per_minute_per_token) {
  if (hosts < 4 || hosts > std::size(kHostsHospitalNames)) return invalid_input("4 to 7 hosts");
  std::unique_ptr<HostConsortium> c(new HostConsortium());
  c->dir_ = dir;
  if (delay.peer_ms < 0 || delay.api_ms < 0 || delay.peer_ms > 10000 || delay.api_ms > 10000) {
    return invalid_input("delays of 0 to 10000 ms");
  }
  c->delay_ = delay;
  HC_ASSIGN_OR_RETURN(c->net_, HostNetwork::create(hosts));
  HC_RETURN_IF_ERROR(c->set_up(hosts, requests_per_minute_per_token));
  return c;
}

HostConsortium::~HostConsortium() = default;  // net_ kills every process in the namespaces

int HostConsortium::hc(const std::string& args, std::string* out) const {
  const fs::path out_file = dir_ / "hc.out";
  const std::string command = consortium_quoted(HC_BINARY_DIR "/bin/hc") + " " + args + " > " +
                              consortium_quoted(out_file.string()) + " 2>> " +
                              consortium_quoted((dir_ / "hc.log").string());
  int rc = std::system(command.c_str());
  if (out) {
    auto text = read_text_file(out_file, 16 << 20);
    *out = text.ok() ? *text : "";
  }
  return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

Status HostConsortium::set_up(std::size_t hosts, std::uint32_t requests_per_minute_per_token) {
  fs::create_directories(dir_);
  ::setenv("HC_PASSPHRASE", kHostsPassphrase, 1);
  HC_RETURN_IF_ERROR(net_->enter_lan());
  auto failed = [&](const std::string& what) {
    auto log = read_text_file(dir_ / "hc.log", 1 << 20);
    std::string tail = log.ok() ? log->substr(log->size() > 600 ? log->size() - 600 : 0) : "";
    return Status::error(ErrorCode::kInternal, what + " failed: " + tail);
  };
  // 1. Each hospital, on its own host's directory, with its own public address.
  std::string hospitals;
  for (std::size_t i = 0; i < hosts; ++i) {
    HostNode n;
    n.name = kHostsHospitalNames[i];
    n.address = net_->host_address(i);
    n.api_url = "https://" + n.address + ":" + std::to_string(kHostApiPort);
    n.dir = dir_ / ("host-" + n.name);
    n.config = n.dir / "node.json";
    n.log = n.dir / "node.log";
    n.relay_log = n.dir / "relay.log";
    if (hc("node init --dir " + consortium_quoted(n.dir.string()) + " --chain-id " + kHostsChainId + " --name " +
           n.name + " --host " + n.address + " --bind 127.0.0.1 --peer-port " + std::to_string(kHostPeerPort) +
           " --api-port " + std::to_string(kHostApiPort)) != 0) {
      return failed("hc node init for " + n.name);
    }
    hospitals += " --hospital " + consortium_quoted((n.dir / "public.json").string());
    nodes_.push_back(std::move(n));
  }
  // 2. The coordinator.
  if (hc("genesis assemble --chain-id " + std::string(kHostsChainId) + " --manager-dir " +
         consortium_quoted(manager_dir().string()) + " --out " + consortium_quoted((dir_ / "genesis").string()) +
         hospitals) != 0) {
    return failed("hc genesis assemble");
  }
  HC_ASSIGN_OR_RETURN(anchors_, client::tls_anchors_from_genesis_file(genesis_file()));
  HC_ASSIGN_OR_RETURN(tls_, net::make_tls_client_context(anchors_));
  // 3. Each hospital again: join, then its WAN relay and its node inside its host.
  for (std::size_t i = 0; i < hosts; ++i) {
    const fs::path bundle = dir_ / "genesis" / nodes_[i].name;
    if (hc("node join --dir " + consortium_quoted(nodes_[i].dir.string()) + " --bundle " +
           consortium_quoted(bundle.string()) + " --transfer-code-file " +
           consortium_quoted((bundle / "transfer.code").string())) != 0) {
      return failed("hc node join for " + nodes_[i].name);
    }
    if (requests_per_minute_per_token > 0) {
      HC_ASSIGN_OR_RETURN(std::string text, read_text_file(nodes_[i].config, 1 << 20));
      auto config = nlohmann::json::parse(text, nullptr, false);
      if (config.is_discarded() || !config.is_object()) return invalid_input(nodes_[i].config.string() + ": not JSON");
      config["limits"]["requests_per_minute_per_token"] = requests_per_minute_per_token;
      HC_RETURN_IF_ERROR(write_text_file_atomic(nodes_[i].config, config.dump(2) + "\n", 0600));
    }
    HC_RETURN_IF_ERROR(start_relay(i));
  }
  for (std::size_t i = 0; i < hosts; ++i) HC_RETURN_IF_ERROR(start_node(i));
  HC_RETURN_IF_ERROR(wait_all_peers_connected(60000));
  // Then the coordinator publishes the envelope key and the enrollments.
  if (hc("genesis bootstrap --manager-dir " + consortium_quoted(manager_dir().string()) + " --node " +
         nodes_[0].api_url) != 0) {
    return failed("hc genesis bootstrap");
  }
  return Status();
}

Status HostConsortium::start_relay(std::size_t i) {
  HostNode& n = nodes_[i];
  std::vector<std::string> argv = {HC_DELAY_RELAY};
  for (auto [port, ms] : {std::pair{kHostPeerPort, delay_.peer_ms}, std::pair{kHostApiPort, delay_.api_ms}}) {
    for (std::string arg : {std::string("--delay-ms"), std::to_string(ms), std::string("--forward"),
                            n.address + ":" + std::to_string(port) + "=127.0.0.1:" + std::to_string(port)}) {
      argv.push_back(std::move(arg));
    }
  }
  HC_ASSIGN_OR_RETURN(n.relay_pid, net_->spawn(i, argv, n.relay_log));
  return Status();
}

Status HostConsortium::start_node(std::size_t i) {
  HostNode& n = nodes_[i];
  HC_ASSIGN_OR_RETURN(n.node_pid,
                      net_->spawn(i, {HC_BINARY_DIR "/bin/hc-node", "--config", n.config.string()}, n.log));
  return Status();
}

void HostConsortium::kill_node(std::size_t i) {
  net_->kill_child(nodes_.at(i).node_pid);
  nodes_[i].node_pid = 0;
}

Status HostConsortium::set_connected(std::size_t i, bool connected) { return net_->set_link(i, connected); }

client::NodeClient HostConsortium::doctor(std::size_t i) const {
  auto token = client::read_token_file(doctor_token_file(i));
  return client::NodeClient::connect(nodes_.at(i).api_url, token.ok() ? *token : "", anchors_).value();
}

client::NodeClient HostConsortium::anonymous(std::size_t i) const {
  return client::NodeClient::connect(nodes_.at(i).api_url, {}, anchors_).value();
}

Result<nlohmann::json> HostConsortium::status(std::size_t i) const { return anonymous(i).status(); }

bool HostConsortium::reachable(std::size_t i, std::uint32_t timeout_ms) const {
  return cli::fetch_node_status(nodes_.at(i).api_url, timeout_ms, tls_).ok();
}

Status HostConsortium::wait_all_peers_connected(std::uint32_t timeout_ms) const {
  const auto deadline = ConsortiumClock::now() + std::chrono::milliseconds(timeout_ms);
  std::string last;
  while (ConsortiumClock::now() < deadline) {
    std::size_t ready = 0;
    for (const HostNode& n : nodes_) {
      auto st = cli::fetch_node_status(n.api_url, 2000, tls_);
      if (st.ok() && st->all_peers_connected()) {
        ++ready;
      } else {
        last = n.name + ": " + (st.ok() ? std::to_string(st->peers_connected) + " peers" : st.status().message());
      }
    }
    if (ready == nodes_.size()) return Status();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return Status::error(ErrorCode::kUnavailable, "the nodes did not all connect within " +
                                                    std::to_string(timeout_ms) + " ms (" + last + ")");
}

Result<std::string> HostConsortium::block_hash(std::size_t i, std::uint64_t height) const {
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(nodes_.at(i).api_url));
  net::HttpCallOptions options;
  options.tls = tls_;
  options.timeout_ms = 5000;
  HC_ASSIGN_OR_RETURN(net::HttpResponse r, net::http_call(url, "GET", "/v1/blocks/" + std::to_string(height), "",
                                                          options));
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status != 200 || doc.is_discarded() || !doc.contains("hash") || !doc["hash"].is_string()) {
    return Status::error(ErrorCode::kUnavailable, nodes_[i].name + " block " + std::to_string(height) + ": HTTP " +
                                                      std::to_string(r.status));
  }
  return doc["hash"].get<std::string>();
}

Result<std::uint64_t> HostConsortium::wait_converged(const std::vector<std::size_t>& which, std::uint64_t min_height,
                                                     std::uint32_t timeout_ms) const {
  const auto deadline = ConsortiumClock::now() + std::chrono::milliseconds(timeout_ms);
  std::string heights;
  while (true) {
    heights.clear();
    std::optional<std::uint64_t> common;
    bool same = true;
    for (std::size_t i : which) {
      auto st = status(i);
      std::uint64_t h = st.ok() ? st->value("height", std::uint64_t{0}) : 0;
      heights += " " + nodes_[i].name + "=" + (st.ok() ? std::to_string(h) : "down");
      if (!st.ok() || (common && *common != h)) same = false;
      common = h;
    }
    if (same && common && *common >= min_height) {
      std::string hash;
      for (std::size_t i : which) {
        auto h = block_hash(i, *common);
        if (!h.ok() || (!hash.empty() && *h != hash)) {
          same = false;
          break;
        }
        hash = *h;
      }
      if (same) return *common;
    }
    if (ConsortiumClock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return Status::error(ErrorCode::kUnavailable, "nodes did not converge within " + std::to_string(timeout_ms) +
                                                    " ms (min height " + std::to_string(min_height) + "):" + heights);
}

Result<fs::path> HostConsortium::write_cluster_file() const {
  cli::ClusterState state;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    cli::ClusterNodeState n;
    n.name = nodes_[i].name;
    n.id = static_cast<std::uint32_t>(i);
    n.api_url = nodes_[i].api_url;
    n.data_dir = nodes_[i].dir / "data";
    n.config = nodes_[i].config;
    n.log = nodes_[i].log;
    n.pid = nodes_[i].node_pid;
    n.doctor_token_file = doctor_token_file(i);
    state.nodes.push_back(std::move(n));
  }
  state.manager_dir = manager_dir();
  state.group_dir = manager_dir();
  state.genesis = genesis_file();
  const fs::path out = dir_ / "hosts-cluster";
  fs::create_directories(out);
  HC_RETURN_IF_ERROR(cli::save_cluster_state(out, state));
  return out;
}

std::string HostConsortium::log_tails(std::size_t lines) const {
  std::ostringstream out;
  for (const HostNode& n : nodes_) {
    std::ifstream in(n.log);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    out << "--- " << n.name << " (" << n.address << ", last " << lines << " lines)\n";
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out << all[i] << "\n";
  }
  return out.str();
}

}  // namespace hc::hosts
