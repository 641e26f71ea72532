// A TCP relay for peer-link tests: it listens on 127.0.0.1 (a port picked by the kernel),
// forwards every accepted connection to a target port, and records every byte it forwards in
// either direction (the "tap"). On request it flips one bit of the next chunk it forwards from
// the dialing side to the target, as an on-path attacker would. Its own io_context on its own
// thread; at most kMaxRelayedConnections connections and kMaxTappedBytes recorded bytes.
#pragma once

#include <boost/asio.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/bytes.h"

namespace hc::net::test {

class TappingRelay {
 public:
  static constexpr std::size_t kMaxRelayedConnections = 64;
  static constexpr std::size_t kMaxTappedBytes = 64 * 1024 * 1024;

  explicit TappingRelay(std::uint16_t target_port)
      : target_port_(target_port), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TappingRelay() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& s : sockets_) s->close(ignored);
    });
    thread_.join();
  }
  TappingRelay(const TappingRelay&) = delete;
  TappingRelay& operator=(const TappingRelay&) = delete;

  std::uint16_t port() const { return port_; }
  std::size_t connections() const { return connections_; }
  // Everything forwarded so far, both directions, in arrival order per chunk.
  Bytes tapped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return tapped_;
  }
  // The next chunk forwarded toward the target gets its middle byte's lowest bit flipped.
  void flip_next_forwarded_byte() { flip_next_ = true; }
  bool flipped() const { return flipped_; }

 private:
  using tcp = boost::asio::ip::tcp;

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      if (sockets_.size() < 2 * kMaxRelayedConnections) connect(std::make_shared<tcp::socket>(std::move(socket)));
      accept();
    });
  }
  void connect(std::shared_ptr<tcp::socket> from) {
    auto to = std::make_shared<tcp::socket>(io_);
    sockets_.push_back(from);
    sockets_.push_back(to);
    to->async_connect({boost::asio::ip::make_address("127.0.0.1"), target_port_},
                      [this, from, to](boost::system::error_code ec) {
                        if (ec) return close_pair(from, to);
                        connections_++;
                        pump(from, to, true);
                        pump(to, from, false);
                      });
  }
  void pump(std::shared_ptr<tcp::socket> in, std::shared_ptr<tcp::socket> out, bool toward_target) {
    auto chunk = std::make_shared<std::vector<std::uint8_t>>(16 * 1024);
    in->async_read_some(boost::asio::buffer(*chunk), [=, this](boost::system::error_code ec, std::size_t n) {
      if (ec) return close_pair(in, out);
      chunk->resize(n);
      if (toward_target && flip_next_.exchange(false)) {
        (*chunk)[n / 2] ^= 0x01;
        flipped_ = true;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (tapped_.size() + n <= kMaxTappedBytes) tapped_.insert(tapped_.end(), chunk->begin(), chunk->end());
      }
      boost::asio::async_write(*out, boost::asio::buffer(*chunk), [=, this](boost::system::error_code ec2, std::size_t) {
        if (ec2) return close_pair(in, out);
        pump(in, out, toward_target);
      });
    });
  }
  static void close_pair(const std::shared_ptr<tcp::socket>& a, const std::shared_ptr<tcp::socket>& b) {
    boost::system::error_code ignored;
    a->close(ignored);
    b->close(ignored);
  }

  const std::uint16_t target_port_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;  // io_ thread only
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> flip_next_{false}, flipped_{false};
  mutable std::mutex mu_;
  Bytes tapped_;
  std::thread thread_;
};

}  // namespace hc::net::test
