// The node's connection bounds as configured (node config field "connections", docs/node.md):
// how many API connections and unauthenticated peer handshakes it accepts, in all and from one
// source address, and the API's slowloris timeouts. These are ceilings: at startup
// descriptor_budget.h lowers the caps to fit under RLIMIT_NOFILE. Plain value and a pure parser.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>

#include "common/status.h"

namespace hc::node {

struct ConnectionLimits {
  std::size_t api_connections = 256;
  std::size_t api_connections_per_address = 64;
  std::size_t pending_handshakes = 32;
  std::size_t pending_handshakes_per_address = 8;
  std::uint32_t api_idle_timeout_ms = 5000;
  std::uint32_t api_header_timeout_ms = 5000;
  std::uint32_t api_body_timeout_ms = 20000;
};

// The largest cap accepted for any of the four connection counts.
inline constexpr std::size_t kMaxConfiguredConnections = 65536;

// Reads the "connections" object (every field optional, defaults above; unknown fields,
// zero or too large caps, a per-address cap above its total and timeouts outside
// 100 ms .. 10 min are refused with kInvalidInput naming the field).
Result<ConnectionLimits> parse_connection_limits(const nlohmann::json& object);
nlohmann::json connection_limits_to_json(const ConnectionLimits& limits);

}  // namespace hc::node
