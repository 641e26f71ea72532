#include "sim/scenarios.h"

namespace hc::sim {

consensus::ChainId sim_chain_id() {
  constexpr std::string_view kName = "HC-SIM/1/chain";
  return consensus::sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(kName.data()), kName.size()));
}

SimConfig base_config(std::uint32_t replicas, std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  consensus::ConsensusConfig& k = c.consensus;
  k.replica_count = replicas;
  k.chain_id = sim_chain_id();
  k.max_batch_txs = 16;
  k.max_batch_delay_ms = 15;
  k.checkpoint_interval_blocks = 4;
  k.window_blocks = 16;
  k.max_inflight_blocks = 4;
  k.request_timeout_ms = 300;
  k.view_change_timeout_ms = 300;
  k.max_view_change_timeout_ms = 2400;
  k.fetch_retry_ms = 100;
  k.max_fetch_blocks = 8;
  // One client per hospital, ~100 transactions per second in all.
  c.clients = replicas;
  c.tx_interval_mean_us = 10000.0 * replicas;
  c.client_retry_ms = 1000;
  c.duration_ms = 800;
  c.heal_ms = 15000;
  c.net.base_latency_us = 500;
  c.net.jitter_mean_us = 400;
  c.cpu.per_event_us = 5;
  // The largest message a replica accepts (NEW-VIEWs of n = 16 stay far below it); blocks are
  // bounded so that one block of the largest size still fits a message (config.validate()).
  k.max_batch_bytes = 256u << 10;
  k.max_message_bytes = 1u << 20;
  // Honest primaries stamp blocks with their clock; none may run ahead of it by 10 s.
  c.max_block_time_ahead_ms = 10'000;
  return c;
}

std::vector<std::string> scenario_names() {
  std::vector<std::string> names = {"normal", "lossy", "crash", "partition", "chaos", "long-chaos"};
  for (Strategy s : all_strategies()) names.push_back(std::string("byzantine-") + strategy_name(s));
  return names;
}

std::optional<SimConfig> scenario_config(const std::string& name, std::uint32_t replicas,
                                         std::uint64_t seed) {
  SimConfig c = base_config(replicas, seed);
  if (name == "normal") return c;
  if (name == "lossy") {
    c.net.loss = 0.05;
    c.net.duplicate = 0.05;
    return c;
  }
  if (name == "crash") {
    c.crashes = 4;
    return c;
  }
  if (name == "partition") {
    c.partitions = 2;
    return c;
  }
  if (name == "chaos") {
    c.net.loss = 0.03;
    c.net.duplicate = 0.03;
    c.crashes = 3;
    c.partitions = 1;
    return c;
  }
  if (name == "long-chaos") {  // an 8 s fault period with f silent replicas on top
    c.net.loss = 0.05;
    c.net.duplicate = 0.05;
    c.crashes = 4;
    c.partitions = 3;
    c.duration_ms = 8000;
    c.byzantine = c.consensus.f() > 1 ? c.consensus.f() - 1 : 0;  // leaves room for crashes
    c.strategy = Strategy::kSilent;
    return c;
  }
  const std::string prefix = "byzantine-";
  if (name.rfind(prefix, 0) == 0) {
    auto strategy = parse_strategy(name.substr(prefix.size()));
    if (!strategy || *strategy == Strategy::kNone) return std::nullopt;
    c.byzantine = c.consensus.f();
    c.strategy = *strategy;
    // Every verification costs what BBS04 costs on the reference machine (docs/consensus.md).
    if (*strategy == Strategy::kBadGroupSig) c.cpu.group_verify_us = 1424;
    return c;
  }
  return std::nullopt;
}

}  // namespace hc::sim
