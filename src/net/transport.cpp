#include "net/transport.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <spdlog/spdlog.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "common/check.h"
#include "net/frame.h"
#include "net/handshake.h"
#include "net/peer_tls.h"

namespace hc::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr std::size_t kMaxHandshakeFrameBytes = 128;
constexpr std::uint8_t kTlsHandshakeRecordType = 0x16;  // the first byte of a ClientHello
constexpr auto kPlaintextPeerWarningInterval = std::chrono::seconds(10);
}  // namespace

struct Session;

struct Transport::Impl : std::enable_shared_from_this<Transport::Impl> {
  struct Peer {
    PeerEndpoint endpoint;
    bool dial = false;             // this node dials it (PeerDial::kDial)
    std::uint64_t generation = 0;  // unique per addition: handlers of a removed peer find no match
    std::deque<Bytes> queue;
    std::size_t queued_bytes = 0;
    std::shared_ptr<Session> session;  // established session, if any
    bool writing = false;
    bool reconnect_pending = false;
    std::uint32_t backoff_ms = 0;
    std::unique_ptr<asio::steady_timer> reconnect_timer;
    std::unique_ptr<asio::steady_timer> write_timer;  // armed while a frame write is pending
  };

  Impl(asio::io_context& io_context, std::uint32_t self, crypto::Ed25519PrivateKey k, Bytes network,
       std::shared_ptr<TlsContext> tls, TransportLimits l)
      : io(io_context),
        self_id(self),
        key(std::move(k)),
        network_id(std::move(network)),
        peer_tls(std::move(tls)),
        limits(l),
        acceptor(io),
        accept_timer(io),
        accept_backoff_ms(l.accept_backoff_initial_ms) {}

  void enqueue(std::uint32_t peer_id, Bytes payload);
  void pump(Peer& peer);
  void watch_write(Peer& peer, const std::shared_ptr<Session>& session, std::size_t frame_bytes);
  void count_queue(std::int64_t messages, std::int64_t bytes);
  void accept_loop();
  void on_accepted(tcp::socket socket);
  void retry_accept_later();
  void forget_handshake(const std::shared_ptr<Session>& session);
  void dial(Peer& peer);
  void schedule_reconnect(Peer& peer);
  void attach(const std::shared_ptr<Session>& session);
  void detach(const std::shared_ptr<Session>& session);
  void read_loop(const std::shared_ptr<Session>& session);
  void stop_now();
  // Changes of the peer set, applied on the io thread (add_peer, remove_peer, set_peers).
  void apply_add(PeerLink link);
  void drop_peer(std::uint32_t id);
  void apply_set(std::vector<PeerLink> links);
  Peer* find_peer(std::uint32_t id, std::uint64_t generation);
  void publish_connected();
  void warn_plaintext_peer(const std::string& address);

  asio::io_context& io;
  const std::uint32_t self_id;
  const crypto::Ed25519PrivateKey key;
  const Bytes network_id;
  const std::shared_ptr<TlsContext> peer_tls;
  const TransportLimits limits;
  std::optional<std::chrono::steady_clock::time_point> last_plaintext_warning;
  tcp::acceptor acceptor;
  asio::steady_timer accept_timer;
  std::uint32_t accept_backoff_ms;
  std::map<std::uint32_t, Peer> peers;
  std::map<std::uint32_t, crypto::Ed25519PublicKey> peer_keys;
  std::set<std::shared_ptr<Session>> handshaking;
  std::size_t inbound_handshaking = 0;                   // accepted sessions in `handshaking`
  std::map<std::string, std::size_t> inbound_by_address;  // the same, by source address
  MessageHandler on_message;
  PeerStateHandler on_peer_state;
  bool started = false;  // start() has run: new kDial peers are dialed at once
  bool stopped = false;
  std::uint64_t next_generation = 0;

  // The peer set as the callers last changed it, for the synchronous checks of add_peer and
  // friends; every change is posted to the io thread while holding set_mu, so the io thread
  // applies them in this order.
  mutable std::mutex set_mu;
  std::map<std::uint32_t, PeerLink> configured;
  bool accepting_changes = true;  // false once stop() was called

  std::atomic<std::uint64_t> frames_sent{0}, frames_received{0}, frames_dropped{0}, handshake_failures{0},
      connections_dropped{0}, handshakes_refused{0}, accept_errors{0}, write_stalls{0}, queued_messages{0},
      queued_bytes{0}, peers_removed{0}, configured_count{0};
  mutable std::mutex connected_mu;
  std::vector<std::uint32_t> connected;
};

// One peer link (TLS over TCP), from handshake to close. Lives as long as a handler or the
// owner holds it.
struct Session : std::enable_shared_from_this<Session> {
  Session(std::weak_ptr<Transport::Impl> o, tcp::socket s, std::shared_ptr<TlsContext> tls, HandshakeRole r,
          std::uint32_t expected)
      : owner(std::move(o)),
        tls_context(std::move(tls)),
        stream(std::move(s), *tls_context),
        role(r),
        expected_peer(expected),
        timer(stream.get_executor()) {}

  using FrameCallback = std::function<void(Status, Bytes)>;

  void read_frame(std::size_t limit, FrameCallback cb) {
    auto self = shared_from_this();
    asio::async_read(stream, asio::buffer(header), [self, limit, cb = std::move(cb)](error_code ec, std::size_t) {
      if (ec) return cb(Status::error(ErrorCode::kUnavailable, ec.message()), {});
      auto size = parse_frame_header(self->header, limit);
      if (!size.ok()) return cb(size.status(), {});
      auto body = std::make_shared<Bytes>(*size);
      asio::async_read(self->stream, asio::buffer(*body), [self, body, cb](error_code ec2, std::size_t) {
        if (ec2) return cb(Status::error(ErrorCode::kUnavailable, ec2.message()), {});
        cb(Status::ok_status(), std::move(*body));
      });
    });
  }

  void write_frame(Bytes payload, std::function<void(Status)> cb) {
    auto frame = std::make_shared<Bytes>();
    auto h = frame_header(payload.size());
    frame->assign(h.begin(), h.end());
    append_bytes(*frame, payload);
    auto self = shared_from_this();
    asio::async_write(stream, asio::buffer(*frame), [self, frame, cb = std::move(cb)](error_code ec, std::size_t) {
      cb(ec ? Status::error(ErrorCode::kUnavailable, ec.message()) : Status::ok_status());
    });
  }

  // Closes the TCP connection at once, without a TLS close_notify: a peer link has nothing to
  // say when it ends, and the other end treats the missing close_notify like any dropped
  // connection (a partly received frame is never delivered). Pending reads and writes fail.
  void close() {
    if (closed) return;
    closed = true;
    error_code ignored;
    timer.cancel();
    stream.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    stream.lowest_layer().close(ignored);
  }

  void start_handshake(std::uint32_t handshake_timeout_ms);
  void refuse_plaintext_then_tls();
  void tls_handshake();
  void replica_handshake();
  void fail(const Status& why);
  void on_peer_hello(Bytes frame);
  void on_peer_auth(Bytes frame);
  void send_auth(std::function<void(Status)> then);

  std::weak_ptr<Transport::Impl> owner;
  std::shared_ptr<TlsContext> tls_context;  // outlives `stream`
  PeerTlsStream stream;
  HandshakeRole role;
  std::uint32_t expected_peer;  // for dialed sessions; 0 for accepted ones
  std::uint64_t peer_generation = 0;  // for dialed sessions: the generation of the peer dialed
  std::string remote_address;   // for accepted sessions: counted in inbound_by_address
  asio::steady_timer timer;
  std::array<std::uint8_t, kFrameHeaderBytes> header{};
  TlsSessionBinding binding;
  Hello mine, theirs;
  bool hello_checked = false;  // `theirs` passed check_peer_hello: the session claims theirs.node_id
  std::uint32_t peer_id = 0;
  bool established = false;
  bool closed = false;
};

void Session::fail(const Status& why) {
  (void)why;
  auto o = owner.lock();
  if (o && !established) o->handshake_failures++;
  close();
  if (o) o->detach(shared_from_this());
}

// The whole handshake (TLS, then the replica handshake inside it) must end within the timeout.
void Session::start_handshake(std::uint32_t handshake_timeout_ms) {
  auto self = shared_from_this();
  timer.expires_after(std::chrono::milliseconds(handshake_timeout_ms));
  timer.async_wait([self](error_code ec) {
    if (!ec && !self->established) self->fail(Status::error(ErrorCode::kUnavailable, "handshake timed out"));
  });
  if (role == HandshakeRole::kResponder) return refuse_plaintext_then_tls();
  tls_handshake();
}

// A connection's first bytes must open a TLS record; a node still on the plaintext version-1
// handshake is recognized by its Hello and named in the log, anything else just closed.
void Session::refuse_plaintext_then_tls() {
  auto self = shared_from_this();
  stream.next_layer().async_wait(tcp::socket::wait_read, [self](error_code ec) {
    if (ec || self->closed) return self->fail(Status::error(ErrorCode::kUnavailable, "closed before TLS"));
    std::array<std::uint8_t, kPlaintextV1HelloPrefix.size()> first{};
    error_code peek_ec;
    const std::size_t n = self->stream.next_layer().receive(asio::buffer(first), tcp::socket::message_peek, peek_ec);
    if (peek_ec || n == 0) return self->fail(Status::error(ErrorCode::kUnavailable, "closed before TLS"));
    if (first[0] == kTlsHandshakeRecordType) return self->tls_handshake();
    if (std::equal(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(n), kPlaintextV1HelloPrefix.begin())) {
      if (auto o = self->owner.lock()) o->warn_plaintext_peer(self->remote_address);
    }
    self->fail(Status::error(ErrorCode::kAuthFailed, "peer did not open TLS"));
  });
}

void Session::tls_handshake() {
  auto self = shared_from_this();
  auto type = role == HandshakeRole::kInitiator ? asio::ssl::stream_base::client : asio::ssl::stream_base::server;
  stream.async_handshake(type, [self](error_code ec) {
    if (self->closed) return;
    if (ec) return self->fail(Status::error(ErrorCode::kAuthFailed, "TLS handshake failed: " + ec.message()));
    auto bound = peer_tls_session_binding(self->stream, self->role);
    if (!bound.ok()) return self->fail(bound.status());
    self->binding = *bound;
    self->replica_handshake();
  });
}

// handshake.h, inside the TLS session: Hellos, then Auths signed over the session binding.
void Session::replica_handshake() {
  auto o = owner.lock();
  if (!o) return close();
  mine = make_hello(o->self_id, o->key.public_key());
  auto self = shared_from_this();
  auto read_hello = [self]() {
    self->read_frame(kMaxHandshakeFrameBytes, [self](Status s, Bytes frame) {
      if (!s.ok()) return self->fail(s);
      self->on_peer_hello(std::move(frame));
    });
  };
  if (role == HandshakeRole::kInitiator) {
    write_frame(encode_hello(mine), [self, read_hello](Status s) {
      if (!s.ok()) return self->fail(s);
      read_hello();
    });
  } else {
    read_hello();
  }
}

void Session::on_peer_hello(Bytes frame) {
  auto o = owner.lock();
  if (!o) return close();
  auto hello = decode_hello(frame);
  if (!hello.ok()) return fail(hello.status());
  Status ok = check_peer_hello(*hello, o->self_id, o->peer_keys);
  if (ok.ok() && role == HandshakeRole::kInitiator && hello->node_id != expected_peer) {
    ok = Status::error(ErrorCode::kAuthFailed, "dialed peer answered with another node id");
  }
  if (!ok.ok()) return fail(ok);
  theirs = *hello;
  hello_checked = true;
  auto self = shared_from_this();
  auto read_auth = [self]() {
    self->read_frame(kMaxHandshakeFrameBytes, [self](Status s, Bytes f) {
      if (!s.ok()) return self->fail(s);
      self->on_peer_auth(std::move(f));
    });
  };
  if (role == HandshakeRole::kInitiator) {
    send_auth([self, read_auth](Status s) {
      if (!s.ok()) return self->fail(s);
      read_auth();
    });
  } else {
    write_frame(encode_hello(mine), [self, read_auth](Status s) {
      if (!s.ok()) return self->fail(s);
      read_auth();
    });
  }
}

void Session::send_auth(std::function<void(Status)> then) {
  auto o = owner.lock();
  if (!o) return close();
  const Hello& initiator = role == HandshakeRole::kInitiator ? mine : theirs;
  const Hello& responder = role == HandshakeRole::kInitiator ? theirs : mine;
  Bytes transcript = handshake_transcript(o->network_id, binding, role, initiator, responder);
  write_frame(encode_auth(o->key.sign(transcript)), std::move(then));
}

void Session::on_peer_auth(Bytes frame) {
  auto o = owner.lock();
  if (!o) return close();
  auto sig = decode_auth(frame);
  if (!sig.ok()) return fail(sig.status());
  HandshakeRole peer_role =
      role == HandshakeRole::kInitiator ? HandshakeRole::kResponder : HandshakeRole::kInitiator;
  const Hello& initiator = role == HandshakeRole::kInitiator ? mine : theirs;
  const Hello& responder = role == HandshakeRole::kInitiator ? theirs : mine;
  Bytes transcript = handshake_transcript(o->network_id, binding, peer_role, initiator, responder);
  auto key = o->peer_keys.find(theirs.node_id);  // removed while this handshake ran: refused
  if (key == o->peer_keys.end()) {
    return fail(Status::error(ErrorCode::kAuthFailed, "peer left the peer set during the handshake"));
  }
  if (!key->second.verify(transcript, *sig)) {
    return fail(Status::error(ErrorCode::kAuthFailed, "peer's handshake signature is invalid"));
  }
  peer_id = theirs.node_id;
  auto self = shared_from_this();
  auto done = [self]() {
    auto owner_now = self->owner.lock();
    if (!owner_now || self->closed) return;
    self->established = true;
    self->timer.cancel();
    owner_now->attach(self);
  };
  if (role == HandshakeRole::kResponder) {
    send_auth([self, done](Status s) {
      if (!s.ok()) return self->fail(s);
      done();
    });
  } else {
    done();
  }
}

// Rate-limited: a node that keeps redialing in clear must not flood the log.
void Transport::Impl::warn_plaintext_peer(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  if (last_plaintext_warning && now - *last_plaintext_warning < kPlaintextPeerWarningInterval) return;
  last_plaintext_warning = now;
  spdlog::warn("refused a peer connection from {}: it speaks the plaintext version-1 peer handshake (HCN1); "
               "upgrade that node (peer links are TLS 1.3 with handshake v2)",
               address.empty() ? "an unknown address" : address);
}

void Transport::Impl::publish_connected() {
  std::vector<std::uint32_t> now;
  for (auto& [id, peer] : peers) {
    if (peer.session) now.push_back(id);
  }
  std::lock_guard<std::mutex> lock(connected_mu);
  connected = std::move(now);
}

void Transport::Impl::forget_handshake(const std::shared_ptr<Session>& session) {
  if (handshaking.erase(session) == 0 || session->role != HandshakeRole::kResponder) return;
  --inbound_handshaking;
  auto it = inbound_by_address.find(session->remote_address);
  if (it != inbound_by_address.end() && --it->second == 0) inbound_by_address.erase(it);
}

void Transport::Impl::attach(const std::shared_ptr<Session>& session) {
  forget_handshake(session);
  if (stopped) return session->close();
  auto it = peers.find(session->peer_id);
  // Removed, or re-added with another key, between the handshake's checks and now.
  if (it == peers.end() || it->second.endpoint.key.bytes() != session->theirs.public_key) {
    handshake_failures++;
    return session->close();
  }
  Peer& peer = it->second;
  if (peer.session) {
    auto old = peer.session;
    peer.session.reset();
    old->close();
  }
  peer.session = session;
  peer.backoff_ms = limits.reconnect_initial_ms;
  publish_connected();
  if (on_peer_state) on_peer_state(session->peer_id, true);
  read_loop(session);
  pump(peer);
}

void Transport::Impl::detach(const std::shared_ptr<Session>& session) {
  forget_handshake(session);
  session->close();
  // An accepted connection that failed its handshake names no peer to reconnect to.
  if (!session->established && session->role != HandshakeRole::kInitiator) return;
  std::uint32_t id = session->established ? session->peer_id : session->expected_peer;
  auto it = peers.find(id);
  if (it == peers.end()) return;
  Peer& peer = it->second;
  // A dial of a peer since removed (and perhaps added again): not this peer's to redial.
  if (session->role == HandshakeRole::kInitiator && session->peer_generation != peer.generation) return;
  if (peer.session == session) {
    peer.session.reset();
    connections_dropped++;
    publish_connected();
    if (on_peer_state) on_peer_state(id, false);
  }
  if (peer.dial && !peer.session) schedule_reconnect(peer);
}

void Transport::Impl::read_loop(const std::shared_ptr<Session>& session) {
  std::weak_ptr<Impl> weak = weak_from_this();
  session->read_frame(limits.max_frame_bytes, [weak, session](Status s, Bytes frame) {
    auto self = weak.lock();
    if (!self || session->closed) return;
    if (!s.ok()) return self->detach(session);
    self->frames_received++;
    if (self->on_message) self->on_message(session->peer_id, std::move(frame));
    self->read_loop(session);
  });
}

void Transport::Impl::enqueue(std::uint32_t peer_id, Bytes payload) {
  if (stopped) return;
  auto it = peers.find(peer_id);
  if (it == peers.end()) return;
  Peer& peer = it->second;
  if (peer.queue.size() >= limits.max_queue_messages ||
      peer.queued_bytes + payload.size() > limits.max_queue_bytes || payload.size() > limits.max_frame_bytes) {
    frames_dropped++;
    return;
  }
  peer.queued_bytes += payload.size();
  count_queue(1, static_cast<std::int64_t>(payload.size()));
  peer.queue.push_back(std::move(payload));
  pump(peer);
}

void Transport::Impl::count_queue(std::int64_t messages, std::int64_t bytes) {
  queued_messages += static_cast<std::uint64_t>(messages);
  queued_bytes += static_cast<std::uint64_t>(bytes);
}

void Transport::Impl::pump(Peer& peer) {
  if (stopped || !peer.session || peer.writing || peer.queue.empty()) return;
  peer.writing = true;
  std::shared_ptr<Session> session = peer.session;
  const auto header = frame_header(peer.queue.front().size());
  // The frame (header and payload, one TLS record) belongs to the write's handler, so that
  // removing the peer mid-write frees nothing the write still reads.
  auto buffer = std::make_shared<Bytes>(header.begin(), header.end());
  append_bytes(*buffer, peer.queue.front());
  watch_write(peer, session, peer.queue.front().size());
  std::weak_ptr<Impl> weak = weak_from_this();
  const std::uint32_t id = peer.endpoint.id;
  const std::uint64_t generation = peer.generation;
  asio::async_write(session->stream, asio::buffer(*buffer), [weak, session, id, generation, buffer](error_code ec,
                                                                                                   std::size_t) {
    auto self = weak.lock();
    if (!self) return;
    Peer* found = self->find_peer(id, generation);
    if (found == nullptr) return;  // removed meanwhile: its queue went with it
    Peer& p = *found;
    p.writing = false;
    if (p.write_timer) p.write_timer->cancel();
    if (ec) {
      self->detach(session);
      return self->pump(p);  // a newer session may be waiting for the queue
    }
    const std::size_t sent = p.queue.front().size();
    p.queued_bytes -= sent;
    self->count_queue(-1, -static_cast<std::int64_t>(sent));
    p.queue.pop_front();
    self->frames_sent++;
    self->pump(p);
  });
}

// Drops `session` if the write of a frame_bytes frame, started now, is still pending when its
// allowance runs out (a peer that stopped reading): the write then fails and the queue waits.
void Transport::Impl::watch_write(Peer& peer, const std::shared_ptr<Session>& session, std::size_t frame_bytes) {
  if (!peer.write_timer) peer.write_timer = std::make_unique<asio::steady_timer>(io);
  const std::uint64_t allowance_ms =
      limits.write_stall_timeout_ms + frame_bytes * 1000 / std::max<std::size_t>(limits.min_write_bytes_per_s, 1);
  peer.write_timer->expires_after(std::chrono::milliseconds(allowance_ms));
  std::weak_ptr<Impl> weak = weak_from_this();
  std::weak_ptr<Session> weak_session = session;
  const std::uint32_t id = peer.endpoint.id;
  const std::uint64_t generation = peer.generation;
  peer.write_timer->async_wait([weak, weak_session, id, generation](error_code ec) {
    auto self = weak.lock();
    auto stalled = weak_session.lock();
    if (!self || !stalled || ec || self->stopped) return;
    Peer* p = self->find_peer(id, generation);
    if (p == nullptr || !p->writing || p->session != stalled) return;
    self->write_stalls++;
    self->detach(stalled);
  });
}

void Transport::Impl::accept_loop() {
  std::weak_ptr<Impl> weak = weak_from_this();
  acceptor.async_accept([weak](error_code ec, tcp::socket socket) {
    auto self = weak.lock();
    if (!self || self->stopped) return;
    if (ec) return self->retry_accept_later();
    self->accept_backoff_ms = self->limits.accept_backoff_initial_ms;
    self->on_accepted(std::move(socket));
    self->accept_loop();
  });
}

// An accept() failure is usually local (no descriptor left): trying again at once would spin.
void Transport::Impl::retry_accept_later() {
  accept_errors++;
  accept_timer.expires_after(std::chrono::milliseconds(accept_backoff_ms));
  accept_backoff_ms = std::min(accept_backoff_ms * 2, limits.accept_backoff_max_ms);
  std::weak_ptr<Impl> weak = weak_from_this();
  accept_timer.async_wait([weak](error_code ec) {
    auto self = weak.lock();
    if (!self || ec || self->stopped) return;
    self->accept_loop();
  });
}

// Admits an accepted connection to the handshake unless it would exceed the pending bounds.
void Transport::Impl::on_accepted(tcp::socket socket) {
  error_code ec;
  auto remote = socket.remote_endpoint(ec);
  std::string address = ec ? std::string() : remote.address().to_string();
  std::size_t& from_address = inbound_by_address[address];
  if (ec || inbound_handshaking >= limits.max_pending_handshakes ||
      from_address >= limits.max_pending_handshakes_per_address) {
    if (from_address == 0) inbound_by_address.erase(address);
    handshakes_refused++;
    socket.close(ec);
    return;
  }
  ++from_address;
  ++inbound_handshaking;
  socket.set_option(tcp::no_delay(true), ec);
  auto session = std::make_shared<Session>(weak_from_this(), std::move(socket), peer_tls, HandshakeRole::kResponder, 0);
  session->remote_address = std::move(address);
  handshaking.insert(session);
  session->start_handshake(limits.handshake_timeout_ms);
}

void Transport::Impl::dial(Peer& peer) {
  if (stopped || peer.session) return;
  auto resolver = std::make_shared<tcp::resolver>(io);
  std::weak_ptr<Impl> weak = weak_from_this();
  const std::uint32_t id = peer.endpoint.id;
  const std::uint64_t generation = peer.generation;
  resolver->async_resolve(
      peer.endpoint.host, std::to_string(peer.endpoint.port),
      [weak, resolver, id, generation](error_code ec, tcp::resolver::results_type results) {
        auto self = weak.lock();
        if (!self || self->stopped) return;
        Peer* p = self->find_peer(id, generation);
        if (p == nullptr || !p->dial) return;  // removed, or now awaited, meanwhile
        if (ec) return self->schedule_reconnect(*p);
        auto socket = std::make_shared<tcp::socket>(self->io);
        asio::async_connect(*socket, results, [weak, socket, id, generation](error_code ec2, const tcp::endpoint&) {
          auto me = weak.lock();
          if (!me || me->stopped) return;
          Peer* dialed = me->find_peer(id, generation);
          if (dialed == nullptr || !dialed->dial) return;
          if (ec2) return me->schedule_reconnect(*dialed);
          error_code ignored;
          socket->set_option(tcp::no_delay(true), ignored);
          auto session =
              std::make_shared<Session>(weak, std::move(*socket), me->peer_tls, HandshakeRole::kInitiator, id);
          session->peer_generation = generation;
          me->handshaking.insert(session);
          session->start_handshake(me->limits.handshake_timeout_ms);
        });
      });
}

void Transport::Impl::schedule_reconnect(Peer& peer) {
  if (stopped || peer.reconnect_pending) return;
  peer.reconnect_pending = true;
  if (!peer.reconnect_timer) peer.reconnect_timer = std::make_unique<asio::steady_timer>(io);
  peer.reconnect_timer->expires_after(std::chrono::milliseconds(peer.backoff_ms));
  peer.backoff_ms = std::min(peer.backoff_ms * 2, limits.reconnect_max_ms);
  std::weak_ptr<Impl> weak = weak_from_this();
  const std::uint32_t id = peer.endpoint.id;
  const std::uint64_t generation = peer.generation;
  peer.reconnect_timer->async_wait([weak, id, generation](error_code ec) {
    auto self = weak.lock();
    if (!self || ec) return;
    Peer* p = self->find_peer(id, generation);
    if (p == nullptr) return;
    p->reconnect_pending = false;
    if (p->dial) self->dial(*p);
  });
}

void Transport::Impl::stop_now() {
  if (stopped) return;
  stopped = true;
  error_code ignored;
  acceptor.close(ignored);
  accept_timer.cancel();
  for (auto& [id, peer] : peers) {
    if (peer.reconnect_timer) peer.reconnect_timer->cancel();
    if (peer.write_timer) peer.write_timer->cancel();
    if (peer.session) peer.session->close();
    peer.session.reset();
  }
  for (const auto& s : handshaking) s->close();
  handshaking.clear();
  inbound_handshaking = 0;
  inbound_by_address.clear();
  publish_connected();
}

Transport::Impl::Peer* Transport::Impl::find_peer(std::uint32_t id, std::uint64_t generation) {
  auto it = peers.find(id);
  return it == peers.end() || it->second.generation != generation ? nullptr : &it->second;
}

// Adds or updates one peer. A changed key is a different peer: the old one is dropped first,
// so nothing authenticated with the old key survives.
void Transport::Impl::apply_add(PeerLink link) {
  if (stopped) return;
  const std::uint32_t id = link.endpoint.id;
  auto it = peers.find(id);
  if (it != peers.end() && !(it->second.endpoint.key == link.endpoint.key)) {
    drop_peer(id);
    it = peers.end();
  }
  const bool fresh = it == peers.end();
  Peer& peer = peers[id];
  const bool was_dialed = !fresh && peer.dial;
  if (fresh) {
    peer.generation = ++next_generation;
    peer.backoff_ms = limits.reconnect_initial_ms;
  }
  peer.endpoint = std::move(link.endpoint);
  peer.dial = link.dial == PeerDial::kDial;
  peer_keys[id] = peer.endpoint.key;
  // A peer that was dialed already has a dial, a session or a reconnect on its way.
  if (started && peer.dial && !was_dialed && !peer.session) dial(peer);
}

// Removes one peer: its session and the handshakes that dial it or claim its id are closed,
// the handshakes forgotten here (a closed session's handlers may return without detaching, so
// the pending counts must not wait for them), its queue is dropped and its timers go with it;
// handlers still pending find no peer of their generation.
void Transport::Impl::drop_peer(std::uint32_t id) {
  auto it = peers.find(id);
  if (it == peers.end()) return;
  Peer& peer = it->second;
  peer_keys.erase(id);
  std::vector<std::shared_ptr<Session>> doomed;
  for (const auto& s : handshaking) {
    const bool dials_it = s->role == HandshakeRole::kInitiator && s->expected_peer == id;
    if (dials_it || (s->hello_checked && s->theirs.node_id == id)) doomed.push_back(s);
  }
  for (const auto& s : doomed) {
    forget_handshake(s);
    s->close();
  }
  count_queue(-static_cast<std::int64_t>(peer.queue.size()), -static_cast<std::int64_t>(peer.queued_bytes));
  const bool was_connected = peer.session != nullptr;
  if (peer.session) peer.session->close();
  if (peer.reconnect_timer) peer.reconnect_timer->cancel();
  if (peer.write_timer) peer.write_timer->cancel();
  peers.erase(it);
  peers_removed++;
  if (!was_connected) return;
  publish_connected();
  if (on_peer_state) on_peer_state(id, false);
}

void Transport::Impl::apply_set(std::vector<PeerLink> links) {
  if (stopped) return;
  std::set<std::uint32_t> named;
  for (const PeerLink& link : links) named.insert(link.endpoint.id);
  std::vector<std::uint32_t> gone;
  for (const auto& [id, peer] : peers) {
    if (named.count(id) == 0) gone.push_back(id);
  }
  for (std::uint32_t id : gone) drop_peer(id);
  for (PeerLink& link : links) apply_add(std::move(link));
}

Transport::Transport(asio::io_context& io, std::uint32_t self_id, crypto::Ed25519PrivateKey key, Bytes network_id,
                     std::shared_ptr<TlsContext> peer_tls, TransportLimits limits)
    : impl_(std::make_shared<Impl>(io, self_id, std::move(key), std::move(network_id), std::move(peer_tls), limits)) {
  HC_CHECK(impl_->peer_tls != nullptr);
}

Transport::~Transport() { stop(); }

Result<std::uint16_t> Transport::listen(const std::string& host, std::uint16_t port) {
  error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return invalid_input("listen address " + host + " is not an IP address");
  tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    impl_->acceptor.close(ignored);  // so that listen() may be tried again
    const ErrorCode code = ec == asio::error::address_in_use ? ErrorCode::kAlreadyExists : ErrorCode::kIo;
    return Status::error(code, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  return impl_->acceptor.local_endpoint().port();
}

void Transport::start(std::vector<PeerEndpoint> peers, MessageHandler on_message, PeerStateHandler on_peer_state) {
  auto impl = impl_;
  std::vector<PeerLink> links;
  for (auto& endpoint : peers) {
    if (endpoint.id == impl->self_id) continue;
    const PeerDial dial = endpoint.id > impl->self_id ? PeerDial::kDial : PeerDial::kAwait;
    links.push_back({std::move(endpoint), dial});
  }
  std::lock_guard<std::mutex> lock(impl->set_mu);
  for (const PeerLink& link : links) impl->configured[link.endpoint.id] = link;
  impl->configured_count = impl->configured.size();
  asio::post(impl->io, [impl, links = std::move(links), on_message = std::move(on_message),
                        on_peer_state = std::move(on_peer_state)]() mutable {
    impl->on_message = std::move(on_message);
    impl->on_peer_state = std::move(on_peer_state);
    for (auto& link : links) impl->apply_add(std::move(link));
    if (impl->stopped) return;
    impl->started = true;
    if (impl->acceptor.is_open()) impl->accept_loop();
    for (auto& [id, peer] : impl->peers) {
      if (peer.dial) impl->dial(peer);
    }
  });
}

namespace {

Status check_peer_link(const PeerLink& link, std::uint32_t self_id) {
  const PeerEndpoint& e = link.endpoint;
  const std::string who = "peer " + std::to_string(e.id);
  if (e.id == self_id) return invalid_input(who + " is this node itself");
  if (!e.key.valid()) return invalid_input(who + " has no valid Ed25519 key");
  if (!e.host.empty() && e.port == 0) return invalid_input(who + " has a host but no port");
  if (e.host.empty() && e.port != 0) return invalid_input(who + " has a port but no host");
  if (link.dial == PeerDial::kDial && e.host.empty()) return invalid_input(who + " is to be dialed but has no address");
  return Status::ok_status();
}

Status too_many_peers(std::size_t max_peers) {
  return Status::error(ErrorCode::kTooLarge, "the peer set would exceed " + std::to_string(max_peers) + " peers");
}

Status transport_stopped() { return Status::error(ErrorCode::kUnavailable, "the transport is stopped"); }

}  // namespace

Status Transport::add_peer(PeerLink link) {
  auto impl = impl_;
  HC_RETURN_IF_ERROR(check_peer_link(link, impl->self_id));
  std::lock_guard<std::mutex> lock(impl->set_mu);
  if (!impl->accepting_changes) return transport_stopped();
  const bool known = impl->configured.count(link.endpoint.id) != 0;
  if (!known && impl->configured.size() >= impl->limits.max_peers) return too_many_peers(impl->limits.max_peers);
  impl->configured[link.endpoint.id] = link;
  impl->configured_count = impl->configured.size();
  asio::post(impl->io, [impl, link = std::move(link)]() mutable { impl->apply_add(std::move(link)); });
  return Status::ok_status();
}

Status Transport::remove_peer(std::uint32_t peer_id) {
  auto impl = impl_;
  std::lock_guard<std::mutex> lock(impl->set_mu);
  if (!impl->accepting_changes) return transport_stopped();
  if (impl->configured.erase(peer_id) == 0) {
    return Status::error(ErrorCode::kNotFound, "peer " + std::to_string(peer_id) + " is not in the peer set");
  }
  impl->configured_count = impl->configured.size();
  asio::post(impl->io, [impl, peer_id]() { impl->drop_peer(peer_id); });
  return Status::ok_status();
}

Status Transport::set_peers(std::vector<PeerLink> links) {
  auto impl = impl_;
  if (links.size() > impl->limits.max_peers) return too_many_peers(impl->limits.max_peers);
  std::map<std::uint32_t, PeerLink> wanted;
  for (const PeerLink& link : links) {
    HC_RETURN_IF_ERROR(check_peer_link(link, impl->self_id));
    if (!wanted.emplace(link.endpoint.id, link).second) {
      return invalid_input("peer " + std::to_string(link.endpoint.id) + " is named twice");
    }
  }
  std::lock_guard<std::mutex> lock(impl->set_mu);
  if (!impl->accepting_changes) return transport_stopped();
  impl->configured = std::move(wanted);
  impl->configured_count = impl->configured.size();
  asio::post(impl->io, [impl, links = std::move(links)]() mutable { impl->apply_set(std::move(links)); });
  return Status::ok_status();
}

std::vector<std::uint32_t> Transport::configured_peers() const {
  std::lock_guard<std::mutex> lock(impl_->set_mu);
  std::vector<std::uint32_t> ids;
  for (const auto& [id, link] : impl_->configured) ids.push_back(id);
  return ids;
}

void Transport::send(std::uint32_t peer_id, Bytes payload) {
  auto impl = impl_;
  asio::post(impl->io, [impl, peer_id, payload = std::move(payload)]() mutable {
    impl->enqueue(peer_id, std::move(payload));
  });
}

void Transport::broadcast(const Bytes& payload) {
  auto impl = impl_;
  asio::post(impl->io, [impl, payload]() {
    for (auto& [id, peer] : impl->peers) impl->enqueue(id, payload);
  });
}

void Transport::stop() {
  auto impl = impl_;
  std::lock_guard<std::mutex> lock(impl->set_mu);
  impl->accepting_changes = false;
  asio::post(impl->io, [impl]() { impl->stop_now(); });
}

TransportStats Transport::stats() const {
  TransportStats s;
  s.frames_sent = impl_->frames_sent;
  s.frames_received = impl_->frames_received;
  s.frames_dropped_queue_full = impl_->frames_dropped;
  s.handshake_failures = impl_->handshake_failures;
  s.handshakes_refused = impl_->handshakes_refused;
  s.accept_errors = impl_->accept_errors;
  s.connections_dropped = impl_->connections_dropped;
  s.write_stalls = impl_->write_stalls;
  s.queued_messages = impl_->queued_messages;
  s.queued_bytes = impl_->queued_bytes;
  s.peers_removed = impl_->peers_removed;
  s.configured_peers = impl_->configured_count;
  std::lock_guard<std::mutex> lock(impl_->connected_mu);
  s.connected_peers = impl_->connected.size();
  return s;
}

std::vector<PeerRoundTrip> Transport::sample_round_trips() const {
  std::vector<PeerRoundTrip> out;
  for (const auto& [id, peer] : impl_->peers) {
    if (!peer.session || !peer.session->stream.lowest_layer().is_open()) continue;
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(peer.session->stream.lowest_layer().native_handle(), IPPROTO_TCP, TCP_INFO, &info, &length) != 0) continue;
    if (length < offsetof(tcp_info, tcpi_rtt) + sizeof info.tcpi_rtt) continue;
    out.push_back({id, static_cast<double>(info.tcpi_rtt) / 1e6});  // tcpi_rtt: microseconds
  }
  return out;
}

std::vector<std::uint32_t> Transport::connected_peers() const {
  std::lock_guard<std::mutex> lock(impl_->connected_mu);
  return impl_->connected;
}

}  // namespace hc::net
