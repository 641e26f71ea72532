#include "net/http_client.h"

#include <algorithm>
#include <cctype>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>

namespace hc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpUrl> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return invalid_input("node URL must start with http:// (got " + url + ")");
  std::string rest = url.substr(scheme.size());
  HttpUrl out;
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.base_path = rest.substr(slash);
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  std::size_t colon = authority.rfind(':');
  out.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid_input("bad port in node URL " + url);
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  if (out.host.empty()) return invalid_input("no host in node URL " + url);
  return out;
}

Result<HttpResponse> http_call(const HttpUrl& url, const std::string& method, const std::string& path,
                               const std::string& body, const HttpCallOptions& options) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec) return Status::error(ErrorCode::kUnavailable, "cannot resolve " + url.host + ": " + ec.message());
  stream.expires_after(std::chrono::milliseconds(options.timeout_ms));

  http::request<http::string_body> req(http::string_to_verb(method), url.base_path + path, 11);
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "hc");
  if (!options.bearer_token.empty()) req.set(http::field::authorization, "Bearer " + options.bearer_token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();

  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  beast::flat_buffer buffer;
  bool done = false;
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) {
      ec = e;
      return;
    }
    http::async_write(stream, req, [&](beast::error_code e2, std::size_t) {
      if (e2) {
        ec = e2;
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code e3, std::size_t) {
        ec = e3;
        done = !e3;
      });
    });
  });
  io.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (!done) {
    return Status::error(ErrorCode::kUnavailable, "node at " + url.host + ":" + std::to_string(url.port) +
                                                      " did not answer: " + ec.message());
  }
  auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.content_type = std::string(res[http::field::content_type]);
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(res.body());
  return out;
}

}  // namespace hc::net
