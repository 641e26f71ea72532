// The access console's view of the consortium's health (issue 17; docs/web.md, "The access
// console"): for each node the console was given, what its public GET /v1/status says
// (height, view, primary, epochs, peers...) and the commit counters of its public /metrics
// (transactions and blocks committed, block commit latency sum and count), from which the
// page charts commits per minute and the mean commit latency between two samples. A node that
// does not answer is listed with the reason. Only named fields of the expected types are
// passed on, so a node cannot make the answer grow past its fixed shape (peers: at most
// kConsoleMaxHealthPeers). Pure apart from the injected probes; thread-compatible.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace hc::client {

inline constexpr std::size_t kConsoleMaxHealthNodes = 16;
inline constexpr std::size_t kConsoleMaxHealthPeers = 64;

struct NodeProbe {
  std::string url;
  std::function<Result<nlohmann::json>()> status;   // GET /v1/status
  std::function<Result<std::string>()> metrics;     // GET /metrics (public)
};

// {"txs","blocks","latency_sum_s","latency_count"} of the unlabelled samples of
// hc_transactions_committed_total, hc_blocks_committed_total and
// hc_block_commit_latency_seconds_{sum,count} (a missing one reads 0).
nlohmann::json commit_counters(std::string_view metrics_text);

// {"nodes": [{"url", "status"?: {...}, "metrics"?: {...}, "error"?}]}, one entry per probe.
nlohmann::json consortium_health(const std::vector<NodeProbe>& probes);

}  // namespace hc::client
