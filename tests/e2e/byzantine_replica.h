// A Byzantine replica played by a test (issue 12's multi-process attack tests): the real
// transport with a real replica's key, listening on that replica's address after its hc-node
// was stopped, sending whatever the test builds: consensus messages it signs with the key
// (sign_consensus_frame) or client transactions. It reads and ignores everything it receives.
// 127.0.0.1 only; every wait is bounded in time.
#pragma once

#include <boost/asio.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "consensus/messages.h"
#include "e2e/attack_support.h"
#include "net/transport.h"
#include "node/replica_driver.h"
#include "support/test_peer_link.h"

namespace hc::e2e {

class ByzantineReplica {
 public:
  ByzantineReplica(std::uint32_t id, const ReplicaIdentity& identity)
      : id_(id), identity_(identity), transport_(io_, id, identity.key, identity.network_id, test::peer_tls_context_for_test()) {}
  ~ByzantineReplica() {
    transport_.stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  ByzantineReplica(const ByzantineReplica&) = delete;
  ByzantineReplica& operator=(const ByzantineReplica&) = delete;

  // Listens on the replica's port (free once its hc-node is gone: up to 10 s), connects to the
  // others and waits up to 30 s until every one is connected. False if either fails.
  bool start() {
    Result<std::uint16_t> listening = Status::error(ErrorCode::kUnavailable, "not tried");
    for (int attempt = 0; attempt < 100 && !listening.ok(); ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      listening = transport_.listen(identity_.config.listen_host, identity_.config.listen_port);
    }
    if (!listening.ok()) return false;
    std::vector<net::PeerEndpoint> peers;
    for (const node::PeerConfig& p : identity_.config.peers) peers.push_back({p.id, p.host, p.port, p.replica_key});
    transport_.start(peers, [](std::uint32_t, Bytes) {});
    thread_ = std::thread([this] { io_.run(); });
    const std::size_t others = identity_.config.peers.size() - 1;
    for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
         transport_.connected_peers().size() < others && std::chrono::steady_clock::now() < until;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return transport_.connected_peers().size() >= others;
  }

  // A consensus frame (replica_driver.h) carrying `body` signed with the replica's key.
  Bytes sign_consensus_frame(consensus::MessageBody body) const {
    consensus::Message msg;
    msg.sender = id_;
    msg.body = std::move(body);
    consensus::ChainId chain{};  // the genesis hash, which is also the transport's network id
    std::copy_n(identity_.network_id.begin(), std::min(chain.size(), identity_.network_id.size()), chain.begin());
    msg.sig = identity_.key.sign(consensus::signing_input(chain, msg.config, msg.type(), id_, consensus::statement_of(msg.body)));
    Bytes frame{node::kFrameConsensus};
    append_bytes(frame, consensus::encode_message(msg));
    return frame;
  }

  void send(std::uint32_t peer, Bytes frame) { transport_.send(peer, std::move(frame)); }

  // Waits (up to timeout_ms) until at most `bytes` wait in the send queues; false on timeout.
  bool drain_to(std::size_t bytes, std::uint32_t timeout_ms) {
    for (auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);;) {
      if (transport_.stats().queued_bytes <= bytes) return true;
      if (std::chrono::steady_clock::now() >= until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  const std::uint32_t id_;
  const ReplicaIdentity& identity_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  net::Transport transport_;
  std::thread thread_;
};

// Resident memory of process `pid` in bytes (VmRSS), or nullopt if it cannot be read.
inline std::optional<std::size_t> resident_bytes_of(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return std::nullopt;
}

}  // namespace hc::e2e
