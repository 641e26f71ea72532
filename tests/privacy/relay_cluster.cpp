#include "privacy/relay_cluster.h"

#include <chrono>

#include "chain/genesis.h"
#include "common/file_io.h"

namespace hc::privacy {

namespace fs = std::filesystem;

fs::path peer_trace_path(const e2e::LocalCluster& cluster, std::uint32_t node) {
  return cluster.nodes().at(node).node_dir / "peer-trace.txt";
}

Result<std::unique_ptr<e2e::LocalCluster>> up_with_relay(const fs::path& dir, std::uint32_t nodes,
                                                         nlohmann::json relay) {
  HC_ASSIGN_OR_RETURN(auto cluster, e2e::LocalCluster::up(dir, nodes));
  if (cluster->run_hc("cluster down --dir " + e2e::shell_quoted(cluster->dir().string())) != 0) {
    return Status::error(ErrorCode::kInternal, "hc cluster down failed");
  }
  for (const e2e::ClusterNode& node : cluster->nodes()) {
    HC_ASSIGN_OR_RETURN(std::string text, read_text_file(node.config_file, 1 << 20));
    nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
    if (config.is_discarded()) return Status::error(ErrorCode::kCorrupt, node.config_file.string() + " is not JSON");
    const fs::path trace = peer_trace_path(*cluster, node.id);
    std::error_code ec;
    fs::remove(trace, ec);
    nlohmann::json section = relay;
    section["peer_trace_file"] = trace.string();
    config["relay"] = section;
    HC_RETURN_IF_ERROR(write_text_file_atomic(node.config_file, config.dump(2) + "\n"));
  }
  if (cluster->run_hc("cluster start --dir " + e2e::shell_quoted(cluster->dir().string())) != 0) {
    return Status::error(ErrorCode::kUnavailable, "hc cluster start failed\n" + cluster->log_tails(15));
  }
  return cluster;
}

Result<chain::Digest> cluster_chain_id(const e2e::LocalCluster& cluster) {
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(cluster.genesis_file().string()));
  return chain::genesis_hash(genesis);
}

std::int64_t unix_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace hc::privacy
