// The node's connection bounds as configured (node config field "connections", docs/node.md):
// how many API connections and unauthenticated peer handshakes it accepts, in all and from one
// source address, and the API's slowloris timeouts. These are ceilings: at startup
// descriptor_budget.h lowers the caps to fit under RLIMIT_NOFILE. Plain value and a pure parser.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>

#include "common/status.h"
#include "net/http_limits.h"
#include "net/transport.h"

namespace hc::node {

// Defaults: the HTTP server's and the transport's own (one place for each number).
struct ConnectionLimits {
  std::size_t api_connections = net::HttpServerLimits{}.max_connections;
  std::size_t api_connections_per_address = net::HttpServerLimits{}.max_connections_per_address;
  std::size_t pending_handshakes = net::TransportLimits{}.max_pending_handshakes;
  std::size_t pending_handshakes_per_address = net::TransportLimits{}.max_pending_handshakes_per_address;
  std::uint32_t api_idle_timeout_ms = net::HttpServerLimits{}.idle_timeout_ms;
  std::uint32_t api_header_timeout_ms = net::HttpServerLimits{}.header_timeout_ms;
  std::uint32_t api_body_timeout_ms = net::HttpServerLimits{}.body_timeout_ms;
};

// The largest cap accepted for any of the four connection counts.
inline constexpr std::size_t kMaxConfiguredConnections = 65536;

// Reads the "connections" object (every field optional, defaults above; unknown fields,
// zero or too large caps, a per-address cap above its total and timeouts outside
// 100 ms .. 10 min are refused with kInvalidInput naming the field).
Result<ConnectionLimits> parse_connection_limits(const nlohmann::json& object);
nlohmann::json connection_limits_to_json(const ConnectionLimits& limits);

}  // namespace hc::node
