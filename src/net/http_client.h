// A blocking HTTP/1.1 client for `hc` (doctor, manager and operator commands talking to a
// node). One request per call over a fresh connection, with a total timeout; responses over
// max_response_bytes are refused. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "net/http.h"

namespace hc::net {

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;  // without a trailing slash
};

// Parses "http://host:port[/base]". kInvalidInput for anything else (https is not supported:
// run nodes behind a TLS terminator and point hc at it over a trusted network).
Result<HttpUrl> parse_http_url(const std::string& url);

struct HttpCallOptions {
  std::string bearer_token;
  std::uint32_t timeout_ms = 30000;
  std::size_t max_response_bytes = 64 * 1024 * 1024;
};

// kUnavailable when the node cannot be reached or times out; otherwise the response,
// whatever its status.
Result<HttpResponse> http_call(const HttpUrl& url, const std::string& method, const std::string& path,
                               const std::string& body, const HttpCallOptions& options = {});

}  // namespace hc::net
