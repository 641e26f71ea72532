// Test helpers for the peer transport: one loopback node (its own io_context on its own
// thread, collecting what it receives) and a bounded wait. Shared by the transport tests and
// the peer-link security tests; 127.0.0.1 only, ports picked by the kernel.
#pragma once

#include <boost/asio.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "net/tls_context.h"
#include "net/transport.h"

namespace hc::net::test {

inline constexpr auto kLoopbackDeadline = std::chrono::seconds(20);
inline const Bytes kLoopbackNetwork = {0xa1, 0xb2};

inline crypto::Ed25519PrivateKey new_replica_key() { return std::move(crypto::Ed25519PrivateKey::generate()).value(); }

// Polls `pred` every 10 ms until it holds or kLoopbackDeadline passes; its last value.
template <typename Pred>
bool eventually(Pred pred) {
  auto until = std::chrono::steady_clock::now() + kLoopbackDeadline;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

// A transport on the given io_context for node `id` of the test network.
inline std::unique_ptr<Transport> make_loopback_transport(boost::asio::io_context& io, std::uint32_t id,
                                                          crypto::Ed25519PrivateKey key, TransportLimits limits = {}) {
  auto tls = make_peer_tls_context();
  if (!tls.ok()) throw std::runtime_error(tls.status().message());
  return std::make_unique<Transport>(io, id, std::move(key), kLoopbackNetwork, std::move(*tls), limits);
}

class LoopbackNode {
 public:
  LoopbackNode(std::uint32_t id, crypto::Ed25519PrivateKey key, TransportLimits limits = {})
      : id_(id), key_(key), work_(boost::asio::make_work_guard(io_)) {
    transport_ = make_loopback_transport(io_, id, std::move(key), limits);
    auto port = transport_->listen("127.0.0.1", 0);
    port_ = port.ok() ? *port : 0;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~LoopbackNode() { shutdown(); }
  LoopbackNode(const LoopbackNode&) = delete;
  LoopbackNode& operator=(const LoopbackNode&) = delete;

  void shutdown() {
    if (!thread_.joinable()) return;
    transport_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
    transport_.reset();
  }
  void start(const std::vector<PeerEndpoint>& peers) {
    transport_->start(
        peers,
        [this](std::uint32_t from, Bytes payload) {
          std::lock_guard<std::mutex> lock(mu_);
          received_.emplace_back(from, std::move(payload));
        },
        [this](std::uint32_t peer, bool connected) {
          std::lock_guard<std::mutex> lock(mu_);
          peer_events_.emplace_back(peer, connected);
        });
  }
  // Every (peer, connected) the transport reported, in order.
  std::vector<std::pair<std::uint32_t, bool>> peer_events() {
    std::lock_guard<std::mutex> lock(mu_);
    return peer_events_;
  }
  std::vector<std::pair<std::uint32_t, Bytes>> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  PeerEndpoint endpoint() const { return {id_, "127.0.0.1", port_, key_.public_key()}; }
  // Transport::sample_round_trips, run on the node's io thread as it must be.
  std::vector<PeerRoundTrip> round_trips() {
    std::promise<std::vector<PeerRoundTrip>> sampled;
    boost::asio::post(io_, [&] { sampled.set_value(transport_->sample_round_trips()); });
    return sampled.get_future().get();
  }
  Transport& transport() { return *transport_; }
  std::uint16_t port() const { return port_; }  // 0 if listen() failed
  const crypto::Ed25519PrivateKey& key() const { return key_; }

 private:
  std::uint32_t id_;
  crypto::Ed25519PrivateKey key_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<Transport> transport_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::pair<std::uint32_t, Bytes>> received_;
  std::vector<std::pair<std::uint32_t, bool>> peer_events_;
};

}  // namespace hc::net::test
