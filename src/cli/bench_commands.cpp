// `hc bench --dir D`: load against a running local consortium with real records, on the nodes
// of the members in force as the change history verified from the genesis proves them
// (bench_targets.h: a joined hospital's node is trusted by its verified CA, a departed one is
// neither loaded nor counted). Records are sealed beforehand (fresh AES key, RSA-OAEP wrap; on
// a trustees-mode chain envelope version 2 to the access key verified from the chain), then
// posted round-robin to every hospital at a target rate, each hospital's over one kept
// connection; each hospital group-signs its records and every replica verifies every group
// signature. A follower reads committed blocks from one node and times each record from
// its submission to the moment its block was seen committed. Prints throughput, median and p99
// latency and the group-signature verification bound (cores / (replicas x one record's
// verification), that cost timed after the run on the first node's ledger, which the run
// filled: the replicas' own check, each block's records together), and writes one CSV row per
// record.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "cli/bench_commit_book.h"
#include "cli/bench_targets.h"
#include "cli/cluster_state.h"
#include "cli/commands.h"
#include "cli/ledger_snapshot.h"
#include "client/access_key_trust.h"
#include "client/envelope_key_trust.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"
#include "net/http_session.h"
#include "node/ledger_bridge.h"

namespace hc::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct BenchArgs {
  std::string dir, csv = "bench-records.csv";
  double rate = 100;
  double duration_s = 20;
  double verify_ms = 0;  // one group-signature verification for the bound; 0: measured on the ledger
};

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// The replicas' group-signature check timed on a node's ledger, which this run just filled.
struct VerificationCost {
  std::uint64_t records = 0;
  double ms_per_record = 0;
};

// `hc chain verify`'s walk over the node's ledger (a read-only snapshot, the node running on),
// timing its group-signature checks alone: each block's records verified together on one
// thread, as every replica verifies them. A ledger that does not verify, or holds no group
// signature, is an error (the bound would mean nothing).
Result<VerificationCost> measure_verification_cost(const ClusterNodeState& node) {
  HC_ASSIGN_OR_RETURN(auto store, open_ledger_snapshot(ledger_directory(node.data_dir.string())));
  HC_ASSIGN_OR_RETURN(auto certificates, node::PbftCertificateVerifier::create(store->genesis()));
  HC_ASSIGN_OR_RETURN(auto group, chain::Bbs04RecordVerifier::create(store->genesis().group_public_key));
  HC_ASSIGN_OR_RETURN(chain::ChainReport report, chain::verify_chain(*store, *certificates, group.get()));
  if (report.first_fault) {
    return Status::error(ErrorCode::kCorrupt, node.name + "'s ledger does not verify at block " +
                                                  std::to_string(report.first_fault->height) + ": " +
                                                  report.first_fault->what);
  }
  if (report.group_signatures_checked == 0) {
    return Status::error(ErrorCode::kUnavailable, node.name + "'s ledger holds no group signature to time");
  }
  const double ms = std::chrono::duration<double, std::milli>(report.group_signature_time).count();
  return VerificationCost{report.group_signatures_checked, ms / static_cast<double>(report.group_signatures_checked)};
}

// A record sealed for the bench: version 1 (single-manager chain) or 2 (trustees mode).
using BenchRecord = std::variant<crypto::SealedRecord, crypto::SealedRecordV2>;

Result<std::vector<BenchRecord>> seal_records(const client::NodeClient& node, const ClusterState& state,
                                              std::size_t count) {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(state.genesis));
  trust.follow_changes_with(node);  // a key certified above a membership change's boundary
  std::optional<crypto::EnvelopePublicKey> manager_key;
  std::optional<crypto::P256Point> access_key;
  if (trust.genesis().access_mode == chain::AccessMode::kTrustees) {
    HC_ASSIGN_OR_RETURN(client::TrustedAccessKey trusted, client::fetch_trusted_access_key(node, trust));
    access_key = trusted.outcome.key.group_key;
  } else {
    HC_ASSIGN_OR_RETURN(client::TrustedEnvelopeKey trusted,
                        client::fetch_trusted_envelope_key(node, trust, client::freshness_now()));
    manager_key = std::move(trusted.key);
  }
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym, crypto::load_pseudonym_key(state.manager_dir / "pseudonym.key"));
  std::vector<BenchRecord> out;
  for (std::size_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(auto serial, crypto::compute_serial(pseudonym.span(), "Bench Patient " + std::to_string(i % 97),
                                                            "BP-" + std::to_string(i % 97)));
    HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit("2026-11-24T09:30:00Z",
                                                                "benchmark visit " + std::to_string(i), std::nullopt));
    if (access_key) {
      HC_ASSIGN_OR_RETURN(crypto::SealedRecordV2 rec, crypto::seal_record_v2(visit, serial, *access_key));
      out.emplace_back(std::move(rec));
    } else {
      HC_ASSIGN_OR_RETURN(crypto::SealedRecord rec, crypto::seal_record(visit, serial, *manager_key));
      out.emplace_back(std::move(rec));
    }
  }
  return out;
}

// Follows committed blocks on one node until every sent record is seen or the deadline passes.
void follow(const client::NodeClient& node, const std::string& base, BenchCommitBook& book,
            std::mutex& mu, std::atomic<bool>& sending, Clock::time_point deadline, std::uint64_t start_height,
            const std::shared_ptr<net::TlsContext>& tls) {
  net::HttpUrl url = *net::parse_http_url(base);
  net::HttpCallOptions options;
  options.tls = tls;
  // Polled every 20 ms: over one kept connection, not a TLS handshake per poll.
  net::HttpSession blocks(url, options);
  std::uint64_t next = start_height + 1;
  while (Clock::now() < deadline) {
    auto status = node.status();
    std::uint64_t tip = status.ok() ? status->value("height", std::uint64_t{0}) : 0;
    for (; next <= tip; ++next) {
      auto r = blocks.call("GET", "/v1/blocks/" + std::to_string(next), "");
      if (!r.ok() || r->status != 200) break;
      auto block = crypto::parse_bounded_json(r->body, "block answer");
      if (!block.ok() || !block->is_object() || !block->contains("tx_ids") || !(*block)["tx_ids"].is_array()) break;
      Clock::time_point now = Clock::now();
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& id : (*block)["tx_ids"]) {
        if (id.is_string()) book.record_in_block(id.get<std::string>(), now);
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      bool all = !sending && book.all_committed();
      if (all) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status run_bench(const BenchArgs& a) {
  HC_ASSIGN_OR_RETURN(ClusterState state, load_cluster_state(a.dir));
  if (a.rate <= 0 || a.duration_s <= 0) return invalid_input("--rate and --duration must be positive");
  // The members in force, from the change history verified from the genesis: a hospital that
  // joined loads once the chain is past its boundary, one that left (by any command) stops.
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(state.genesis.string()));
  HC_ASSIGN_OR_RETURN(BenchTargets targets, find_bench_targets(state, genesis));
  const std::vector<ClusterNodeState>& nodes = targets.nodes;
  const std::vector<std::string>& anchors = targets.tls_anchors;
  if (nodes.size() < targets.members.size()) {
    std::fprintf(stderr, "configuration %llu has %zu members, %zu of them nodes of this cluster: loading those\n",
                 static_cast<unsigned long long>(targets.configuration), targets.members.size(), nodes.size());
  }
  std::vector<client::NodeClient> doctors;     // the setup's calls
  std::vector<client::NodeClient> submitting;  // one per submitter thread, each on a kept connection
  for (const auto& n : nodes) {
    HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(n.doctor_token_file));
    HC_ASSIGN_OR_RETURN(client::NodeClient c, client::NodeClient::connect(n.api_url, token, anchors));
    doctors.push_back(std::move(c));
    HC_ASSIGN_OR_RETURN(std::string token_again, client::read_token_file(n.doctor_token_file));
    HC_ASSIGN_OR_RETURN(client::NodeClient kept, client::NodeClient::connect(n.api_url, token_again, anchors));
    // A doctor's client sends one record per process; the bench's stream of POSTs would
    // otherwise cost each hospital a TLS handshake per record (docs/node.md).
    kept.keep_connection_open();
    submitting.push_back(std::move(kept));
  }
  const auto count = static_cast<std::size_t>(a.rate * a.duration_s);
  std::fprintf(stderr, "sealing %zu records...\n", count);
  HC_ASSIGN_OR_RETURN(auto records, seal_records(doctors[0], state, count));
  HC_ASSIGN_OR_RETURN(nlohmann::json status, doctors[0].status());
  const std::uint64_t start_height = status.value("height", std::uint64_t{0});

  // Ids seen in blocks before their POST answered: at most every record twice over, plus
  // what other clients commit meanwhile.
  BenchCommitBook book(2 * count + 1024);
  std::mutex mu;
  std::atomic<bool> sending{true};
  std::size_t rejected = 0;
  Clock::time_point begin = Clock::now();
  Clock::time_point deadline = begin + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(a.duration_s * 3 + 30));
  std::shared_ptr<net::TlsContext> tls;
  if (!anchors.empty()) {
    HC_ASSIGN_OR_RETURN(tls, net::make_tls_client_context(anchors));
  }
  HC_ASSIGN_OR_RETURN(std::string follower_token, client::read_token_file(nodes[0].doctor_token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient following,
                      client::NodeClient::connect(nodes[0].api_url, follower_token, anchors));
  following.keep_connection_open();
  std::thread follower(
      [&] { follow(following, nodes[0].api_url, book, mu, sending, deadline, start_height, tls); });
  // One submitter per hospital, each offering its share of the rate (a POST waits while the
  // hospital signs and checks the record, so one thread alone could not offer the rate).
  std::atomic<std::size_t> submitted{0};
  std::vector<std::thread> submitters;
  for (std::size_t node = 0; node < doctors.size(); ++node) {
    submitters.emplace_back([&, node] {
      for (std::size_t i = node; i < records.size(); i += doctors.size()) {
        auto due = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / a.rate));
        std::this_thread::sleep_until(due);
        Clock::time_point at = Clock::now();
        auto id = std::visit([&](const auto& record) { return submitting[node].submit_record(record); }, records[i]);
        std::lock_guard<std::mutex> lock(mu);
        if (!id.ok()) {
          ++rejected;
          continue;
        }
        book.record_sent(id->tx_id, at, nodes[node].name);
      }
    });
  }
  while (submitted < records.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    std::lock_guard<std::mutex> lock(mu);
    submitted = book.sent().size() + rejected;
    std::size_t done = book.committed_count();
    std::fprintf(stderr, "\r[%-40s] submitted %zu/%zu, committed %zu",
                 std::string(40 * submitted / records.size(), '#').c_str(), submitted.load(), records.size(), done);
  }
  for (auto& t : submitters) t.join();
  Clock::time_point last_submit = Clock::now();
  sending = false;
  follower.join();
  std::fprintf(stderr, "\n");

  std::vector<double> latencies;
  Clock::time_point last_commit = begin;
  std::string csv = "tx_id,node,submitted_ms,committed_ms,latency_ms\n";
  for (const auto& [id, s] : book.sent()) {
    if (!s.committed_at) continue;
    latencies.push_back(ms_between(s.sent_at, *s.committed_at));
    last_commit = std::max(last_commit, *s.committed_at);
    csv += id + "," + s.node + "," + std::to_string(ms_between(begin, s.sent_at)) + "," +
           std::to_string(ms_between(begin, *s.committed_at)) + "," + std::to_string(latencies.back()) + "\n";
  }
  HC_RETURN_IF_ERROR(write_text_file_atomic(a.csv, csv));
  if (latencies.empty()) return Status::error(ErrorCode::kUnavailable, "no record was committed");
  std::sort(latencies.begin(), latencies.end());
  double seconds = ms_between(begin, last_commit) / 1000.0;
  double tps = static_cast<double>(latencies.size()) / seconds;
  std::printf("nodes %zu (configuration %llu), asked for %.0f records/s for %.0f s, offered %.1f records/s: %zu "
              "committed, %zu rejected, %zu not committed\n", targets.members.size(),
              static_cast<unsigned long long>(targets.configuration), a.rate, a.duration_s,
              static_cast<double>(records.size()) / (ms_between(begin, last_submit) / 1000.0), latencies.size(), rejected,
              book.sent().size() - latencies.size());
  std::printf("throughput %.1f committed records/s; latency median %.1f ms, p99 %.1f ms\n", tps,
              latencies[latencies.size() / 2], latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)]);
  double verify_ms = a.verify_ms;
  std::string verify_source = "given with --verify-ms";
  if (verify_ms <= 0) {
    std::fprintf(stderr, "timing the group-signature checks on %s's ledger...\n", nodes[0].name.c_str());
    HC_ASSIGN_OR_RETURN(VerificationCost cost, measure_verification_cost(nodes[0]));
    verify_ms = cost.ms_per_record;
    verify_source = "measured in this run: " + std::to_string(cost.records) + " signatures of " + nodes[0].name +
                    "'s ledger, CPU time of one thread, each block's together";
  }
  double cores = static_cast<double>(std::thread::hardware_concurrency());
  double bound = cores * 1000.0 / (static_cast<double>(targets.members.size()) * verify_ms);
  std::printf("group-signature verification bound: %.0f cores / (%zu replicas x %.3f ms, %s) = %.1f records/s; "
              "reached %.0f%%\n", cores, targets.members.size(), verify_ms, verify_source.c_str(), bound,
              100.0 * tps / bound);
  std::printf("per-record CSV: %s\n", a.csv.c_str());
  return Status::ok_status();
}

}  // namespace

void register_bench_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Load a running local consortium with real records and measure it");
  auto a = std::make_shared<BenchArgs>();
  cmd->add_option("--dir", a->dir, "Cluster directory (hc cluster up --dir)")->required();
  cmd->add_option("--rate", a->rate, "Records offered per second (all hospitals together)");
  cmd->add_option("--duration", a->duration_s, "Seconds of load");
  cmd->add_option("--csv", a->csv, "Per-record CSV output");
  cmd->add_option("--verify-ms", a->verify_ms,
                  "One group-signature verification in ms for the bound, instead of timing the first node's "
                  "ledger after the run");
  run_with(cmd, [a]() { return run_bench(*a); });
}

}  // namespace hc::cli
