// A Byzantine replica that stalls its TCP reads (issue 12, multi-process strategies): it
// listens on a replica's address with a tiny receive buffer, completes the peer handshake
// (handshake.h) with that replica's real key for every honest node that dials it, and then
// never reads another byte, so the honest nodes' writes toward it stop making progress.
// Blocking POSIX sockets on one thread of its own; 127.0.0.1 only; every wait is bounded
// (accepts poll every 100 ms until stop(), each handshake step times out after 5 s) and at most
// kMaxSessions connections are held.
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
#include "net/frame.h"
#include "net/handshake.h"

namespace hc::e2e {

class StalledPeer {
 public:
  static constexpr std::size_t kMaxSessions = 32;
  static constexpr int kReceiveBufferBytes = 4096;

  StalledPeer(std::uint32_t self_id, const crypto::Ed25519PrivateKey& key, Bytes network_id,
              std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys)
      : self_id_(self_id), key_(key), network_id_(std::move(network_id)), peer_keys_(std::move(peer_keys)) {}
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
    for (int fd : sessions_) ::close(fd);
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
      timeval timeout{5, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
      if (sessions_.size() >= kMaxSessions || !handshake(fd)) {
        ::close(fd);
        continue;
      }
      sessions_.push_back(fd);  // held open, never read again
      established_++;
    }
  }

  // The responder's side of handshake.h: their Hello, ours, their Auth (checked), ours.
  bool handshake(int fd) {
    auto their_hello_frame = read_frame(fd);
    if (!their_hello_frame) return false;
    auto theirs = net::decode_hello(*their_hello_frame);
    if (!theirs.ok() || !net::check_peer_hello(*theirs, self_id_, peer_keys_).ok()) return false;
    const net::Hello mine = net::make_hello(self_id_, key_.public_key());
    if (!write_frame(fd, net::encode_hello(mine))) return false;
    auto auth_frame = read_frame(fd);
    if (!auth_frame) return false;
    auto signature = net::decode_auth(*auth_frame);
    if (!signature.ok()) return false;
    Bytes initiator_transcript = net::handshake_transcript(network_id_, net::HandshakeRole::kInitiator, *theirs, mine);
    if (!peer_keys_.at(theirs->node_id).verify(initiator_transcript, *signature)) return false;
    Bytes ours = net::handshake_transcript(network_id_, net::HandshakeRole::kResponder, *theirs, mine);
    return write_frame(fd, net::encode_auth(key_.sign(ours)));
  }

  static bool read_exact(int fd, std::uint8_t* out, std::size_t n) {
    while (n > 0) {
      ssize_t got = ::read(fd, out, n);
      if (got <= 0) return false;
      out += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }
  static std::optional<Bytes> read_frame(int fd) {
    std::array<std::uint8_t, net::kFrameHeaderBytes> header{};
    if (!read_exact(fd, header.data(), header.size())) return std::nullopt;
    auto size = net::parse_frame_header(header, 128);
    if (!size.ok()) return std::nullopt;
    Bytes body(*size);
    if (!read_exact(fd, body.data(), body.size())) return std::nullopt;
    return body;
  }
  static bool write_frame(int fd, const Bytes& payload) {
    auto header = net::frame_header(payload.size());
    Bytes frame(header.begin(), header.end());
    append_bytes(frame, payload);
    return ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(frame.size());
  }

  const std::uint32_t self_id_;
  const crypto::Ed25519PrivateKey& key_;
  const Bytes network_id_;
  const std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys_;
  int listener_ = -1;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> established_{0};
  std::vector<int> sessions_;  // owned by thread_ until stop() joins it
};

}  // namespace hc::e2e
