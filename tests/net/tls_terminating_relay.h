// A man in the middle for peer-link tests: it accepts a replica's TLS connection with a peer
// TLS context of its own (a certificate of its own, as any attacker can make), opens its own
// TLS connection to the target replica, and relays the decrypted bytes unchanged both ways:
// the inner replica handshake passes through it word for word. Its own io_context on its own
// thread; 127.0.0.1 only; at most kMaxRelayedConnections connections.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/peer_tls.h"
#include "net/tls_context.h"

namespace hc::net::test {

class TlsTerminatingRelay {
 public:
  static constexpr std::size_t kMaxRelayedConnections = 64;

  explicit TlsTerminatingRelay(std::uint16_t target_port)
      : target_port_(target_port), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    auto tls = make_peer_tls_context();
    if (!tls.ok()) throw std::runtime_error(tls.status().message());
    tls_ = std::move(*tls);
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsTerminatingRelay() {
    boost::asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      for (auto& s : streams_) s->lowest_layer().close(ignored);
    });
    thread_.join();
  }
  TlsTerminatingRelay(const TlsTerminatingRelay&) = delete;
  TlsTerminatingRelay& operator=(const TlsTerminatingRelay&) = delete;

  std::uint16_t port() const { return port_; }
  // Connections where both TLS sessions (toward the dialer and toward the target) were opened.
  std::size_t sessions_terminated() const { return terminated_; }
  // Decrypted bytes relayed so far, both directions.
  std::size_t plaintext_bytes_relayed() const { return relayed_; }

 private:
  using tcp = boost::asio::ip::tcp;
  using Stream = std::shared_ptr<PeerTlsStream>;

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      if (streams_.size() < 2 * kMaxRelayedConnections) start(std::move(socket));
      accept();
    });
  }
  void start(tcp::socket socket) {
    auto from = std::make_shared<PeerTlsStream>(std::move(socket), *tls_);
    auto to = std::make_shared<PeerTlsStream>(io_, *tls_);
    streams_.push_back(from);
    streams_.push_back(to);
    from->async_handshake(boost::asio::ssl::stream_base::server, [this, from, to](boost::system::error_code ec) {
      if (ec) return close_pair(from, to);
      to->next_layer().async_connect({boost::asio::ip::make_address("127.0.0.1"), target_port_},
                                     [this, from, to](boost::system::error_code ec2) {
                                       if (ec2) return close_pair(from, to);
                                       to->async_handshake(boost::asio::ssl::stream_base::client,
                                                           [this, from, to](boost::system::error_code ec3) {
                                                             if (ec3) return close_pair(from, to);
                                                             terminated_++;
                                                             pump(from, to);
                                                             pump(to, from);
                                                           });
                                     });
    });
  }
  void pump(Stream in, Stream out) {
    auto chunk = std::make_shared<std::vector<std::uint8_t>>(16 * 1024);
    in->async_read_some(boost::asio::buffer(*chunk), [=, this](boost::system::error_code ec, std::size_t n) {
      if (ec) return close_pair(in, out);
      relayed_ += n;
      boost::asio::async_write(*out, boost::asio::buffer(chunk->data(), n), [=, this](boost::system::error_code ec2, std::size_t) {
        if (ec2) return close_pair(in, out);
        pump(in, out);
      });
    });
  }
  static void close_pair(const Stream& a, const Stream& b) {
    boost::system::error_code ignored;
    a->lowest_layer().close(ignored);
    b->lowest_layer().close(ignored);
  }

  const std::uint16_t target_port_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<TlsContext> tls_;
  std::uint16_t port_ = 0;
  std::vector<Stream> streams_;  // io_ thread only
  std::atomic<std::size_t> terminated_{0}, relayed_{0};
  std::thread thread_;
};

}  // namespace hc::net::test
