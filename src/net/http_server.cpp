#include "net/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <optional>

#include "net/http_request_parse.h"

namespace hc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, HttpServerLimits l, Handler h)
      : io(io_context), limits(l), handler(std::move(h)), acceptor(io) {}
  void accept_loop();

  asio::io_context& io;
  const HttpServerLimits limits;
  Handler handler;
  tcp::acceptor acceptor;
  std::atomic<std::size_t> connections{0};
  bool stopped = false;
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<HttpServer::Impl> server, tcp::socket socket)
      : server_(std::move(server)), stream_(std::move(socket)) {
    server_->connections++;
  }
  ~Connection() { server_->connections--; }

  void read_next() {
    parser_.emplace();
    parser_->body_limit(server_->limits.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    stream_.expires_after(std::chrono::milliseconds(server_->limits.request_timeout_ms));
    auto self = shared_from_this();
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
    auto remote = stream_.socket().remote_endpoint(ignored);
    request.remote_address = ignored ? "" : remote.address().to_string();
    respond(server_->handler(request), keep_alive);
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
    auto self = shared_from_this();
    stream_.expires_after(std::chrono::milliseconds(server_->limits.request_timeout_ms));
    http::async_write(stream_, *res, [self, res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive || self->server_->stopped) return self->close();
      self->read_next();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  std::shared_ptr<HttpServer::Impl> server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

void HttpServer::Impl::accept_loop() {
  auto self = shared_from_this();
  acceptor.async_accept([self](beast::error_code ec, tcp::socket socket) {
    if (self->stopped) return;
    if (!ec) {
      if (self->connections >= self->limits.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Connection>(self, std::move(socket))->read_next();
      }
    }
    self->accept_loop();
  });
}

HttpServer::HttpServer(asio::io_context& io, HttpServerLimits limits, Handler handler)
    : impl_(std::make_shared<Impl>(io, limits, std::move(handler))) {}

HttpServer::~HttpServer() { stop(); }

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
  });
}

}  // namespace hc::net
