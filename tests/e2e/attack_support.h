// Tools of the multi-process attack tests (issue 12): sockets that connect and never speak,
// a node's descriptor count, its metrics, and a real replica's identity (config, key, network
// id) for a test that plays that replica. 127.0.0.1 only; every loop is bounded in count and time.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <sstream>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "chain/digest.h"
#include "crypto/ed25519.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "node/config.h"

namespace hc::e2e {

// Connections to one local port that never send a byte (a client that never finishes the
// peer handshake or an HTTP request). At most max_open are held; opening more closes the
// oldest first.
class SilentSockets {
 public:
  SilentSockets(std::uint16_t port, std::size_t max_open) : port_(port), max_open_(max_open) {}
  ~SilentSockets() { close_all(); }
  SilentSockets(const SilentSockets&) = delete;
  SilentSockets& operator=(const SilentSockets&) = delete;

  // Opens up to `count` more connections; returns how many connected.
  std::size_t open(std::size_t count) {
    std::size_t opened = 0;
    for (std::size_t i = 0; i < count; ++i) {
      while (fds_.size() >= max_open_) {
        ::close(fds_.front());
        fds_.pop_front();
      }
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) break;
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(port_);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ::close(fd);
        continue;
      }
      fds_.push_back(fd);
      ++opened;
    }
    return opened;
  }
  void close_all() {
    for (int fd : fds_) ::close(fd);
    fds_.clear();
  }

 private:
  std::uint16_t port_;
  std::size_t max_open_;
  std::deque<int> fds_;
};

// Descriptors the process `pid` has open (0 if it cannot be read).
inline std::size_t descriptors_of(std::int64_t pid) {
  std::error_code ec;
  std::size_t n = 0;
  std::filesystem::path dir = "/proc/" + std::to_string(pid) + "/fd";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

// Runs `action` with this process's soft RLIMIT_NOFILE lowered to `limit` (children started
// inside inherit it), then restores it. False if the limit could not be set.
template <typename Action>
bool with_descriptor_limit(std::uint64_t limit, Action action) {
  rlimit saved{};
  if (::getrlimit(RLIMIT_NOFILE, &saved) != 0) return false;
  rlimit low = saved;
  low.rlim_cur = limit;
  if (::setrlimit(RLIMIT_NOFILE, &low) != 0) return false;
  action();
  return ::setrlimit(RLIMIT_NOFILE, &saved) == 0;
}

// The node's height from /v1/status, or nullopt when it does not answer.
inline std::optional<std::uint64_t> height_of(const std::string& api_url) {
  auto st = node_status(api_url);
  if (!st.ok()) return std::nullopt;
  return st->at("height").get<std::uint64_t>();
}

// The value of an unlabelled metric in the node's /metrics, or -1 (absent or no answer).
inline double metric(const std::string& api_url, const std::string& name) {
  auto r = http(api_url, "GET", "/metrics");
  if (!r.ok() || r->status != 200) return -1;
  std::istringstream in(r->body);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

// What a test needs to play replica `id` of the cluster: its hc-node config, its replica key
// (read with $HC_PASSPHRASE) and the chain's network id (the genesis hash, block 1's previous
// hash; the chain must have a block).
struct ReplicaIdentity {
  node::NodeConfig config;
  crypto::Ed25519PrivateKey key;
  Bytes network_id;
};

inline Result<ReplicaIdentity> replica_identity(const LocalCluster& cluster, std::uint32_t id) {
  auto block1 = http(cluster.nodes()[0].api_url, "GET", "/v1/blocks/1");
  if (!block1.ok()) return block1.status();
  if (block1->status != 200) return Status::error(ErrorCode::kUnavailable, "node 0 has no block 1");
  auto genesis = chain::digest_from_hex(
      nlohmann::json::parse(block1->body).at("header").at("previous_hash").get<std::string>());
  if (!genesis.ok()) return genesis.status();
  auto config = node::load_node_config(cluster.nodes()[id].config_file);
  if (!config.ok()) return config.status();
  const char* pass = std::getenv("HC_PASSPHRASE");
  if (pass == nullptr) return invalid_input("HC_PASSPHRASE is not set");
  auto key = crypto::Ed25519PrivateKey::load(config->replica_key_file, SecureBytes(std::string_view(pass)));
  if (!key.ok()) return key.status();
  return ReplicaIdentity{std::move(config).value(), std::move(key).value(), Bytes(genesis->begin(), genesis->end())};
}

// Calls `try_listen` until it returns true, every 100 ms, at most 100 times: the port of a node
// just stopped frees within a few seconds. True once it listened.
template <typename TryListen>
bool listen_when_port_frees(TryListen try_listen) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (try_listen()) return true;
  }
  return false;
}

// The set-up of a test that plays replica `seat` of a fresh 4-hospital cluster: one record of
// a patient committed through node 0 (so the chain has block 1, whose previous hash is the
// network id), the replica's identity read, and its hc-node stopped. A test calls
// take_seat() first and returns if it failed (ASSERT inside).
class ReplicaSeatTest : public ClusterTest {
 protected:
  void take_seat(std::uint32_t seat, const std::string& patient_name, const std::string& patient_id) {
    auto patient = cluster_->patient(patient_name, patient_id);
    ASSERT_TRUE(patient.ok()) << patient.status().to_string();
    patient_ = std::move(patient).value();
    auto sealed = cluster_->seal(*patient_, "before the seat is taken");
    ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
    auto id = submit_with_retry(cluster_->doctor(0), *sealed, 50);
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    first_record_id_ = *id;
    ASSERT_TRUE(wait_all_committed(cluster_->anonymous(0), {first_record_id_}, 60000).ok());
    auto identity = replica_identity(*cluster_, seat);
    ASSERT_TRUE(identity.ok()) << identity.status().to_string();
    identity_.emplace(std::move(identity).value());
    ASSERT_TRUE(cluster_->stop_node(cluster_->nodes()[seat].name).ok());
  }

  std::optional<Patient> patient_;
  std::string first_record_id_;
  std::optional<ReplicaIdentity> identity_;
};

}  // namespace hc::e2e
