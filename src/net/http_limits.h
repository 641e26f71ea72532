// The bounds the node's HTTP server enforces on every connection and request. A header of its
// own so that the request parser (http_request_parse.h), which the fuzzers link without the
// server, can share them without pulling in Boost.Asio's sockets and TLS.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hc::net {

struct HttpServerLimits {
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::uint32_t request_timeout_ms = 10000;
  std::size_t max_connections = 256;
  std::size_t max_connections_per_address = 64;
  std::uint32_t accept_backoff_initial_ms = 100;
  std::uint32_t accept_backoff_max_ms = 1000;
};

}  // namespace hc::net
