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

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, HttpServerLimits l, AsyncHandler h)
      : io(io_context), limits(l), handler(std::move(h)), acceptor(io), accept_timer(io),
        accept_backoff_ms(l.accept_backoff_initial_ms) {}
  void accept_loop();
  void retry_accept_later();
  // Counts a new connection from `address`; false (nothing counted) when over a bound.
  bool admit(const std::string& address);
  void release(const std::string& address);

  asio::io_context& io;
  const HttpServerLimits limits;
  AsyncHandler handler;
  std::shared_ptr<TlsContext> tls;  // null: plain HTTP
  tcp::acceptor acceptor;
  asio::steady_timer accept_timer;
  std::uint32_t accept_backoff_ms;
  std::mutex connections_mu;  // connections may be released on any thread running io
  std::size_t connections = 0;
  std::map<std::string, std::size_t> connections_by_address;
  std::atomic<std::uint64_t> connections_refused{0}, accept_errors{0};
  bool stopped = false;
};

bool HttpServer::Impl::admit(const std::string& address) {
  std::lock_guard<std::mutex> lock(connections_mu);
  auto it = connections_by_address.find(address);
  std::size_t from_address = it == connections_by_address.end() ? 0 : it->second;
  if (connections >= limits.max_connections || from_address >= limits.max_connections_per_address) return false;
  ++connections;
  ++connections_by_address[address];
  return true;
}

void HttpServer::Impl::release(const std::string& address) {
  std::lock_guard<std::mutex> lock(connections_mu);
  --connections;
  auto it = connections_by_address.find(address);
  if (it != connections_by_address.end() && --it->second == 0) connections_by_address.erase(it);
}

namespace {

// Stream is beast::tcp_stream (plain HTTP) or beast::ssl_stream<beast::tcp_stream> (HTTPS).
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  // `address` was admitted by the server (HttpServer::Impl::admit); released on destruction.
  template <class... TlsArgs>
  Connection(std::shared_ptr<HttpServer::Impl> server, tcp::socket socket, std::string address, TlsArgs&... tls)
      : server_(std::move(server)), stream_(std::move(socket), tls...), address_(std::move(address)) {}

  // Plain HTTP reads at once; HTTPS first completes the TLS handshake within the request
  // timeout (a failed or slow handshake just closes the connection).
  void start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read_next();
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(server_->limits.request_timeout_ms));
      auto self = this->shared_from_this();
      stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
        if (ec) return self->close();
        self->read_next();
      });
    }
  }
  ~Connection() { server_->release(address_); }

  void read_next() {
    parser_.emplace();
    parser_->body_limit(server_->limits.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(server_->limits.request_timeout_ms));
    auto self = this->shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::body_limit) {
      return respond(HttpResponse::error(413, "too_large", "request body exceeds " +
                                                              std::to_string(server_->limits.max_body_bytes) +
                                                              " bytes"),
                     false);
    }
    if (ec == http::error::header_limit) return respond(HttpResponse::error(431, "too_large", "headers too large"), false);
    if (ec) return respond(HttpResponse::error(400, "bad_request", "malformed HTTP request"), false);
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

  void respond(HttpResponse response, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(response.status));
    res->version(11);
    res->set(http::field::server, "hc-node");
    res->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    res->body() = std::move(response.body);
    res->prepare_payload();
    auto self = this->shared_from_this();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(server_->limits.request_timeout_ms));
    http::async_write(stream_, *res, [self, res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive || self->server_->stopped) return self->close();
      self->read_next();
    });
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  std::shared_ptr<HttpServer::Impl> server_;
  Stream stream_;
  std::string address_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

void HttpServer::Impl::accept_loop() {
  auto self = shared_from_this();
  acceptor.async_accept([self](beast::error_code ec, tcp::socket socket) {
    if (self->stopped) return;
    if (ec) return self->retry_accept_later();
    self->accept_backoff_ms = self->limits.accept_backoff_initial_ms;
    beast::error_code remote_ec;
    auto remote = socket.remote_endpoint(remote_ec);
    std::string address = remote_ec ? std::string() : remote.address().to_string();
    if (remote_ec || !self->admit(address)) {
      self->connections_refused++;
      socket.close(remote_ec);
    } else {
      if (self->tls) {
        std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(self, std::move(socket), std::move(address),
                                                                           *self->tls)
            ->start();
      } else {
        std::make_shared<Connection<beast::tcp_stream>>(self, std::move(socket), std::move(address))->start();
      }
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
  if (ec) return Status::error(ErrorCode::kIo, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
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
  return HttpServerStats{impl_->connections_refused.load(), impl_->accept_errors.load()};
}

}  // namespace hc::net
