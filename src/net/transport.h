// The replicas' transport: one encrypted, authenticated connection (a "peer link") per peer,
// carrying opaque consensus messages as length-prefixed frames.
//
// - Direction: with start()'s list a node dials every peer with a higher id and accepts
//   connections from any configured peer; a newer authenticated session replaces an older one.
//   The dialer reconnects with exponential backoff (limits.reconnect_*).
// - The peer set changes at runtime (add_peer, remove_peer, set_peers; docs/network.md,
//   "Changing the peer set"): each peer is dialed (PeerDial::kDial, its address known) or
//   awaited (kAwait: it dials us). A removed peer's session and pending handshakes are closed,
//   its queue dropped, it is no longer dialed, and its connections are refused like any key
//   outside the set. A peer added again with another key loses the session of the old key.
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
//   message handler is called on that thread. send(), broadcast(), add_peer(), remove_peer(),
//   set_peers(), stop(), stats(), configured_peers() and connected_peers() are thread-safe;
//   changes of the peer set take effect on the io thread in the order they were made. The object may be destroyed at any time after stop();
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

// How the link to a peer is opened. kDial: this node dials it (its host and port must be
// known) and redials with backoff; kAwait: this node only accepts its authenticated connection
// (a peer whose address it does not know). Exactly one end of a pair should dial: if both do,
// each new session replaces the other's and the link may flap.
enum class PeerDial : std::uint8_t { kDial, kAwait };

struct PeerLink {
  PeerEndpoint endpoint;  // host empty and port 0 when the address is not known
  PeerDial dial = PeerDial::kAwait;
};

struct TransportLimits {
  // Peers in the set at once (add_peer and set_peers refuse more); the ledger's replica bound
  // (chain/limits.h kMaxReplicas) is the same number.
  std::size_t max_peers = 256;
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
  std::uint64_t configured_peers = 0;  // now: the peer set's size
  std::uint64_t peers_removed = 0;     // remove_peer/set_peers removals (and key changes) applied
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

  // Adds `link` to the peer set, or updates the peer of that id (address, direction; a new
  // key closes the session and handshakes made with the old one). A new kDial peer is dialed
  // once the transport has started. kInvalidInput for this node's own id, a key that is not a
  // valid Ed25519 key, a kDial link without host and port, or a host without a port (or the
  // reverse); kTooLarge if the set would exceed limits.max_peers; kUnavailable after stop().
  // Nothing changes on an error.
  Status add_peer(PeerLink link);
  // Removes a peer: closes its session and pending handshakes, drops its queued frames, stops
  // dialing it; its later connections are refused. kNotFound if it is not in the set,
  // kUnavailable after stop().
  Status remove_peer(std::uint32_t peer_id);
  // Makes the peer set exactly `links`: removes the peers not named, adds or updates the rest.
  // kInvalidInput (as add_peer, or an id twice) or kTooLarge, and nothing changes.
  Status set_peers(std::vector<PeerLink> links);
  // The peer set as last changed by start(), add_peer, remove_peer or set_peers (ids, sorted).
  std::vector<std::uint32_t> configured_peers() const;

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
