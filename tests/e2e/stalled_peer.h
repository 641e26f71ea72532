// A Byzantine replica that stalls its TCP reads (issue 12, multi-process strategies): it
// listens on a replica's address with a tiny receive buffer, completes the peer link's TLS and
// handshake (support/test_peer_link.h) with that replica's real key for every honest node that
// dials it, and then never reads another byte, so the honest nodes' writes toward it stop
// making progress. One thread of its own; 127.0.0.1 only; every wait is bounded (accepts poll
// every 100 ms until stop(), each handshake step times out after 5 s) and at most kMaxSessions
// connections are held.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "crypto/ed25519.h"
#include "support/test_peer_link.h"

namespace hc::e2e {

class StalledPeer {
 public:
  static constexpr std::size_t kMaxSessions = 32;
  static constexpr int kReceiveBufferBytes = 4096;

  StalledPeer(std::uint32_t self_id, const crypto::Ed25519PrivateKey& key, Bytes network_id,
              std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys)
      : identity_{self_id, &key, std::move(network_id), std::move(peer_keys)} {}
  ~StalledPeer() { stop(); }
  StalledPeer(const StalledPeer&) = delete;
  StalledPeer& operator=(const StalledPeer&) = delete;

  // Listens on 127.0.0.1:port and starts accepting on its own thread; false if it cannot bind.
  bool listen(std::uint16_t port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) return false;
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    int small = kReceiveBufferBytes;  // inherited by accepted sockets
    ::setsockopt(listener_, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listener_, 16) != 0) {
      ::close(listener_);
      listener_ = -1;
      return false;
    }
    thread_ = std::thread([this] { accept_loop(); });
    return true;
  }

  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    sessions_.clear();
    if (listener_ >= 0) ::close(listener_);
    listener_ = -1;
  }

  // Honest nodes that completed the handshake (each then finds its writes stalled).
  std::size_t established() const { return established_; }

 private:
  void accept_loop() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      if (sessions_.size() >= kMaxSessions) {
        ::close(fd);
        continue;
      }
      auto link = test::TestPeerLink::adopt_accepted(fd, identity_);  // owns fd from here
      if (!link.ok()) continue;
      sessions_.push_back(std::move(*link));  // held open, never read again
      established_++;
    }
  }

  const test::TestPeerLink::Identity identity_;
  int listener_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> established_{0};
  std::vector<std::unique_ptr<test::TestPeerLink>> sessions_;  // owned by thread_ until stop() joins it
};

}  // namespace hc::e2e
