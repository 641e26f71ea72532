// A peer link played by a test (e2e attack tests, transport tests): one blocking connection
// that speaks the replicas' real peer protocol as replica `self_id` with that replica's key:
// TLS 1.3 (net/tls_context.h, a fresh certificate), then the version-2 replica handshake
// (net/handshake.h) bound to the TLS session, then length-prefixed frames. Dialing plays the
// initiator, adopting an accepted descriptor plays the responder. Every step is bounded by
// kStepTimeout (the link is closed when one runs out). Not thread-safe: one thread per link.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "net/frame.h"
#include "net/handshake.h"
#include "net/peer_tls.h"
#include "net/tls_context.h"

namespace hc::test {

// A peer-link TLS context for a test's own net::Transport (a replica played by a test);
// throws if OpenSSL cannot make one.
inline std::shared_ptr<net::TlsContext> peer_tls_context_for_test() {
  auto tls = net::make_peer_tls_context();
  if (!tls.ok()) throw std::runtime_error(tls.status().message());
  return std::move(*tls);
}

class TestPeerLink {
 public:
  static constexpr auto kStepTimeout = std::chrono::seconds(5);
  static constexpr std::size_t kMaxHandshakeFrameBytes = 128;

  struct Identity {
    std::uint32_t self_id = 0;
    const crypto::Ed25519PrivateKey* key = nullptr;
    Bytes network_id;
    std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys;  // who may be at the other end
  };

  // Dials 127.0.0.1:port and completes TLS and the handshake as the initiator, expecting
  // replica `expected_peer` at the other end. `before_auth`, if set, runs once the other end's
  // Hello has been checked and before this end sends its Auth (a test acting mid-handshake).
  static Result<std::unique_ptr<TestPeerLink>> dial(std::uint16_t port, const Identity& me,
                                                    std::uint32_t expected_peer,
                                                    const std::function<void()>& before_auth = {}) {
    std::unique_ptr<TestPeerLink> link(new TestPeerLink(me));
    HC_RETURN_IF_ERROR(link->open_tls());
    boost::system::error_code ec;
    link->stream_->next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return Status::error(ErrorCode::kUnavailable, "cannot connect: " + ec.message());
    HC_RETURN_IF_ERROR(link->handshake(net::HandshakeRole::kInitiator, expected_peer, before_auth));
    return link;
  }

  // Takes over an accepted TCP descriptor and completes TLS and the handshake as the responder.
  static Result<std::unique_ptr<TestPeerLink>> adopt_accepted(int fd, const Identity& me) {
    std::unique_ptr<TestPeerLink> link(new TestPeerLink(me));
    Status opened = link->open_tls();
    boost::system::error_code ec;
    if (opened.ok()) link->stream_->next_layer().assign(boost::asio::ip::tcp::v4(), fd, ec);
    if (!opened.ok() || ec) {
      ::close(fd);
      return opened.ok() ? Status::error(ErrorCode::kIo, "cannot adopt the descriptor: " + ec.message()) : opened;
    }
    HC_RETURN_IF_ERROR(link->handshake(net::HandshakeRole::kResponder, 0));
    return link;
  }

  Status write_frame(ByteSpan payload) {
    auto header = net::frame_header(payload.size());
    Bytes frame(header.begin(), header.end());
    append_bytes(frame, payload);
    return await([&](auto done) { boost::asio::async_write(*stream_, boost::asio::buffer(frame), done); });
  }

  Result<Bytes> read_frame(std::size_t max_frame_bytes) {
    std::array<std::uint8_t, net::kFrameHeaderBytes> header{};
    HC_RETURN_IF_ERROR(await([&](auto done) { boost::asio::async_read(*stream_, boost::asio::buffer(header), done); }));
    HC_ASSIGN_OR_RETURN(std::size_t size, net::parse_frame_header(header, max_frame_bytes));
    Bytes body(size);
    HC_RETURN_IF_ERROR(await([&](auto done) { boost::asio::async_read(*stream_, boost::asio::buffer(body), done); }));
    return body;
  }

  std::uint32_t peer_id() const { return peer_id_; }

  void close() {
    boost::system::error_code ignored;
    stream_->lowest_layer().close(ignored);
  }

 private:
  explicit TestPeerLink(const Identity& me) : me_(me) {}

  Status open_tls() {
    HC_ASSIGN_OR_RETURN(tls_, net::make_peer_tls_context());
    stream_ = std::make_unique<net::PeerTlsStream>(io_, *tls_);
    return Status::ok_status();
  }

  // Starts one asynchronous operation and runs it to completion or kStepTimeout.
  template <typename Start>
  Status await(Start start) {
    std::optional<boost::system::error_code> result;
    start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run_for(kStepTimeout);
    if (!result) {
      close();
      io_.restart();
      io_.run();  // lets the aborted operation finish
      return Status::error(ErrorCode::kUnavailable, "peer link step timed out");
    }
    if (*result) return Status::error(ErrorCode::kUnavailable, result->message());
    return Status::ok_status();
  }

  Status handshake(net::HandshakeRole role, std::uint32_t expected_peer, const std::function<void()>& before_auth = {}) {
    const bool initiator = role == net::HandshakeRole::kInitiator;
    HC_RETURN_IF_ERROR(await([&](auto done) {
      stream_->async_handshake(initiator ? boost::asio::ssl::stream_base::client : boost::asio::ssl::stream_base::server,
                               done);
    }));
    HC_ASSIGN_OR_RETURN(net::TlsSessionBinding binding, net::peer_tls_session_binding(*stream_, role));
    const net::Hello mine = net::make_hello(me_.self_id, me_.key->public_key());
    if (initiator) HC_RETURN_IF_ERROR(write_frame(net::encode_hello(mine)));
    HC_ASSIGN_OR_RETURN(Bytes their_hello, read_frame(kMaxHandshakeFrameBytes));
    HC_ASSIGN_OR_RETURN(net::Hello theirs, net::decode_hello(their_hello));
    HC_RETURN_IF_ERROR(net::check_peer_hello(theirs, me_.self_id, me_.peer_keys));
    if (initiator && theirs.node_id != expected_peer) return Status::error(ErrorCode::kAuthFailed, "wrong peer");
    if (!initiator) HC_RETURN_IF_ERROR(write_frame(net::encode_hello(mine)));
    const net::Hello& first = initiator ? mine : theirs;
    const net::Hello& second = initiator ? theirs : mine;
    const net::HandshakeRole their_role = initiator ? net::HandshakeRole::kResponder : net::HandshakeRole::kInitiator;
    Bytes my_auth = net::encode_auth(me_.key->sign(net::handshake_transcript(me_.network_id, binding, role, first, second)));
    if (before_auth) before_auth();
    if (initiator) HC_RETURN_IF_ERROR(write_frame(my_auth));
    HC_ASSIGN_OR_RETURN(Bytes auth_frame, read_frame(kMaxHandshakeFrameBytes));
    HC_ASSIGN_OR_RETURN(crypto::Ed25519Signature signature, net::decode_auth(auth_frame));
    Bytes their_transcript = net::handshake_transcript(me_.network_id, binding, their_role, first, second);
    if (!me_.peer_keys.at(theirs.node_id).verify(their_transcript, signature)) {
      return Status::error(ErrorCode::kAuthFailed, "peer's handshake signature is invalid");
    }
    if (!initiator) HC_RETURN_IF_ERROR(write_frame(my_auth));
    peer_id_ = theirs.node_id;
    return Status::ok_status();
  }

  Identity me_;
  boost::asio::io_context io_;
  std::shared_ptr<net::TlsContext> tls_;
  std::unique_ptr<net::PeerTlsStream> stream_;
  std::uint32_t peer_id_ = 0;
};

}  // namespace hc::test
