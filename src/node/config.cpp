#include "node/config.h"

#include <nlohmann/json.hpp>

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <set>

#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"

namespace hc::node {

namespace {

using nlohmann::json;
constexpr std::size_t kMaxConfigBytes = 1024 * 1024;
constexpr std::size_t kMaxPeers = 256;
constexpr std::size_t kMaxTokens = 10000;

Status field_error(const std::string& field, const std::string& what) {
  return invalid_input("config field \"" + field + "\" " + what);
}

Result<std::string> get_string(const json& doc, const std::string& field) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return field_error(field, "must be a non-empty string");
  }
  return it->get<std::string>();
}

// `min` is 1 for bounds where 0 would refuse everything or stop the node at startup.
Result<std::uint64_t> get_uint(const json& doc, const std::string& field, std::uint64_t max, std::uint64_t min = 0) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > max ||
      it->get<std::uint64_t>() < min) {
    return field_error(field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return it->get<std::uint64_t>();
}

// "host:port" with a numeric port (0 not allowed).
Status parse_address(const std::string& field, const std::string& text, std::string& host, std::uint16_t& port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return field_error(field, "must be host:port");
  unsigned value = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value == 0 || value > 65535) return field_error(field, "has a bad port");
  host = text.substr(0, colon);
  port = static_cast<std::uint16_t>(value);
  return Status::ok_status();
}

Result<std::vector<DoctorToken>> parse_tokens(const json& doc, const std::string& field) {
  std::vector<DoctorToken> out;
  auto it = doc.find(field);
  if (it == doc.end()) return out;
  if (!it->is_array() || it->size() > kMaxTokens) return field_error(field, "must be an array of tokens");
  std::set<std::string> names;
  for (const json& t : *it) {
    if (!t.is_object()) return field_error(field, "entries must be objects");
    HC_ASSIGN_OR_RETURN(std::string name, get_string(t, "name"));
    HC_ASSIGN_OR_RETURN(std::string hex, get_string(t, "sha256"));
    auto bytes = from_hex(hex);
    if (!bytes.ok() || bytes->size() != 32) return field_error(field + "." + name, "sha256 must be 64 hex digits");
    if (!names.insert(name).second) return field_error(field, "names token " + name + " twice");
    DoctorToken token;
    token.name = name;
    std::copy(bytes->begin(), bytes->end(), token.sha256.begin());
    out.push_back(std::move(token));
  }
  return out;
}

Status parse_peers(const json& doc, NodeConfig& config) {
  auto it = doc.find("peers");
  if (it == doc.end() || !it->is_array() || it->empty() || it->size() > kMaxPeers) {
    return field_error("peers", "must list 1 to 256 replicas");
  }
  std::set<std::uint32_t> ids;
  std::set<std::string> addresses;
  for (const json& p : *it) {
    if (!p.is_object()) return field_error("peers", "entries must be objects");
    PeerConfig peer;
    HC_ASSIGN_OR_RETURN(std::uint64_t id, get_uint(p, "id", kMaxPeers - 1));
    peer.id = static_cast<std::uint32_t>(id);
    HC_ASSIGN_OR_RETURN(std::string address, get_string(p, "address"));
    HC_RETURN_IF_ERROR(parse_address("peers.address", address, peer.host, peer.port));
    HC_ASSIGN_OR_RETURN(std::string key_hex, get_string(p, "replica_key"));
    auto key = crypto::Ed25519PublicKey::from_hex(key_hex);
    if (!key.ok()) return field_error("peers.replica_key", "of peer " + std::to_string(id) + " is not an Ed25519 key");
    peer.replica_key = *key;
    if (!ids.insert(peer.id).second) return field_error("peers", "has replica id " + std::to_string(id) + " twice");
    if (!addresses.insert(address).second) return field_error("peers", "has address " + address + " twice");
    config.peers.push_back(std::move(peer));
  }
  // Ids need not be 0..n-1: a hospital that joined later has a higher id, and a joining node
  // lists the members it dials (check_genesis_matches, node.cpp, checks them against the chain).
  if (!ids.count(config.node_id)) return field_error("node_id", "is not among the peers");
  return Status::ok_status();
}

Status parse_limits(const json& doc, NodeLimits& limits) {
  auto it = doc.find("limits");
  if (it == doc.end()) return Status::ok_status();
  if (!it->is_object()) return field_error("limits", "must be an object");
  if (it->contains("max_request_body_bytes")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "max_request_body_bytes", 64u << 20, 1));
    limits.max_request_body_bytes = v;
  }
  if (it->contains("requests_per_minute_per_token")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "requests_per_minute_per_token", 1000000));
    limits.requests_per_minute_per_token = static_cast<std::uint32_t>(v);
  }
  if (it->contains("mempool_max_txs")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "mempool_max_txs", 1000000, 1));
    limits.mempool_max_txs = v;
  }
  if (it->contains("mempool_max_bytes")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "mempool_max_bytes", 4ull << 30, 1));
    limits.mempool_max_bytes = v;
  }
  return Status::ok_status();
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  std::filesystem::path path(p);
  return path.is_absolute() ? path : base / path;
}

// "relay" (docs/relay.md): every field optional, defaults in StemRelayConfig.
Status parse_relay(const json& doc, const std::filesystem::path& base_dir, NodeConfig& config) {
  auto it = doc.find("relay");
  if (it == doc.end()) return Status::ok_status();
  if (!it->is_object()) return field_error("relay", "must be an object");
  static const std::set<std::string> kKnownRelay = {"stem",           "fluff_probability", "embargo_min_ms",
                                                    "embargo_mean_ms", "embargo_max_ms",    "epoch_ms",
                                                    "max_records",    "max_bytes",         "failures_to_switch",
                                                    "peer_trace_file"};
  for (const auto& [key, value] : it->items()) {
    if (!kKnownRelay.count(key)) return invalid_input("unknown config field \"relay." + key + "\"");
  }
  StemRelayConfig& r = config.relay;
  if (it->contains("stem")) {
    if (!(*it)["stem"].is_boolean()) return field_error("relay.stem", "must be true or false");
    r.stem = (*it)["stem"].get<bool>();
  }
  if (it->contains("fluff_probability")) {
    const json& p = (*it)["fluff_probability"];
    if (!p.is_number() || !(p.get<double>() > 0.0) || p.get<double>() > 1.0) {
      return field_error("relay.fluff_probability", "must be a number above 0 and at most 1");
    }
    r.fluff_probability = p.get<double>();
  }
  constexpr std::uint64_t kHourMs = 3600 * 1000;
  if (it->contains("embargo_min_ms")) { HC_ASSIGN_OR_RETURN(r.embargo_min_ms, get_uint(*it, "embargo_min_ms", kHourMs)); }
  if (it->contains("embargo_mean_ms")) { HC_ASSIGN_OR_RETURN(r.embargo_mean_ms, get_uint(*it, "embargo_mean_ms", kHourMs)); }
  if (it->contains("embargo_max_ms")) { HC_ASSIGN_OR_RETURN(r.embargo_max_ms, get_uint(*it, "embargo_max_ms", kHourMs, 1)); }
  if (r.embargo_max_ms < r.embargo_min_ms) return field_error("relay.embargo_max_ms", "must be at least embargo_min_ms");
  if (it->contains("epoch_ms")) { HC_ASSIGN_OR_RETURN(r.epoch_ms, get_uint(*it, "epoch_ms", 24 * kHourMs, 1000)); }
  if (it->contains("max_records")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "max_records", 1000000, 1));
    r.max_records = v;
  }
  if (it->contains("max_bytes")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "max_bytes", 4ull << 30, 1));
    r.max_bytes = v;
  }
  if (it->contains("failures_to_switch")) {
    HC_ASSIGN_OR_RETURN(auto v, get_uint(*it, "failures_to_switch", 1000, 1));
    r.failures_to_switch = static_cast<std::uint32_t>(v);
  }
  if (it->contains("peer_trace_file")) {
    HC_ASSIGN_OR_RETURN(std::string trace, get_string(*it, "peer_trace_file"));
    config.peer_trace_file = resolve(base_dir, trace);
  }
  return Status::ok_status();
}

bool is_loopback(const std::string& host) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host, ec);
  return host == "localhost" || (!ec && address.is_loopback());
}

// tls_certificate_file and tls_key_file: both or neither; plain HTTP only on loopback.
Status parse_tls(const json& doc, const std::filesystem::path& base_dir, NodeConfig& config) {
  bool has_cert = doc.contains("tls_certificate_file"), has_key = doc.contains("tls_key_file");
  if (has_cert != has_key) return field_error("tls_certificate_file", "and tls_key_file must be given together");
  if (has_cert) {
    HC_ASSIGN_OR_RETURN(std::string cert, get_string(doc, "tls_certificate_file"));
    HC_ASSIGN_OR_RETURN(std::string key, get_string(doc, "tls_key_file"));
    config.tls_certificate_file = resolve(base_dir, cert);
    config.tls_key_file = resolve(base_dir, key);
  } else if (!is_loopback(config.api_host)) {
    return field_error("api", "may only be a loopback address without TLS (set tls_certificate_file and tls_key_file)");
  }
  return Status::ok_status();
}

}  // namespace

Result<LogLevel> parse_log_level(std::string_view name) {
  static const std::pair<std::string_view, LogLevel> kLevels[] = {
      {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo},
      {"warn", LogLevel::kWarn},   {"error", LogLevel::kError}, {"critical", LogLevel::kCritical}};
  for (const auto& [level_name, level] : kLevels) {
    if (name == level_name) return level;
  }
  std::string shown(name.substr(0, 64));
  return invalid_input("--log-level must be one of trace, debug, info, warn, error, critical (not \"" + shown + "\")");
}

Result<LogLevel> read_log_level_file(const std::filesystem::path& path) {
  constexpr std::size_t kMaxLevelFileBytes = 4096;
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(path, kMaxLevelFileBytes));
  std::string_view line(text);
  line = line.substr(0, line.find('\n'));
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!line.empty() && blank(line.front())) line.remove_prefix(1);
  while (!line.empty() && blank(line.back())) line.remove_suffix(1);
  auto level = parse_log_level(line);
  if (!level.ok()) {
    std::string shown(line.substr(0, 64));
    for (char& c : shown) c = (c >= 0x20 && c < 0x7f) ? c : '?';
    return invalid_input(path.string() + " must name one of trace, debug, info, warn, error, critical (not \"" + shown +
                         "\")");
  }
  return level;
}

Result<NodeConfig> parse_node_config(std::string_view json_text, const std::filesystem::path& base_dir) {
  if (!crypto::json_depth_within(json_text, crypto::kMaxJsonDepth)) {
    return invalid_input("node config nests deeper than " + std::to_string(crypto::kMaxJsonDepth) + " levels");
  }
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input("node config is not a JSON object");
  NodeConfig config;
  HC_ASSIGN_OR_RETURN(std::uint64_t id, get_uint(doc, "node_id", kMaxPeers - 1));
  config.node_id = static_cast<std::uint32_t>(id);
  HC_ASSIGN_OR_RETURN(config.name, get_string(doc, "name"));
  HC_ASSIGN_OR_RETURN(std::string data_dir, get_string(doc, "data_dir"));
  config.data_dir = resolve(base_dir, data_dir);
  HC_ASSIGN_OR_RETURN(std::string replica_key, get_string(doc, "replica_key_file"));
  config.replica_key_file = resolve(base_dir, replica_key);
  HC_ASSIGN_OR_RETURN(std::string member_key, get_string(doc, "member_key_file"));
  config.member_key_file = resolve(base_dir, member_key);
  if (doc.contains("trustee_key_file")) {
    HC_ASSIGN_OR_RETURN(std::string trustee_key, get_string(doc, "trustee_key_file"));
    config.trustee_key_file = resolve(base_dir, trustee_key);
  }
  if (doc.contains("enrollment_key_file")) {
    HC_ASSIGN_OR_RETURN(std::string enrollment_key, get_string(doc, "enrollment_key_file"));
    config.enrollment_key_file = resolve(base_dir, enrollment_key);
  }
  HC_ASSIGN_OR_RETURN(std::string genesis, get_string(doc, "genesis_file"));
  config.genesis_file = resolve(base_dir, genesis);
  HC_ASSIGN_OR_RETURN(std::string listen, get_string(doc, "listen"));
  HC_RETURN_IF_ERROR(parse_address("listen", listen, config.listen_host, config.listen_port));
  HC_ASSIGN_OR_RETURN(std::string api, get_string(doc, "api"));
  HC_RETURN_IF_ERROR(parse_address("api", api, config.api_host, config.api_port));
  HC_RETURN_IF_ERROR(parse_tls(doc, base_dir, config));
  HC_RETURN_IF_ERROR(parse_peers(doc, config));
  HC_ASSIGN_OR_RETURN(config.doctor_tokens, parse_tokens(doc, "doctor_tokens"));
  HC_ASSIGN_OR_RETURN(config.reader_tokens, parse_tokens(doc, "reader_tokens"));
  HC_ASSIGN_OR_RETURN(config.admin_tokens, parse_tokens(doc, "admin_tokens"));
  config.accounts_file = resolve(base_dir, "accounts.json");
  if (doc.contains("accounts_file")) {
    HC_ASSIGN_OR_RETURN(std::string accounts, get_string(doc, "accounts_file"));
    config.accounts_file = resolve(base_dir, accounts);
  }
  HC_RETURN_IF_ERROR(parse_limits(doc, config.limits));
  HC_RETURN_IF_ERROR(parse_relay(doc, base_dir, config));
  if (auto connections = doc.find("connections"); connections != doc.end()) {
    HC_ASSIGN_OR_RETURN(config.connections, parse_connection_limits(*connections));
  }
  for (const auto& [key, value] : doc.items()) {
    static const std::set<std::string> kKnown = {"node_id", "name", "data_dir", "replica_key_file",
                                                 "member_key_file", "genesis_file", "listen", "api",
                                                 "peers", "doctor_tokens", "reader_tokens", "admin_tokens",
                                                 "accounts_file", "limits", "connections",
                                                 "tls_certificate_file", "tls_key_file", "trustee_key_file",
                                                 "enrollment_key_file", "relay"};
    if (!kKnown.count(key)) return invalid_input("unknown config field \"" + key + "\"");
  }
  return config;
}

Result<NodeConfig> load_node_config(const std::filesystem::path& path) {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(path, kMaxConfigBytes));
  auto config = parse_node_config(text, path.parent_path().empty() ? "." : path.parent_path());
  if (!config.ok()) return config.status().with_context(path.string());
  return config;
}

std::string node_config_to_json(const NodeConfig& c) {
  json peers = json::array();
  for (const auto& p : c.peers) {
    peers.push_back({{"id", p.id}, {"address", p.host + ":" + std::to_string(p.port)},
                     {"replica_key", p.replica_key.to_hex()}});
  }
  auto tokens = [](const std::vector<DoctorToken>& list) {
    json out = json::array();
    for (const auto& t : list) out.push_back({{"name", t.name}, {"sha256", to_hex(t.sha256)}});
    return out;
  };
  json doc = {{"node_id", c.node_id},
              {"name", c.name},
              {"data_dir", c.data_dir.string()},
              {"replica_key_file", c.replica_key_file.string()},
              {"member_key_file", c.member_key_file.string()},
              {"genesis_file", c.genesis_file.string()},
              {"listen", c.listen_host + ":" + std::to_string(c.listen_port)},
              {"api", c.api_host + ":" + std::to_string(c.api_port)},
              {"peers", peers},
              {"doctor_tokens", tokens(c.doctor_tokens)},
              {"reader_tokens", tokens(c.reader_tokens)},
              {"admin_tokens", tokens(c.admin_tokens)},
              {"limits",
               {{"max_request_body_bytes", c.limits.max_request_body_bytes},
                {"requests_per_minute_per_token", c.limits.requests_per_minute_per_token},
                {"mempool_max_txs", c.limits.mempool_max_txs},
                 {"mempool_max_bytes", c.limits.mempool_max_bytes}}},
              {"connections", connection_limits_to_json(c.connections)}};
  json relay = {{"stem", c.relay.stem},
                {"fluff_probability", c.relay.fluff_probability},
                {"embargo_min_ms", c.relay.embargo_min_ms},
                {"embargo_mean_ms", c.relay.embargo_mean_ms},
                {"embargo_max_ms", c.relay.embargo_max_ms},
                {"epoch_ms", c.relay.epoch_ms},
                {"max_records", c.relay.max_records},
                {"max_bytes", c.relay.max_bytes},
                {"failures_to_switch", c.relay.failures_to_switch}};
  if (!c.peer_trace_file.empty()) relay["peer_trace_file"] = c.peer_trace_file.string();
  doc["relay"] = relay;
  if (!c.accounts_file.empty()) doc["accounts_file"] = c.accounts_file.string();
  if (!c.trustee_key_file.empty()) doc["trustee_key_file"] = c.trustee_key_file.string();
  if (!c.enrollment_key_file.empty()) doc["enrollment_key_file"] = c.enrollment_key_file.string();
  if (c.api_uses_tls()) {
    doc["tls_certificate_file"] = c.tls_certificate_file.string();
    doc["tls_key_file"] = c.tls_key_file.string();
  }
  return doc.dump(2) + "\n";
}

}  // namespace hc::node
