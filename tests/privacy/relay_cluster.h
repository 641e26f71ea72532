// A local consortium (tests/e2e/local_cluster.h) whose nodes run with a given node.json
// "relay" section and each write their peer trace (node/peer_trace.h) to peer-trace.txt in
// their directory: the setup of the anonymity harness and of the stem robustness test.
// Not thread-safe: one test thread drives one cluster.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "chain/digest.h"
#include "e2e/local_cluster.h"

namespace hc::privacy {

// `hc cluster up`, then every node stopped, its node.json given `relay` (peer_trace_file
// added) and the consortium started again with fresh traces.
Result<std::unique_ptr<e2e::LocalCluster>> up_with_relay(const std::filesystem::path& dir, std::uint32_t nodes,
                                                         nlohmann::json relay);

// Where node `node`'s peer trace is.
std::filesystem::path peer_trace_path(const e2e::LocalCluster& cluster, std::uint32_t node);

// The chain id (genesis hash) the nodes derive their stem cycles from.
Result<chain::Digest> cluster_chain_id(const e2e::LocalCluster& cluster);

// Microseconds since the Unix epoch (the clock of the peer traces).
std::int64_t unix_now_us();

}  // namespace hc::privacy
