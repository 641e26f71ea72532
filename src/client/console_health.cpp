#include "client/console_health.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace hc::client {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxMetricsLines = 20000;

bool count_value(const json& j) { return j.is_number_integer() && j.get<std::int64_t>() >= 0; }

// The fields of GET /v1/status the page shows, with the JSON type each must have.
json status_fields(const json& status) {
  json out = json::object();
  if (!status.is_object()) return out;
  for (const char* key : {"height", "view", "primary", "epoch", "member_epoch", "mempool_txs", "node_id"}) {
    if (status.contains(key) && count_value(status[key])) out[key] = status[key];
  }
  for (const char* key : {"healthy", "in_view_change", "catching_up", "revoked"}) {
    if (status.contains(key) && status[key].is_boolean()) out[key] = status[key];
  }
  for (const char* key : {"name", "version", "chain_id"}) {
    if (status.contains(key) && status[key].is_string() && status[key].get_ref<const std::string&>().size() <= 128) {
      out[key] = status[key];
    }
  }
  if (status.contains("peers") && status["peers"].is_array()) {
    json peers = json::array();
    for (const json& p : status["peers"]) {
      if (peers.size() == kConsoleMaxHealthPeers) break;
      if (p.is_object() && p.contains("id") && count_value(p["id"]) && p.contains("connected") &&
          p["connected"].is_boolean()) {
        peers.push_back({{"id", p["id"]}, {"connected", p["connected"]}});
      }
    }
    out["peers"] = std::move(peers);
  }
  return out;
}

}  // namespace

json commit_counters(std::string_view text) {
  json out = {{"txs", 0.0}, {"blocks", 0.0}, {"latency_sum_s", 0.0}, {"latency_count", 0.0}};
  const std::pair<std::string_view, const char*> wanted[] = {
      {"hc_transactions_committed_total", "txs"},
      {"hc_blocks_committed_total", "blocks"},
      {"hc_block_commit_latency_seconds_sum", "latency_sum_s"},
      {"hc_block_commit_latency_seconds_count", "latency_count"}};
  std::size_t lines = 0;
  while (!text.empty() && lines++ < kMaxMetricsLines) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t space = line.find(' ');
    if (line.empty() || line[0] == '#' || space == std::string_view::npos) continue;
    for (const auto& [name, key] : wanted) {
      if (line.substr(0, space) != name) continue;
      const std::string value(line.substr(space + 1));
      char* parsed_end = nullptr;
      const double v = std::strtod(value.c_str(), &parsed_end);
      if (parsed_end != value.c_str() && *parsed_end == '\0' && std::isfinite(v) && v >= 0) out[key] = v;
    }
  }
  return out;
}

json consortium_health(const std::vector<NodeProbe>& probes) {
  json nodes = json::array();
  for (const NodeProbe& probe : probes) {
    json entry = {{"url", probe.url}};
    auto status = probe.status();
    if (!status.ok()) {
      entry["error"] = status.status().message();
      nodes.push_back(std::move(entry));
      continue;
    }
    entry["status"] = status_fields(*status);
    auto metrics = probe.metrics();
    if (metrics.ok()) {
      entry["metrics"] = commit_counters(*metrics);
    } else {
      entry["error"] = metrics.status().message();
    }
    nodes.push_back(std::move(entry));
  }
  return {{"nodes", std::move(nodes)}};
}

}  // namespace hc::client
