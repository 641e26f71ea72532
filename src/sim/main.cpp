// hc-sim: runs simulated PBFT clusters from flags; exits 1 with the failing seed and a trace
// on any safety or liveness violation, 2 on bad flags.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "common/version.h"
#include "sim/projection.h"
#include "sim/scenarios.h"
#include "sim/simulator.h"

namespace {

struct Flags {
  std::string scenario = "normal";
  std::uint64_t seed = 1;
  std::uint64_t seeds = 1;
  std::uint32_t replicas = 4;
  std::optional<std::uint32_t> byzantine;
  std::string strategy;
  std::optional<std::uint32_t> crashes;
  std::optional<std::uint32_t> partitions;
  std::optional<double> loss;
  std::optional<double> duplicate;
  std::optional<std::uint64_t> duration_ms;
  std::optional<std::uint64_t> heal_ms;
  std::optional<std::uint64_t> max_depositions;
  std::string reconfig;                    // join | leave | swap (section 2c)
  std::optional<std::uint64_t> change_at;  // height of the accepting block (default: by seed)
  bool real_crypto = false;
  bool verbose = false;
  bool keep_going = false;
  bool list_scenarios = false;
  bool list_reconfig_scenarios = false;
  std::size_t trace_lines = 200;
  std::string projection_csv;
  std::vector<std::uint32_t> sizes = {4, 7, 10, 16, 30, 50, 80, 100, 120};
  double sign_us = 0;
  double verify_us = 0;
  double group_verify_us = 1500;
  std::string group_verify_model = "per-tx";
  std::string group_batch_us;
  double latency_us = 100;
  std::uint32_t tx_bytes = 512;
  std::uint32_t batch = 400;
  double offered = 1000;
};

int fail_flags(const std::string& message) {
  std::cerr << "hc-sim: " << message << "\n";
  return 2;
}

std::optional<hc::sim::SimConfig> build(const Flags& f, std::uint64_t seed, std::string& error) {
  auto c = hc::sim::scenario_config(f.scenario, f.replicas, seed);
  if (!c) {
    error = "unknown scenario '" + f.scenario + "'";
    return std::nullopt;
  }
  if (f.byzantine) c->byzantine = *f.byzantine;
  if (!f.strategy.empty()) {
    auto s = hc::sim::parse_strategy(f.strategy);
    if (!s) {
      error = "unknown strategy '" + f.strategy + "'";
      return std::nullopt;
    }
    c->strategy = *s;
    if (!f.byzantine) c->byzantine = c->consensus.f();
  }
  if (f.crashes) c->crashes = *f.crashes;
  if (f.partitions) c->partitions = *f.partitions;
  if (f.loss) c->net.loss = *f.loss;
  if (f.duplicate) c->net.duplicate = *f.duplicate;
  if (f.duration_ms) c->duration_ms = *f.duration_ms;
  if (f.heal_ms) c->heal_ms = *f.heal_ms;
  if (f.max_depositions) c->max_honest_depositions = *f.max_depositions;
  if (!f.reconfig.empty()) {
    const std::uint64_t at = f.change_at.value_or(hc::sim::reconfig_height(seed));
    if (at == 0 || !hc::sim::apply_reconfig(*c, f.reconfig, at)) {
      error = "--reconfig must be join, leave (needs --replicas >= 5) or swap, and --change-at a positive height";
      return std::nullopt;
    }
    if (f.duration_ms) c->duration_ms = *f.duration_ms;
  }
  c->real_crypto = f.real_crypto;
  c->trace_lines = f.trace_lines;
  const hc::Status valid = c->consensus.validate();
  if (!valid.ok()) {
    error = valid.message();
    return std::nullopt;
  }
  if (c->byzantine > c->consensus.f()) {
    error = "--byzantine must be at most f = (n-1)/3";
    return std::nullopt;
  }
  return c;
}

// The command line that replays one seed with every flag that shaped the run.
std::string replay_command(const Flags& f, std::uint64_t seed) {
  std::string cmd = "hc-sim --scenario " + f.scenario + " --replicas " + std::to_string(f.replicas) +
                    " --seed " + std::to_string(seed);
  auto add = [&cmd](const char* flag, const std::string& value) { cmd += std::string(" ") + flag + " " + value; };
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    return std::string(buf);
  };
  if (f.byzantine) add("--byzantine", std::to_string(*f.byzantine));
  if (!f.strategy.empty()) add("--strategy", f.strategy);
  if (f.crashes) add("--crash", std::to_string(*f.crashes));
  if (f.partitions) add("--partition", std::to_string(*f.partitions));
  if (f.loss) add("--loss", num(*f.loss));
  if (f.duplicate) add("--duplicate", num(*f.duplicate));
  if (f.duration_ms) add("--duration", std::to_string(*f.duration_ms));
  if (f.heal_ms) add("--heal", std::to_string(*f.heal_ms));
  if (f.max_depositions) add("--max-depositions", std::to_string(*f.max_depositions));
  if (!f.reconfig.empty()) add("--reconfig", f.reconfig);
  if (f.change_at) add("--change-at", std::to_string(*f.change_at));
  if (f.real_crypto) cmd += " --real-crypto";
  return cmd;
}

// Runs the seeds; stops at the first violation unless --keep-going, which reports each
// failing seed on one line with its replay command and ends with a summary line.
int run_seeds(const Flags& f) {
  std::uint64_t failures = 0;
  std::uint64_t run = 0;
  std::uint64_t depositions = 0;
  for (std::uint64_t seed = f.seed; seed < f.seed + f.seeds; ++seed) {
    std::string error;
    auto config = build(f, seed, error);
    if (!config) return fail_flags(error);
    const hc::sim::RunResult r = hc::sim::run_simulation(*config);
    ++run;
    depositions += r.honest_depositions;
    if (f.verbose || (!r.ok && !f.keep_going)) {
      std::string configs;
      for (std::size_t i = 0; i < r.replica_config.size(); ++i) {
        configs += (i > 0 ? "," : "") + std::to_string(r.replica_config[i]) + (r.replica_member[i] ? "" : "L");
      }
      std::printf("seed %llu: %s height=%llu committed=%llu/%llu view_changes=%llu deposed=%llu fetched=%llu "
                  "events=%llu configs=%s next_config_kept=%llu fingerprint=%016llx\n",
                  static_cast<unsigned long long>(seed), r.ok ? "ok" : "VIOLATION",
                  static_cast<unsigned long long>(r.final_height),
                  static_cast<unsigned long long>(r.committed_txs),
                  static_cast<unsigned long long>(r.submitted_txs),
                  static_cast<unsigned long long>(r.view_changes),
                  static_cast<unsigned long long>(r.honest_depositions),
                  static_cast<unsigned long long>(r.blocks_fetched),
                  static_cast<unsigned long long>(r.events), configs.c_str(),
                  static_cast<unsigned long long>(r.next_config_messages_kept),
                  static_cast<unsigned long long>(r.fingerprint));
    }
    if (r.ok) continue;
    ++failures;
    if (f.keep_going) {
      std::printf("VIOLATION seed %llu: %s\n  replay: %s\n", static_cast<unsigned long long>(seed),
                  r.violation.c_str(), replay_command(f, seed).c_str());
      std::fflush(stdout);
      continue;
    }
    std::printf("FAILED seed %llu (scenario %s, n=%u): %s\n-- last events --\n",
                static_cast<unsigned long long>(seed), f.scenario.c_str(), f.replicas,
                r.violation.c_str());
    for (const std::string& line : r.trace) std::printf("%s\n", line.c_str());
    std::printf("-- replay: %s\n", replay_command(f, seed).c_str());
    return 1;
  }
  std::printf("%s n=%u: %llu seeds run, %llu violations, %llu honest primaries deposed\n",
              f.scenario.c_str(), f.replicas, static_cast<unsigned long long>(run),
              static_cast<unsigned long long>(failures), static_cast<unsigned long long>(depositions));
  return failures == 0 ? 0 : 1;
}

int run_projection(const Flags& f) {
  hc::sim::ProjectionParams p;
  p.sizes = f.sizes;
  p.cpu.sign_us = f.sign_us;
  p.cpu.verify_us = f.verify_us;
  p.cpu.group_verify_us = f.group_verify_us;
  if (f.group_verify_model == "per-block") {
    if (f.group_batch_us.empty()) return fail_flags("--group-verify-model per-block needs --group-batch-us");
    auto curve = hc::sim::parse_batch_cost_curve(f.group_batch_us);
    if (!curve.ok()) return fail_flags("--group-batch-us: " + curve.status().message());
    p.cpu.group_model = hc::sim::GroupVerifyModel::kPerBlock;
    p.cpu.group_batch = std::move(curve).value();
  } else if (!f.group_batch_us.empty()) {
    return fail_flags("--group-batch-us applies to --group-verify-model per-block only");
  }
  p.cpu.per_event_us = 2;
  p.cpu.per_byte_ns = 0.5;
  p.net.base_latency_us = static_cast<std::uint64_t>(f.latency_us);
  p.net.jitter_mean_us = f.latency_us / 2;
  p.tx_bytes = f.tx_bytes;
  p.batch_txs = f.batch;
  p.seed = f.seed;
  p.offered_tx_per_s = f.offered;
  if (f.duration_ms) p.duration_ms = *f.duration_ms;
  std::ofstream out(f.projection_csv);
  if (!out) return fail_flags("cannot write " + f.projection_csv);
  out << hc::sim::projection_csv_header() << "\n";
  std::printf("%s\n", hc::sim::projection_csv_header().c_str());
  for (std::uint32_t n : p.sizes) {
    const hc::sim::ProjectionRow row = hc::sim::project_one(p, n);
    out << hc::sim::projection_csv_row(row) << "\n";
    std::printf("%s\n", hc::sim::projection_csv_row(row).c_str());
    std::fflush(stdout);
    if (!row.ok) return fail_flags("projection run violated a safety check");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hc-sim: deterministic PBFT cluster simulator"};
  app.set_version_flag("--version", hc::version_line("hc-sim"));
  Flags f;
  app.add_option("--scenario", f.scenario,
                 "normal|lossy|crash|partition|chaos|byzantine-<strategy>|reconfig-<kind> (--list-scenarios)");
  app.add_option("--seed", f.seed, "first seed");
  app.add_option("--seeds", f.seeds, "number of consecutive seeds to run")->check(CLI::PositiveNumber);
  app.add_option("--replicas", f.replicas, "cluster size n")->check(CLI::Range(4, 200));
  app.add_option("--byzantine", f.byzantine, "number of Byzantine replicas (<= f)");
  app.add_option("--strategy", f.strategy,
                 "equivocate|silent|slow|wrong-digest|bad-signature|replay|censor|future-flood|"
                 "depose|oversized|fetch-flood|future-checkpoint|timestamp-skew|bad-group-sig|two-faced|"
                 "stall-at-boundary");
  app.add_option("--crash", f.crashes, "crash/restart events");
  app.add_option("--partition", f.partitions, "partition episodes");
  app.add_option("--loss", f.loss, "message loss probability")->check(CLI::Range(0.0, 0.9));
  app.add_option("--duplicate", f.duplicate, "duplication probability")->check(CLI::Range(0.0, 0.9));
  app.add_option("--duration", f.duration_ms, "faulty/load period, virtual ms");
  app.add_option("--heal", f.heal_ms, "fault-free period before the liveness check, virtual ms");
  app.add_option("--max-depositions", f.max_depositions,
                 "fail if more views with an honest primary are abandoned (default: the scenario's)");
  app.add_option("--reconfig", f.reconfig,
                 "also change the replica set during the run: join (replica n joins), leave (replica 0 "
                 "leaves) or swap (both)");
  app.add_option("--change-at", f.change_at, "height of the block that accepts --reconfig's change (default 4..12 "
                 "by seed)");
  app.add_flag("--real-crypto", f.real_crypto, "sign with Ed25519 instead of the simulation's digest authenticator");
  app.add_flag("--verbose", f.verbose, "print a line per seed");
  app.add_flag("--keep-going", f.keep_going,
               "run every seed; print each violation with its replay command, then a summary");
  app.add_flag("--list-scenarios", f.list_scenarios, "print the scenario names, one a line");
  app.add_flag("--list-reconfig-scenarios", f.list_reconfig_scenarios,
               "print the reconfiguration scenario names (docs/consensus.md 2c), one a line");
  app.add_option("--trace-lines", f.trace_lines, "events kept for a failure report");
  app.add_option("--projection", f.projection_csv, "write the Figure 9/10 projection CSV here");
  app.add_option("--sizes", f.sizes, "cluster sizes for --projection")->delimiter(',');
  app.add_option("--sign-us", f.sign_us, "virtual cost of one Ed25519 signature");
  app.add_option("--verify-us", f.verify_us, "virtual cost of one Ed25519 verification");
  app.add_option("--group-verify-us", f.group_verify_us,
                 "virtual cost of verifying one transaction's group signature");
  app.add_option("--group-verify-model", f.group_verify_model,
                 "per-tx: --group-verify-us for each transaction's admission (default); per-block: "
                 "each block's unverified transactions as one batch costed by --group-batch-us")
      ->check(CLI::IsMember({"per-tx", "per-block"}));
  app.add_option("--group-batch-us", f.group_batch_us,
                 "measured batch cost curve for per-block: SIZE:US_PER_SIGNATURE,... ascending, "
                 "e.g. 1:1424,10:620,100:350 (linear between points, flat beyond)");
  app.add_option("--latency-us", f.latency_us, "one-way LAN latency for --projection");
  app.add_option("--tx-bytes", f.tx_bytes, "transaction size for --projection");
  app.add_option("--batch", f.batch, "max transactions per block for --projection");
  app.add_option("--offered", f.offered, "offered load (tx/s) of the throughput run of --projection");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string line = e.what();
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::fprintf(stderr, "hc-sim: error: %s (see hc-sim --help)\n", line.c_str());
    return 2;
  }
  if (f.list_scenarios) {
    for (const std::string& name : hc::sim::scenario_names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (f.list_reconfig_scenarios) {
    for (const std::string& name : hc::sim::reconfig_scenario_names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (!f.projection_csv.empty()) return run_projection(f);
  return run_seeds(f);
}
