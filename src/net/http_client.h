// A blocking HTTP/1.1 client for `hc` (doctor, manager and operator commands talking to a
// node). One request per call over a fresh connection, with a total timeout; responses over
// max_response_bytes are refused. https:// URLs are verified with the caller's TLS context (the
// consortium's CA certificates from the genesis: net/tls_context.h) and the URL's host name or
// address; plain http:// is accepted only for loopback hosts (development on one machine).
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "net/http.h"
#include "net/tls_context.h"

namespace hc::net {

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // without a trailing slash
  bool tls = false;       // https
};

// Parses "https://host[:port][/base]" (port 443 by default) or "http://host[:port][/base]"
// for a loopback host only (127.0.0.0/8, ::1, localhost). kInvalidInput for anything else,
// with a message saying why plain HTTP is refused for other hosts.
Result<HttpUrl> parse_http_url(const std::string& url);

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

struct HttpCallOptions {
  std::string bearer_token;
  std::shared_ptr<TlsContext> tls;  // required for https URLs (make_tls_client_context)
  std::uint32_t timeout_ms = 30000;
  std::size_t max_response_bytes = 64 * 1024 * 1024;
};

// kUnavailable when the node cannot be reached or times out; kAuthFailed when its TLS
// certificate does not verify (not issued by a trusted CA, expired, another host's);
// kInvalidInput for an https URL without a TLS context; otherwise the response, whatever its
// status.
Result<HttpResponse> http_call(const HttpUrl& url, const std::string& method, const std::string& path,
                               const std::string& body, const HttpCallOptions& options = {});

}  // namespace hc::net
