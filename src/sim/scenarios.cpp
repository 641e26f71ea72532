#include "sim/scenarios.h"

#include <algorithm>

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

std::vector<std::string> reconfig_scenario_names() {
  std::vector<std::string> names;
  for (const char* r : {"join", "leave", "swap", "lagging", "stall", "chaos", "primary-leaves", "two-faced",
                        "byzantine-joiner"}) {
    names.push_back(std::string("reconfig-") + r);
  }
  return names;
}

std::uint64_t reconfig_height(std::uint64_t seed) { return 4 + seed % 9; }

bool apply_reconfig(SimConfig& c, const std::string& kind, std::uint64_t at_height) {
  consensus::ConsensusConfig& k = c.consensus;
  const std::uint32_t n = k.replica_count;
  consensus::AcceptedChange change{at_height, {}};
  const bool join = kind == "join" || kind == "swap";
  const bool leave = kind == "leave" || kind == "swap";
  if (!join && !leave) return false;
  for (consensus::ReplicaId r = leave ? 1 : 0; r < n; ++r) change.members.push_back(r);
  if (join) change.members.push_back(n);
  if (change.members.size() < 4) return false;
  k.replica_id_space = std::max(k.id_space(), join ? n + 1 : n);
  c.changes.push_back(std::move(change));
  // The boundary (about 20 to 30 blocks in) falls inside the load; a waiting change makes
  // the primary propose empty blocks when idle, often enough for the healing period.
  c.duration_ms = std::max<std::uint64_t>(c.duration_ms, 2000);
  k.idle_block_interval_ms = 50;
  return true;
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
  const std::string reconfig = "reconfig-";
  if (name.rfind(reconfig, 0) == 0) {
    const std::string kind = name.substr(reconfig.size());
    const std::uint64_t at = reconfig_height(seed);
    if (kind == "join" || kind == "leave" || kind == "swap") {
      return apply_reconfig(c, kind, at) ? std::optional<SimConfig>(c) : std::nullopt;
    }
    if (kind == "lagging") {  // a continuing member cut off across the boundary
      if (!apply_reconfig(c, "swap", at)) return std::nullopt;
      c.isolate_replica = 1;
      c.isolate_from_ms = 100;
      c.isolate_for_ms = 1500;
      return c;
    }
    if (kind == "stall") {  // replica 0 goes silent at the boundary: views change there
      if (!apply_reconfig(c, "join", at)) return std::nullopt;
      c.byzantine = 1;
      c.strategy = Strategy::kStallAtBoundary;
      return c;
    }
    if (kind == "chaos") {
      if (!apply_reconfig(c, "swap", at)) return std::nullopt;
      c.net.loss = 0.03;
      c.net.duplicate = 0.03;
      c.crashes = 3;
      c.partitions = 1;
      return c;
    }
    if (kind == "primary-leaves") {  // the first primary is Byzantine (equivocates) and leaves
      if (!apply_reconfig(c, "leave", at)) return std::nullopt;
      c.byzantine = 1;
      c.strategy = Strategy::kEquivocate;
      return c;
    }
    if (kind == "two-faced") {  // f replicas vote both ways, in both configurations, across a swap
      if (!apply_reconfig(c, "swap", at)) return std::nullopt;
      c.byzantine = c.consensus.f();
      c.strategy = Strategy::kTwoFaced;
      return c;
    }
    if (kind == "byzantine-joiner") {  // the joining replica is Byzantine (its strategy by seed)
      if (!apply_reconfig(c, "join", at)) return std::nullopt;
      constexpr Strategy kJoinerStrategies[] = {Strategy::kTwoFaced, Strategy::kWrongDigest, Strategy::kSilent,
                                                Strategy::kEquivocate, Strategy::kFutureCheckpoint,
                                                Strategy::kFetchFlood, Strategy::kReplay};
      c.joiner_strategy = kJoinerStrategies[seed % std::size(kJoinerStrategies)];
      return c;
    }
    return std::nullopt;
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
