#include "net/http_request_parse.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <algorithm>
#include <cctype>

namespace hc::net {

namespace http = boost::beast::http;

HttpRequest to_http_request(http::request<http::string_body>&& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  for (const auto& field : request) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(request.body());
  return out;
}

Result<HttpRequest> parse_http_request(std::string_view bytes, const HttpServerLimits& limits) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);  // as http::async_read does
  parser.body_limit(limits.max_body_bytes);
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  std::size_t used = 0;
  while (!parser.is_done()) {
    boost::beast::error_code ec;
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::body_limit) return Status::error(ErrorCode::kTooLarge, "request body too large");
    if (ec == http::error::header_limit) return Status::error(ErrorCode::kTooLarge, "headers too large");
    // Every byte was offered: Beast asking for more (it must then get the same bytes plus new
    // ones, never the same ones alone) or making no progress means the request is cut short.
    if (ec == http::error::need_more || (!ec && n == 0 && !parser.is_done())) {
      return invalid_input("incomplete HTTP request");
    }
    if (ec) return invalid_input("malformed HTTP request: " + ec.message());
  }
  if (used != bytes.size()) return invalid_input("bytes after the HTTP request");
  return to_http_request(parser.release());
}

}  // namespace hc::net
