#include "node/connection_limits.h"

#include <nlohmann/json.hpp>

#include <string>

namespace hc::node {

namespace {

using nlohmann::json;

constexpr std::uint64_t kMinConnectionTimeoutMs = 100;
constexpr std::uint64_t kMaxConnectionTimeoutMs = 600000;

Status connection_field_error(const std::string& field, const std::string& what) {
  return invalid_input("config field \"connections." + field + "\" " + what);
}

// Sets `out` from `object[field]` when present: an integer in [min, max].
template <class T>
Status read_connection_bound(const json& object, const char* field, std::uint64_t min, std::uint64_t max, T& out) {
  auto it = object.find(field);
  if (it == object.end()) return Status::ok_status();
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() < min || it->get<std::uint64_t>() > max) {
    return connection_field_error(field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = static_cast<T>(it->get<std::uint64_t>());
  return Status::ok_status();
}

}  // namespace

Result<ConnectionLimits> parse_connection_limits(const json& object) {
  if (!object.is_object()) return invalid_input("config field \"connections\" must be an object");
  static const char* const kKnown[] = {"api_max", "api_max_per_address", "peer_handshakes_max",
                                       "peer_handshakes_max_per_address", "api_idle_timeout_ms",
                                       "api_header_timeout_ms", "api_body_timeout_ms"};
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) return invalid_input("unknown config field \"connections." + key.substr(0, 64) + "\"");
  }
  ConnectionLimits l;
  HC_RETURN_IF_ERROR(read_connection_bound(object, "api_max", 1, kMaxConfiguredConnections, l.api_connections));
  HC_RETURN_IF_ERROR(
      read_connection_bound(object, "api_max_per_address", 1, kMaxConfiguredConnections, l.api_connections_per_address));
  HC_RETURN_IF_ERROR(
      read_connection_bound(object, "peer_handshakes_max", 1, kMaxConfiguredConnections, l.pending_handshakes));
  HC_RETURN_IF_ERROR(read_connection_bound(object, "peer_handshakes_max_per_address", 1, kMaxConfiguredConnections,
                                           l.pending_handshakes_per_address));
  HC_RETURN_IF_ERROR(read_connection_bound(object, "api_idle_timeout_ms", kMinConnectionTimeoutMs,
                                           kMaxConnectionTimeoutMs, l.api_idle_timeout_ms));
  HC_RETURN_IF_ERROR(read_connection_bound(object, "api_header_timeout_ms", kMinConnectionTimeoutMs,
                                           kMaxConnectionTimeoutMs, l.api_header_timeout_ms));
  HC_RETURN_IF_ERROR(read_connection_bound(object, "api_body_timeout_ms", kMinConnectionTimeoutMs,
                                           kMaxConnectionTimeoutMs, l.api_body_timeout_ms));
  if (l.api_connections_per_address > l.api_connections) {
    return connection_field_error("api_max_per_address", "must not exceed connections.api_max");
  }
  if (l.pending_handshakes_per_address > l.pending_handshakes) {
    return connection_field_error("peer_handshakes_max_per_address", "must not exceed connections.peer_handshakes_max");
  }
  return l;
}

json connection_limits_to_json(const ConnectionLimits& l) {
  return {{"api_max", l.api_connections},
          {"api_max_per_address", l.api_connections_per_address},
          {"peer_handshakes_max", l.pending_handshakes},
          {"peer_handshakes_max_per_address", l.pending_handshakes_per_address},
          {"api_idle_timeout_ms", l.api_idle_timeout_ms},
          {"api_header_timeout_ms", l.api_header_timeout_ms},
          {"api_body_timeout_ms", l.api_body_timeout_ms}};
}

}  // namespace hc::node
