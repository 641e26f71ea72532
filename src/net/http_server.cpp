#include "net/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <type_traits>

#include "net/http_request_parse.h"

namespace hc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// What the server's connection registry holds of a connection: a way to close it when it is
// evicted to make room for a newcomer.
class HttpServerConnectionHandle {
 public:
  virtual ~HttpServerConnectionHandle() = default;
  // Closes the connection (posted to the server's thread). Called at most once.
  virtual void evict() = 0;
};

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, HttpServerLimits l, AsyncHandler h)
      : io(io_context), limits(l), handler(std::move(h)), acceptor(io), accept_timer(io),
        accept_backoff_ms(l.accept_backoff_initial_ms) {}
  void accept_loop();
  void retry_accept_later();
  void start_connection(tcp::socket socket, std::string address);

  // A connection from `address` counted: its id (never 0), or 0 when over a bound with no
  // idle connection to evict (nothing counted). `evicted` receives the connection closed to
  // make room, if any; the caller evicts it after the registry's lock is released.
  std::uint64_t admit(const std::string& address, std::shared_ptr<HttpServerConnectionHandle>& evicted);
  // The connection with `id` is registered (its handle, for eviction) and idle.
  void attach(std::uint64_t id, std::weak_ptr<HttpServerConnectionHandle> handle);
  // Idle: waiting for the first byte of a request (evictable). Not idle: a request under way.
  void set_idle(std::uint64_t id, bool idle);
  void release(std::uint64_t id);

  struct Tracked {
    std::string address;
    std::weak_ptr<HttpServerConnectionHandle> handle;
    std::uint64_t idle_since = 0;  // order in which it became idle; 0: not idle
  };
  // Under connections_mu: the idle connection to evict for a newcomer from `address`, or end().
  std::map<std::uint64_t, Tracked>::iterator eviction_victim(const std::string& address, bool address_full);
  void forget(std::map<std::uint64_t, Tracked>::iterator it);

  asio::io_context& io;
  const HttpServerLimits limits;
  AsyncHandler handler;
  std::shared_ptr<TlsContext> tls;  // null: plain HTTP
  tcp::acceptor acceptor;
  asio::steady_timer accept_timer;
  std::uint32_t accept_backoff_ms;
  std::mutex connections_mu;  // connections may be released on any thread running io
  std::map<std::uint64_t, Tracked> tracked;  // by id: the order of acceptance
  std::map<std::string, std::size_t> connections_by_address;
  std::uint64_t next_id = 1;
  std::uint64_t next_idle_order = 1;
  std::atomic<std::uint64_t> connections_refused{0}, connections_evicted{0}, accept_errors{0};
  bool stopped = false;
};

std::map<std::uint64_t, HttpServer::Impl::Tracked>::iterator HttpServer::Impl::eviction_victim(
    const std::string& address, bool address_full) {
  auto victim = tracked.end();
  std::size_t victim_load = 0;
  for (auto it = tracked.begin(); it != tracked.end(); ++it) {
    const Tracked& t = it->second;
    if (t.idle_since == 0) continue;
    if (address_full && t.address != address) continue;
    const std::size_t load = connections_by_address[t.address];
    if (victim == tracked.end() || load > victim_load || (load == victim_load && t.idle_since < victim->second.idle_since)) {
      victim = it;
      victim_load = load;
    }
  }
  return victim;
}

void HttpServer::Impl::forget(std::map<std::uint64_t, Tracked>::iterator it) {
  auto by_address = connections_by_address.find(it->second.address);
  if (by_address != connections_by_address.end() && --by_address->second == 0) connections_by_address.erase(by_address);
  tracked.erase(it);
}

std::uint64_t HttpServer::Impl::admit(const std::string& address,
                                      std::shared_ptr<HttpServerConnectionHandle>& evicted) {
  std::lock_guard<std::mutex> lock(connections_mu);
  auto it = connections_by_address.find(address);
  const std::size_t from_address = it == connections_by_address.end() ? 0 : it->second;
  const bool address_full = from_address >= limits.max_connections_per_address;
  if (address_full || tracked.size() >= limits.max_connections) {
    auto victim = eviction_victim(address, address_full);
    if (victim == tracked.end()) return 0;
    evicted = victim->second.handle.lock();
    forget(victim);
  }
  const std::uint64_t id = next_id++;
  tracked.emplace(id, Tracked{address, {}, next_idle_order++});
  ++connections_by_address[address];
  return id;
}

void HttpServer::Impl::attach(std::uint64_t id, std::weak_ptr<HttpServerConnectionHandle> handle) {
  std::lock_guard<std::mutex> lock(connections_mu);
  auto it = tracked.find(id);
  if (it != tracked.end()) it->second.handle = std::move(handle);
}

void HttpServer::Impl::set_idle(std::uint64_t id, bool idle) {
  std::lock_guard<std::mutex> lock(connections_mu);
  auto it = tracked.find(id);
  if (it != tracked.end()) it->second.idle_since = idle ? next_idle_order++ : 0;
}

// An evicted connection was forgotten when it was evicted.
void HttpServer::Impl::release(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(connections_mu);
  auto it = tracked.find(id);
  if (it != tracked.end()) forget(it);
}

namespace {

// Bytes asked for by the read that waits for a request's first byte.
constexpr std::size_t kHttpServerFirstReadBytes = 4096;
// What a lingering connection reads (and discards) at a time.
constexpr std::size_t kHttpServerLingerChunkBytes = 64 * 1024;

// Stream is beast::tcp_stream (plain HTTP) or beast::ssl_stream<beast::tcp_stream> (HTTPS).
template <class Stream>
class Connection : public HttpServerConnectionHandle, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  // `id` was admitted by the server (HttpServer::Impl::admit); released on destruction.
  template <class... TlsArgs>
  Connection(std::shared_ptr<HttpServer::Impl> server, tcp::socket socket, std::uint64_t id, TlsArgs&... tls)
      : server_(std::move(server)), stream_(std::move(socket), tls...), id_(id) {}

  // Plain HTTP waits for a request at once; HTTPS first completes the TLS handshake within the
  // header timeout (a failed or slow handshake just closes the connection). Until its first
  // request byte arrives the connection is idle, so evictable.
  void start() {
    server_->attach(id_, this->shared_from_this());
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read_next();
    } else {
      expire_in(server_->limits.header_timeout_ms);
      auto self = this->shared_from_this();
      stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
        if (ec) return self->close();
        self->read_next();
      });
    }
  }
  ~Connection() override { server_->release(id_); }

  void evict() override {
    auto self = this->shared_from_this();
    asio::post(server_->io, [self] { self->close(); });
  }

 private:
  void expire_in(std::uint32_t ms) { beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(ms)); }

  // Waits, idle, for the first byte of the next request (unless pipelined bytes are here).
  void read_next() {
    parser_.emplace();
    parser_->body_limit(server_->limits.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    if (buffer_.size() > 0) return read_header();
    server_->set_idle(id_, true);
    expire_in(server_->limits.idle_timeout_ms);
    auto self = this->shared_from_this();
    stream_.async_read_some(buffer_.prepare(kHttpServerFirstReadBytes), [self](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->server_->set_idle(self->id_, false);
      self->read_header();
    });
  }

  void read_header() {
    expire_in(server_->limits.header_timeout_ms);
    auto self = this->shared_from_this();
    http::async_read_header(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read_error(ec);
      self->read_body();
    });
  }

  void read_body() {
    expire_in(server_->limits.body_timeout_ms);
    auto self = this->shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read_error(ec);
      self->on_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return respond(HttpResponse::error(413, "too_large", "request body exceeds " +
                                                              std::to_string(server_->limits.max_body_bytes) +
                                                              " bytes"),
                     false, true);
    }
    if (ec == http::error::header_limit) {
      return respond(HttpResponse::error(431, "too_large", "headers too large"), false, true);
    }
    respond(HttpResponse::error(400, "bad_request", "malformed HTTP request"), false, true);
  }

  void on_request() {
    const bool keep_alive = parser_->get().keep_alive();
    HttpRequest request = to_http_request(parser_->release());
    beast::error_code ignored;
    auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ignored);
    request.remote_address = ignored ? "" : remote.address().to_string();
    auto self = this->shared_from_this();
    server_->handler(request, [self, keep_alive](HttpResponse response) {
      asio::post(self->server_->io, [self, keep_alive, response = std::move(response)]() mutable {
        self->respond(std::move(response), keep_alive);
      });
    });
  }

  // `input_pending`: the request was refused before all of it was read (the client may still be
  // sending), so the connection lingers after the answer instead of closing at once.
  void respond(HttpResponse response, bool keep_alive, bool input_pending = false) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(response.status));
    res->version(11);
    res->set(http::field::server, "hc-node");
    res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->set(name, value);
    // Every "come back later" answer says when (RFC 9110 section 10.2.3).
    if ((response.status == 429 || response.status == 503) && res->find(http::field::retry_after) == res->end()) {
      res->set(http::field::retry_after, "1");
    }
    res->keep_alive(keep_alive);
    res->body() = std::move(response.body);
    res->prepare_payload();
    auto self = this->shared_from_this();
    expire_in(server_->limits.write_timeout_ms);
    http::async_write(stream_, *res, [self, res, keep_alive, input_pending](beast::error_code ec, std::size_t) {
      if (ec || self->server_->stopped) return self->close();
      if (input_pending) return self->start_lingering();
      if (!keep_alive) return self->close();
      self->read_next();
    });
  }

  // Lingering close (RFC 9112 section 9.6). Closing with unread input makes the kernel reset the
  // connection, and a reset discards the answer the client has not read yet: a client that
  // writes its whole request before reading (most do) would see EPIPE or ECONNRESET instead of
  // the 413. So the server reads and discards what the client still sends, within the bounds of
  // an accepted body (the body timeout, twice the body limit), then closes.
  void start_lingering() {
    expire_in(server_->limits.body_timeout_ms);
    lingered_bytes_ = 0;
    buffer_.consume(buffer_.size());
    linger_read();
  }

  void linger_read() {
    auto self = this->shared_from_this();
    stream_.async_read_some(buffer_.prepare(kHttpServerLingerChunkBytes), [self](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->lingered_bytes_ += n;
      if (self->lingered_bytes_ > 2 * self->server_->limits.max_body_bytes) return self->close();
      self->linger_read();
    });
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  std::shared_ptr<HttpServer::Impl> server_;
  Stream stream_;
  const std::uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t lingered_bytes_ = 0;
};

}  // namespace

// Counts the connection (evicting an idle one when a bound is reached) and starts it.
void HttpServer::Impl::start_connection(tcp::socket socket, std::string address) {
  std::shared_ptr<HttpServerConnectionHandle> evicted;
  const std::uint64_t id = admit(address, evicted);
  if (evicted) {
    connections_evicted++;
    evicted->evict();
    evicted.reset();
  }
  if (id == 0) {
    connections_refused++;
    beast::error_code ignored;
    socket.close(ignored);
    return;
  }
  auto self = shared_from_this();
  if (tls) {
    std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(self, std::move(socket), id, *tls)->start();
  } else {
    std::make_shared<Connection<beast::tcp_stream>>(self, std::move(socket), id)->start();
  }
}

void HttpServer::Impl::accept_loop() {
  auto self = shared_from_this();
  acceptor.async_accept([self](beast::error_code ec, tcp::socket socket) {
    if (self->stopped) return;
    if (ec) return self->retry_accept_later();
    self->accept_backoff_ms = self->limits.accept_backoff_initial_ms;
    beast::error_code remote_ec;
    auto remote = socket.remote_endpoint(remote_ec);
    if (remote_ec) {
      self->connections_refused++;
      socket.close(remote_ec);
    } else {
      self->start_connection(std::move(socket), remote.address().to_string());
    }
    self->accept_loop();
  });
}

// An accept() failure is usually local (no descriptor left): trying again at once would spin.
void HttpServer::Impl::retry_accept_later() {
  accept_errors++;
  accept_timer.expires_after(std::chrono::milliseconds(accept_backoff_ms));
  accept_backoff_ms = std::min(accept_backoff_ms * 2, limits.accept_backoff_max_ms);
  auto self = shared_from_this();
  accept_timer.async_wait([self](beast::error_code ec) {
    if (ec || self->stopped) return;
    self->accept_loop();
  });
}

HttpServer::HttpServer(asio::io_context& io, HttpServerLimits limits, Handler handler)
    : HttpServer(io, limits, AsyncHandler([handler = std::move(handler)](const HttpRequest& r, Responder respond) {
        respond(handler(r));
      })) {}

HttpServer::HttpServer(asio::io_context& io, HttpServerLimits limits, AsyncHandler handler)
    : impl_(std::make_shared<Impl>(io, limits, std::move(handler))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::use_tls(std::shared_ptr<TlsContext> context) { impl_->tls = std::move(context); }

Result<std::uint16_t> HttpServer::listen(const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return invalid_input("API address " + host + " is not an IP address");
  tcp::endpoint endpoint(address, port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    const ErrorCode code = ec == asio::error::address_in_use ? ErrorCode::kAlreadyExists : ErrorCode::kIo;
    return Status::error(code, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  std::uint16_t bound = impl_->acceptor.local_endpoint().port();
  auto impl = impl_;
  asio::post(impl->io, [impl] { impl->accept_loop(); });
  return bound;
}

void HttpServer::stop() {
  auto impl = impl_;
  asio::post(impl->io, [impl] {
    impl->stopped = true;
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->accept_timer.cancel();
  });
}

HttpServerStats HttpServer::stats() const {
  return HttpServerStats{impl_->connections_refused.load(), impl_->connections_evicted.load(), impl_->accept_errors.load()};
}

}  // namespace hc::net
