// The replicas' transport: one encrypted, authenticated connection (a "peer link") per peer,
// carrying opaque consensus messages as length-prefixed frames.
//
// - Direction: a node dials every peer with a higher id and accepts connections from any
//   configured peer; a newer authenticated session replaces an older one. The dialer
//   reconnects with exponential backoff (limits.reconnect_*).
// - Encryption and authentication: every peer link is TLS 1.3 (tls_context.h,
//   make_peer_tls_context; no plaintext mode exists), and inside it the replica handshake of
//   handshake.h proves the replica keys and binds them to that TLS session. A connection whose
//   first bytes are not TLS is closed (one whose first bytes are a version-1 Hello is named in
//   a rate-limited warning). A byte altered on the wire fails TLS's record authentication and
//   drops the connection, never the node; dialed links reconnect as below.
// - Handshake bounds: TLS and the replica handshake together within
//   limits.handshake_timeout_ms. Accepted
//   connections still in the handshake are bounded in all and per source address
//   (limits.max_pending_handshakes*); a failed accept() is retried after a backoff, never at
//   once, so running out of descriptors cannot make the acceptor spin.
// - Bounds: frames above limits.max_frame_bytes drop the connection; each peer's send queue
//   holds at most limits.max_queue_messages / max_queue_bytes (further messages are dropped
//   and counted), so a slow or hostile peer cannot exhaust memory. Messages queued while a
//   peer is disconnected are sent when it reconnects (consensus tolerates loss either way).
// - Stalled readers: a peer that stops reading cannot hold a session forever. A frame's write
//   must finish within limits.write_stall_timeout_ms plus the frame's size at
//   limits.min_write_bytes_per_s; past that the session is dropped (write_stalls) and the
//   peer's queue waits, bounded as above, for a new session.
// - Threading: all I/O runs on the given io_context, which must be run by ONE thread; the
//   message handler is called on that thread. send(), broadcast(), stop(), stats() and
//   connected_peers() are thread-safe. The object may be destroyed at any time after stop();
//   pending handlers keep the internal state alive until they complete.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "net/tls_context.h"

namespace hc::net {

struct PeerEndpoint {
  std::uint32_t id = 0;
  std::string host;
  std::uint16_t port = 0;
  crypto::Ed25519PublicKey key;
};

struct TransportLimits {
  std::size_t max_frame_bytes = 16 * 1024 * 1024;
  std::size_t max_queue_messages = 8192;
  std::size_t max_queue_bytes = 64 * 1024 * 1024;
  std::uint32_t reconnect_initial_ms = 50;
  std::uint32_t reconnect_max_ms = 5000;
  std::uint32_t handshake_timeout_ms = 5000;
  // Accepted connections still in the handshake (unauthenticated): in all, and from one source
  // address. Connections past either bound are closed at once (handshakes_refused).
  std::size_t max_pending_handshakes = 32;
  std::size_t max_pending_handshakes_per_address = 8;
  // After a failed accept() (EMFILE, ENFILE, ENOBUFS...) the acceptor waits before trying
  // again: accept_backoff_initial_ms, doubling up to accept_backoff_max_ms; reset by a success.
  std::uint32_t accept_backoff_initial_ms = 100;
  std::uint32_t accept_backoff_max_ms = 1000;
  // A frame write that has not completed after write_stall_timeout_ms + size / min_write_bytes_per_s
  // drops the session: its peer has stopped reading (or reads slower than any useful peer).
  std::uint32_t write_stall_timeout_ms = 5000;
  std::size_t min_write_bytes_per_s = 1024 * 1024;
};

struct TransportStats {
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t frames_dropped_queue_full = 0;
  std::uint64_t handshake_failures = 0;
  std::uint64_t handshakes_refused = 0;  // closed at accept: too many pending handshakes
  std::uint64_t accept_errors = 0;       // failed accept() calls (each followed by a backoff)
  std::uint64_t connections_dropped = 0;
  std::uint64_t connected_peers = 0;
  std::uint64_t write_stalls = 0;     // sessions dropped because a frame write stalled
  std::uint64_t queued_messages = 0;  // now, over every peer's send queue
  std::uint64_t queued_bytes = 0;     // now, over every peer's send queue
};

// One established peer session's round-trip time, as the kernel's TCP stack estimates it
// (the smoothed RTT of Linux's TCP_INFO): the network's delay, with no protocol of ours.
struct PeerRoundTrip {
  std::uint32_t peer = 0;
  double seconds = 0;
};

class Transport {
 public:
  using MessageHandler = std::function<void(std::uint32_t peer_id, Bytes payload)>;
  using PeerStateHandler = std::function<void(std::uint32_t peer_id, bool connected)>;

  // `peer_tls`: make_peer_tls_context() (must not be null); shared by all links.
  Transport(boost::asio::io_context& io, std::uint32_t self_id, crypto::Ed25519PrivateKey key, Bytes network_id,
            std::shared_ptr<TlsContext> peer_tls, TransportLimits limits = {});
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds and listens (port 0 picks a free port); returns the bound port. kAlreadyExists if
  // another socket holds the address (EADDRINUSE), kIo on any other failure.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  // Starts accepting and dialing. Call once, after listen().
  void start(std::vector<PeerEndpoint> peers, MessageHandler on_message, PeerStateHandler on_peer_state = {});

  void send(std::uint32_t peer_id, Bytes payload);
  void broadcast(const Bytes& payload);
  void stop();

  TransportStats stats() const;
  std::vector<std::uint32_t> connected_peers() const;
  // Each established session's round-trip time, by peer id (sessions whose TCP_INFO cannot be
  // read are left out). Must be called on the io_context's thread.
  std::vector<PeerRoundTrip> sample_round_trips() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hc::net
