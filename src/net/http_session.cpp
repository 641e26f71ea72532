#include "net/http_session.h"

#include <chrono>
#include <optional>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "common/secure_bytes.h"
#include "net/http_client_parts.h"

namespace hc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpSession::Connection {
  asio::io_context io;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;  // bytes read past one answer stay for the next

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  // Runs the posted operations to completion (the stream's deadline bounds them).
  void run() {
    io.restart();
    io.run();
  }
  ~Connection() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
  }
};

HttpSession::HttpSession(HttpUrl url, HttpCallOptions options) : url_(std::move(url)), options_(std::move(options)) {}

HttpSession::~HttpSession() {
  connection_.reset();
  secure_wipe(options_.bearer_token.data(), options_.bearer_token.size());
}

Status HttpSession::open() {
  connection_.reset();
  auto c = std::make_unique<Connection>();
  if (url_.tls) {
    c->secure.emplace(c->io, *options_.tls);
    HC_RETURN_IF_ERROR(detail::expect_host(c->secure->native_handle(), url_.host));
  } else {
    c->plain.emplace(c->io);
  }
  beast::error_code ec;
  tcp::resolver resolver(c->io);
  auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
  if (ec) return Status::error(ErrorCode::kUnavailable, "cannot resolve " + url_.host + ": " + ec.message());
  c->lowest().expires_after(std::chrono::milliseconds(options_.timeout_ms));
  bool handshake_failed = false;
  c->lowest().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e || !url_.tls) {
      ec = e;
      return;
    }
    c->secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e1) {
      ec = e1;
      handshake_failed = static_cast<bool>(e1);
    });
  });
  c->run();
  if (handshake_failed) return detail::handshake_failure(c->secure->native_handle(), url_, ec);
  if (ec) {
    return Status::error(ErrorCode::kUnavailable,
                         "cannot connect to " + url_.host + ":" + std::to_string(url_.port) + ": " + ec.message());
  }
  ++connections_opened_;
  connection_ = std::move(c);
  return Status::ok_status();
}

Result<HttpResponse> HttpSession::exchange(const std::string& method, const std::string& path,
                                           const std::string& body, bool& answer_began) {
  answer_began = false;
  Connection& c = *connection_;
  auto req = detail::make_request(url_, method, path, body, options_);
  http::response_parser<http::string_body> parser;
  parser.body_limit(options_.max_response_bytes);
  c.lowest().expires_after(std::chrono::milliseconds(options_.timeout_ms));
  beast::error_code ec;
  bool done = false;
  auto run_exchange = [&](auto& stream) {
    http::async_write(stream, req, [&](beast::error_code e1, std::size_t) {
      if (e1) {
        ec = e1;
        return;
      }
      http::async_read(stream, c.buffer, parser, [&](beast::error_code e2, std::size_t) {
        ec = e2;
        done = !e2;
      });
    });
  };
  if (c.secure) {
    run_exchange(*c.secure);
  } else {
    run_exchange(*c.plain);
  }
  c.run();
  answer_began = parser.got_some();
  if (!done) {
    connection_.reset();
    return Status::error(ErrorCode::kUnavailable, "node at " + url_.host + ":" + std::to_string(url_.port) +
                                                      " did not answer: " + ec.message());
  }
  if (!parser.get().keep_alive()) connection_.reset();
  return detail::to_response(parser.get());
}

Result<HttpResponse> HttpSession::call(const std::string& method, const std::string& path, const std::string& body) {
  if (url_.tls && !options_.tls) {
    return invalid_input("https://" + url_.host + " needs the chain's genesis to verify the node (--genesis)");
  }
  const bool reused = connection_ != nullptr;
  if (!reused) HC_RETURN_IF_ERROR(open());
  bool answer_began = false;
  auto answer = exchange(method, path, body, answer_began);
  // A kept connection the node closed meanwhile: once more on a new one.
  if (!answer.ok() && reused && !answer_began) {
    HC_RETURN_IF_ERROR(open());
    answer = exchange(method, path, body, answer_began);
  }
  return answer;
}

}  // namespace hc::net
