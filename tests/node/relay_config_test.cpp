// node.json's "relay" section (docs/node.md, docs/relay.md): defaults, every field read and
// written back, and bad values refused with a message naming the field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/ed25519.h"
#include "node/config.h"

namespace hc::node {
namespace {

using nlohmann::json;

json relay_test_config() {
  auto k0 = crypto::Ed25519PrivateKey::generate();
  return {{"node_id", 0},
          {"name", "st-mary"},
          {"data_dir", "data"},
          {"replica_key_file", "replica.key.pem"},
          {"member_key_file", "member.key"},
          {"genesis_file", "genesis.json"},
          {"listen", "127.0.0.1:7001"},
          {"api", "127.0.0.1:8001"},
          {"peers", {{{"id", 0}, {"address", "127.0.0.1:7001"}, {"replica_key", k0->public_key().to_hex()}}}}};
}

TEST(RelayConfigTest, DefaultsWhenAbsent) {
  auto c = parse_node_config(relay_test_config().dump(), "/etc/hc");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_TRUE(c->relay.stem);
  EXPECT_DOUBLE_EQ(c->relay.fluff_probability, StemRelayConfig{}.fluff_probability);
  EXPECT_EQ(c->relay.embargo_max_ms, StemRelayConfig{}.embargo_max_ms);
  EXPECT_TRUE(c->peer_trace_file.empty());
}

TEST(RelayConfigTest, ReadsEveryFieldAndWritesThemBack) {
  json doc = relay_test_config();
  doc["relay"] = json::parse(R"({"stem": false, "fluff_probability": 0.25, "embargo_min_ms": 200,
      "embargo_mean_ms": 300, "embargo_max_ms": 900, "epoch_ms": 60000, "max_records": 10,
      "max_bytes": 5000, "failures_to_switch": 4, "peer_trace_file": "trace.txt"})");
  auto c = parse_node_config(doc.dump(), "/etc/hc");
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  auto check = [](const NodeConfig& n) {
    EXPECT_FALSE(n.relay.stem);
    EXPECT_DOUBLE_EQ(n.relay.fluff_probability, 0.25);
    EXPECT_EQ(n.relay.embargo_min_ms, 200u);
    EXPECT_EQ(n.relay.embargo_mean_ms, 300u);
    EXPECT_EQ(n.relay.embargo_max_ms, 900u);
    EXPECT_EQ(n.relay.epoch_ms, 60000u);
    EXPECT_EQ(n.relay.max_records, 10u);
    EXPECT_EQ(n.relay.max_bytes, 5000u);
    EXPECT_EQ(n.relay.failures_to_switch, 4u);
    EXPECT_EQ(n.peer_trace_file, "/etc/hc/trace.txt");
  };
  check(*c);
  auto again = parse_node_config(node_config_to_json(*c), "/");
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  check(*again);
}

TEST(RelayConfigTest, RefusesBadValuesNamingTheField) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({"stem": 1})", "relay.stem"},
      {R"({"fluff_probability": 0})", "relay.fluff_probability"},
      {R"({"fluff_probability": 1.5})", "relay.fluff_probability"},
      {R"({"fluff_probability": "high"})", "relay.fluff_probability"},
      {R"({"embargo_min_ms": 3000, "embargo_max_ms": 2000})", "embargo_max_ms"},
      {R"({"max_records": 0})", "max_records"},
      {R"({"epoch_ms": 5})", "epoch_ms"},
      {R"({"stems": true})", "relay.stems"},
      {R"([1])", "relay"},
  };
  for (const auto& [text, field] : bad) {
    json doc = relay_test_config();
    doc["relay"] = json::parse(text);
    auto c = parse_node_config(doc.dump(), "/");
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_NE(c.status().message().find(field), std::string::npos) << c.status().message();
  }
}

}  // namespace
}  // namespace hc::node
