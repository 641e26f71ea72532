#include "node/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

using nlohmann::json;

json valid_config() {
  auto k0 = crypto::Ed25519PrivateKey::generate();
  auto k1 = crypto::Ed25519PrivateKey::generate();
  return {{"node_id", 1},
          {"name", "st-mary"},
          {"data_dir", "data"},
          {"replica_key_file", "replica.key.pem"},
          {"member_key_file", "/abs/member.key"},
          {"genesis_file", "../genesis.json"},
          {"listen", "127.0.0.1:7001"},
          {"api", "127.0.0.1:8001"},
          {"peers",
           {{{"id", 0}, {"address", "127.0.0.1:7000"}, {"replica_key", k0->public_key().to_hex()}},
            {{"id", 1}, {"address", "127.0.0.1:7001"}, {"replica_key", k1->public_key().to_hex()}}}},
          {"doctor_tokens", {{{"name", "dr-ada"}, {"sha256", std::string(64, 'a')}}}}};
}

TEST(NodeConfigTest, ParsesAndResolvesPaths) {
  auto c = parse_node_config(valid_config().dump(), "/etc/hc");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->node_id, 1u);
  EXPECT_EQ(c->data_dir, "/etc/hc/data");
  EXPECT_EQ(c->member_key_file, "/abs/member.key");
  EXPECT_EQ(c->api_port, 8001);
  ASSERT_EQ(c->peers.size(), 2u);
  EXPECT_EQ(c->doctor_tokens[0].name, "dr-ada");
  EXPECT_EQ(c->limits.requests_per_minute_per_token, 600u);
  auto again = parse_node_config(node_config_to_json(*c), "/");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->data_dir, c->data_dir);
}

TEST(NodeConfigTest, ReadsConnectionLimits) {
  json c = valid_config();
  c["connections"] = json::parse(R"({"api_max": 1000, "api_idle_timeout_ms": 2000})");
  auto parsed = parse_node_config(c.dump(), "/");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->connections.api_connections, 1000u);
  EXPECT_EQ(parsed->connections.api_idle_timeout_ms, 2000u);
  EXPECT_EQ(parsed->connections.api_connections_per_address, ConnectionLimits{}.api_connections_per_address);
  auto again = parse_node_config(node_config_to_json(*parsed), "/");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->connections.api_connections, 1000u);
  c["connections"] = json::parse(R"({"api_max": 10, "api_max_per_address": 20})");
  auto bad = parse_node_config(c.dump(), "/");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("connections.api_max_per_address"), std::string::npos);
}

// A hospital that joins a running consortium has an id past the genesis replicas' and lists
// the members it dials (issue 16): peer ids need not be 0..n-1 (they had to, before joins).
TEST(NodeConfigTest, AcceptsAJoiningNodesIdsPastTheGenesis) {
  json c = valid_config();
  auto k5 = crypto::Ed25519PrivateKey::generate();
  c["node_id"] = 5;
  c["listen"] = "127.0.0.1:7005";
  c["peers"][1] = {{"id", 5}, {"address", "127.0.0.1:7005"}, {"replica_key", k5->public_key().to_hex()}};
  auto parsed = parse_node_config(c.dump(), "/");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->node_id, 5u);
  ASSERT_EQ(parsed->peers.size(), 2u);
  EXPECT_EQ(parsed->peers[1].id, 5u);
  c["node_id"] = 4;  // still: the node itself must be among the peers
  EXPECT_FALSE(parse_node_config(c.dump(), "/").ok());
}

TEST(NodeConfigTest, ReadsTheLogLevelFile) {
  test::TempDir dir;
  const auto file = dir.path() / "log-level";
  auto write = [&file](const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  };
  write("  debug \r\nignored second line\n");
  auto level = read_log_level_file(file);
  ASSERT_TRUE(level.ok()) << level.status().to_string();
  EXPECT_EQ(*level, LogLevel::kDebug);
  write("warn");
  ASSERT_TRUE(read_log_level_file(file).ok());
  EXPECT_EQ(*read_log_level_file(file), LogLevel::kWarn);
  write("off\n");
  auto bad = read_log_level_file(file);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(bad.status().message().find("\"off\""), std::string::npos) << bad.status().message();
  write("");
  EXPECT_FALSE(read_log_level_file(file).ok());
  EXPECT_FALSE(read_log_level_file(dir.path() / "absent").ok());
}

TEST(NodeConfigTest, RejectsBadConfigs) {
  auto with = [](const std::string& key, json value) {
    json c = valid_config();
    c[key] = std::move(value);
    return parse_node_config(c.dump(), "/");
  };
  EXPECT_FALSE(parse_node_config("{", "/").ok());
  EXPECT_FALSE(with("node_id", 5).ok());               // not among peers
  EXPECT_FALSE(with("node_id", -1).ok());
  EXPECT_FALSE(with("listen", "127.0.0.1").ok());      // no port
  EXPECT_FALSE(with("api", "127.0.0.1:0").ok());
  EXPECT_FALSE(with("api", "127.0.0.1:70000").ok());
  EXPECT_FALSE(with("name", "").ok());
  EXPECT_FALSE(with("surprise", 1).ok());              // unknown field
  EXPECT_FALSE(with("doctor_tokens", json::array({{{"name", "x"}, {"sha256", "abcd"}}})).ok());
  json c = valid_config();
  c["peers"][1]["id"] = 0;  // duplicate id
  EXPECT_FALSE(parse_node_config(c.dump(), "/").ok());
  c = valid_config();
  c["peers"][1]["replica_key"] = std::string(64, 'z');
  EXPECT_FALSE(parse_node_config(c.dump(), "/").ok());
  c = valid_config();
  c["peers"][1]["address"] = "127.0.0.1:7000";  // duplicate address
  EXPECT_FALSE(parse_node_config(c.dump(), "/").ok());
}

// Regression: a mempool or body bound of 0 was accepted here and stopped the node later with
// "cannot start: zero queue bound", which names no field. Now the config says which one.
TEST(NodeConfigTest, ZeroMempoolAndBodyBoundsAreRefusedNamingTheField) {
  for (const std::string field : {"mempool_max_txs", "mempool_max_bytes", "max_request_body_bytes"}) {
    json c = valid_config();
    c["limits"] = {{field, 0}};
    auto parsed = parse_node_config(c.dump(), "/");
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_NE(parsed.status().message().find(field), std::string::npos) << parsed.status().message();
    EXPECT_NE(parsed.status().message().find("from 1 to"), std::string::npos) << parsed.status().message();
    c["limits"] = {{field, 1}};
    EXPECT_TRUE(parse_node_config(c.dump(), "/").ok()) << field;
  }
}

// Regression (issue 11 item 6): a config file nested deeper than the JSON bound is refused
// before it is parsed.
TEST(NodeConfigTest, DeeplyNestedConfigIsRefusedBeforeParsing) {
  auto parsed = parse_node_config("{\"name\": " + std::string(100000, '[') + std::string(100000, ']') + "}", "/");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("nests deeper than 64 levels"), std::string::npos)
      << parsed.status().to_string();
}

// HTTPS for the API (docs/deploy.md): the certificate and key come together, paths resolve like
// the others and survive a round trip; a non-loopback API without them is refused.
TEST(NodeConfigTest, TlsFieldsComeTogetherAndPlainHttpOnlyOnLoopback) {
  json c = valid_config();
  c["api"] = "0.0.0.0:8443";
  auto plain = parse_node_config(c.dump(), "/etc/hc");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("loopback"), std::string::npos) << plain.status().message();
  c["tls_certificate_file"] = "tls.pem";
  EXPECT_FALSE(parse_node_config(c.dump(), "/etc/hc").ok());  // no key
  c["tls_key_file"] = "tls.key.pem";
  auto tls = parse_node_config(c.dump(), "/etc/hc");
  ASSERT_TRUE(tls.ok()) << tls.status().to_string();
  EXPECT_TRUE(tls->api_uses_tls());
  EXPECT_EQ(tls->tls_certificate_file, "/etc/hc/tls.pem");
  EXPECT_EQ(tls->tls_key_file, "/etc/hc/tls.key.pem");
  auto again = parse_node_config(node_config_to_json(*tls), "/");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->tls_key_file, tls->tls_key_file);
  c.erase("tls_certificate_file");
  EXPECT_FALSE(parse_node_config(c.dump(), "/etc/hc").ok());  // key without certificate
  json local = valid_config();
  local["api"] = "localhost:8001";
  EXPECT_TRUE(parse_node_config(local.dump(), "/").ok());
}

// Regression: an unknown --log-level used to become spdlog's "off" and silence even fatal
// errors; it is refused instead, naming the accepted levels.
TEST(NodeLogLevelTest, UnknownLevelsAreRefusedNeverOff) {
  EXPECT_EQ(*parse_log_level("trace"), LogLevel::kTrace);
  EXPECT_EQ(*parse_log_level("info"), LogLevel::kInfo);
  EXPECT_EQ(*parse_log_level("warn"), LogLevel::kWarn);
  EXPECT_EQ(*parse_log_level("critical"), LogLevel::kCritical);
  for (const char* bad : {"verbose", "off", "", "INFO ", "warning"}) {
    auto level = parse_log_level(bad);
    ASSERT_FALSE(level.ok()) << bad;
    EXPECT_EQ(level.status().code(), ErrorCode::kInvalidInput);
    EXPECT_NE(level.status().message().find("trace, debug, info, warn, error, critical"), std::string::npos);
  }
}

TEST(NodeConfigTest, TrusteeKeyFileIsOptionalResolvedAndRoundTrips) {
  json doc = valid_config();
  auto without = parse_node_config(doc.dump(), "/etc/hc");
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->trustee_key_file.empty());
  doc["trustee_key_file"] = "trustee.key.pem";
  auto with = parse_node_config(doc.dump(), "/etc/hc");
  ASSERT_TRUE(with.ok()) << with.status().to_string();
  EXPECT_EQ(with->trustee_key_file, "/etc/hc/trustee.key.pem");
  auto again = parse_node_config(node_config_to_json(*with), "/elsewhere");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->trustee_key_file, "/etc/hc/trustee.key.pem");
  doc["trustee_key_file"] = "";
  EXPECT_FALSE(parse_node_config(doc.dump(), "/etc/hc").ok());
}

}  // namespace
}  // namespace hc::node
