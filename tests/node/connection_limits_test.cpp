#include "node/connection_limits.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hc::node {
namespace {

using nlohmann::json;

TEST(ConnectionLimitsTest, DefaultsWhenEmpty) {
  auto l = parse_connection_limits(json::object());
  ASSERT_TRUE(l.ok()) << l.status().to_string();
  ConnectionLimits defaults;
  EXPECT_EQ(l->api_connections, defaults.api_connections);
  EXPECT_EQ(l->api_connections_per_address, defaults.api_connections_per_address);
  EXPECT_EQ(l->pending_handshakes, defaults.pending_handshakes);
  EXPECT_EQ(l->api_idle_timeout_ms, defaults.api_idle_timeout_ms);
}

TEST(ConnectionLimitsTest, ReadsEveryFieldAndRoundTrips) {
  // Parsed from text, as the node reads its config (numbers are then unsigned).
  json in = json::parse(R"({"api_max": 4096, "api_max_per_address": 512, "peer_handshakes_max": 100,
      "peer_handshakes_max_per_address": 10, "api_idle_timeout_ms": 1500, "api_header_timeout_ms": 2500,
      "api_body_timeout_ms": 60000})");
  auto l = parse_connection_limits(in);
  ASSERT_TRUE(l.ok()) << l.status().to_string();
  EXPECT_EQ(l->api_connections, 4096u);
  EXPECT_EQ(l->api_connections_per_address, 512u);
  EXPECT_EQ(l->pending_handshakes, 100u);
  EXPECT_EQ(l->pending_handshakes_per_address, 10u);
  EXPECT_EQ(l->api_idle_timeout_ms, 1500u);
  EXPECT_EQ(l->api_header_timeout_ms, 2500u);
  EXPECT_EQ(l->api_body_timeout_ms, 60000u);
  EXPECT_EQ(connection_limits_to_json(*l), in);
}

TEST(ConnectionLimitsTest, RefusesBadValuesNamingTheField) {
  auto refused = [](const std::string& text, const std::string& field) {
    const json in = json::parse(text);
    auto l = parse_connection_limits(in);
    ASSERT_FALSE(l.ok()) << in.dump();
    EXPECT_EQ(l.status().code(), ErrorCode::kInvalidInput);
    EXPECT_NE(l.status().message().find(field), std::string::npos) << l.status().message();
  };
  refused("[]", "connections");
  refused("{\"api_max\": 0}", "connections.api_max");
  refused("{\"api_max\": -5}", "connections.api_max");
  refused("{\"api_max\": 65537}", "connections.api_max");
  refused("{\"api_max\": \"many\"}", "connections.api_max");
  refused("{\"api_max\": 1.5}", "connections.api_max");
  refused("{\"api_max\": 10, \"api_max_per_address\": 11}", "connections.api_max_per_address");
  refused("{\"peer_handshakes_max\": 4, \"peer_handshakes_max_per_address\": 5}",
          "connections.peer_handshakes_max_per_address");
  refused("{\"api_idle_timeout_ms\": 99}", "connections.api_idle_timeout_ms");
  refused("{\"api_body_timeout_ms\": 600001}", "connections.api_body_timeout_ms");
  refused("{\"api_max_connections\": 10}", "connections.api_max_connections");  // unknown
}

}  // namespace
}  // namespace hc::node
