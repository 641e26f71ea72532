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
  // Slowloris bounds. A connection that has sent no byte of its next request (just accepted,
  // or kept alive after an answer) is closed after idle_timeout_ms; from a request's first
  // byte its headers must be complete within header_timeout_ms, then its body within
  // body_timeout_ms; an answer must be written within write_timeout_ms. A TLS handshake must
  // finish within header_timeout_ms.
  std::uint32_t idle_timeout_ms = 5000;
  std::uint32_t header_timeout_ms = 5000;
  std::uint32_t body_timeout_ms = 20000;
  std::uint32_t write_timeout_ms = 10000;
  // Open connections, in all and from one source address. When a new connection would exceed
  // either bound, the oldest idle connection (no byte of a request received) of the busiest
  // address (for the per-address bound: the newcomer's own) is closed to make room; only when
  // there is no such connection is the newcomer closed at once.
  std::size_t max_connections = 256;
  std::size_t max_connections_per_address = 64;
  std::uint32_t accept_backoff_initial_ms = 100;
  std::uint32_t accept_backoff_max_ms = 1000;
};

}  // namespace hc::net
