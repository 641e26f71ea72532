#include "net/http_client.h"

#include "net/http_client_parts.h"

#include <algorithm>
#include <cctype>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <charconv>
#include <optional>

namespace hc::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  std::string bare = host.size() > 2 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
  beast::error_code ec;
  auto address = asio::ip::make_address(bare, ec);
  return !ec && address.is_loopback();
}

Result<HttpUrl> parse_http_url(const std::string& url) {
  HttpUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.tls = true;
    out.port = 443;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return invalid_input("node URL must start with https:// (got " + url.substr(0, 200) + ")");
  }
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out.base_path = rest.substr(slash);
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) != std::string::npos) colon = std::string::npos;
  out.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    std::string port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid_input("bad port in node URL " + url.substr(0, 200));
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  if (out.host.empty()) return invalid_input("no host in node URL " + url.substr(0, 200));
  if (out.host.front() == '[' && out.host.back() == ']') out.host = out.host.substr(1, out.host.size() - 2);
  if (!out.tls && !is_loopback_host(out.host)) {
    return invalid_input("plain http:// is only for development on 127.0.0.1; use https://" + out.host.substr(0, 200) +
                         " (tokens and records would travel in clear)");
  }
  return out;
}

namespace detail {

Result<HttpResponse> to_response(http::response<http::string_body>& res) {
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

// Makes OpenSSL check the server's certificate names `host` (an IP entry for an address, a
// DNS entry otherwise) and sends SNI for DNS names.
Status expect_host(SSL* ssl, const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  int ok = ec ? SSL_set1_host(ssl, host.c_str()) && SSL_set_tlsext_host_name(ssl, host.c_str())
              : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  if (ok != 1) return invalid_input("cannot verify TLS for host " + host.substr(0, 200));
  return Status::ok_status();
}

// Why a TLS handshake failed, as one line: a certificate that does not verify is kAuthFailed.
Status handshake_failure(SSL* ssl, const HttpUrl& url, const beast::error_code& ec) {
  long verify = SSL_get_verify_result(ssl);
  std::string where = url.host + ":" + std::to_string(url.port);
  if (verify != X509_V_OK) {
    return Status::error(ErrorCode::kAuthFailed, "node at " + where + " is not trusted: its TLS certificate " +
                                                     X509_verify_cert_error_string(verify) +
                                                     " (trust comes from the genesis' CA certificates)");
  }
  return Status::error(ErrorCode::kUnavailable, "TLS handshake with " + where + " failed: " + ec.message());
}

http::request<http::string_body> make_request(const HttpUrl& url, const std::string& method, const std::string& path,
                                              const std::string& body, const HttpCallOptions& options) {
  http::request<http::string_body> req(http::string_to_verb(method), url.base_path + path, 11);
  req.set(http::field::host, url.host);
  req.set(http::field::user_agent, "hc");
  if (!options.bearer_token.empty()) req.set(http::field::authorization, "Bearer " + options.bearer_token);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  return req;
}

}  // namespace detail

using detail::expect_host;
using detail::handshake_failure;
using detail::make_request;
using detail::to_response;

Result<HttpResponse> http_call(const HttpUrl& url, const std::string& method, const std::string& path,
                               const std::string& body, const HttpCallOptions& options) {
  if (url.tls && !options.tls) {
    return invalid_input("https://" + url.host + " needs the chain's genesis to verify the node (--genesis)");
  }
  asio::io_context io;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (url.tls) {
    secure.emplace(io, *options.tls);
    HC_RETURN_IF_ERROR(expect_host(secure->native_handle(), url.host));
  } else {
    plain.emplace(io);
  }
  beast::tcp_stream& lowest = url.tls ? beast::get_lowest_layer(*secure) : *plain;
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
  if (ec) return Status::error(ErrorCode::kUnavailable, "cannot resolve " + url.host + ": " + ec.message());
  lowest.expires_after(std::chrono::milliseconds(options.timeout_ms));

  http::request<http::string_body> req = make_request(url, method, path, body, options);

  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  beast::flat_buffer buffer;
  bool done = false;
  bool handshake_failed = false;
  auto exchange = [&](auto& stream) {
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
  };
  lowest.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) {
      ec = e;
      return;
    }
    if (!url.tls) return exchange(*plain);
    secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e1) {
      if (e1) {
        ec = e1;
        handshake_failed = true;
        return;
      }
      exchange(*secure);
    });
  });
  io.run();
  beast::error_code ignored;
  lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (handshake_failed) return handshake_failure(secure->native_handle(), url, ec);
  if (!done) {
    return Status::error(ErrorCode::kUnavailable, "node at " + url.host + ":" + std::to_string(url.port) +
                                                      " did not answer: " + ec.message());
  }
  return to_response(parser.get());
}

}  // namespace hc::net
