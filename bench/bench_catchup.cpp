// Catch-up speed (issue 16): how fast a node that joins executes a long chain from the genesis.
//
// Once per process a real chain is built in a temporary RocksDB ledger (the "source", standing
// for the peers that serve state transfer): HC_CATCHUP_RECORDS records (default 2,000) in
// blocks of 100, each record group-signed with BBS04 by an enrolled member, each block carrying
// a PBFT commit certificate of 2f+1 Ed25519 COMMIT signatures by the genesis replicas, made as
// hc-node makes them (TestConsortium::make_block; the certificate format and its check,
// node::PbftCertificateVerifier, live in src/node, library hc_node, which this links).
//
// BM_CatchUpFromGenesis: a fresh ledger (synced writes, as hc-node opens it) with a fresh
// application, verifier and certificate checker executes the chain block by block through
// HealthchainApp::commit_block, the path state transfer uses (header, state rules, every group
// signature on the 2-thread pool, the certificate, the store write); each block is read from the
// source and decoded first. It fails unless the final app hash equals the source's and every
// record's signature was verified. Reports blocks/s, records/s and the peak RSS of the catch-up
// alone (VmHWM is reset before it through /proc/self/clear_refs).
//
// BM_CatchUpCostSplit: the same chain once more, its parts timed apart per block: read and
// decode, check_block, the group signatures (the application's two-way split on a 2-thread
// pool), the commit certificate, and the synced store write with the block's state changes; per
// record, in microseconds of wall time.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "chain/bbs04_record_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/record_signature_check.h"
#include "chain/state_changes.h"
#include "chain/test_chain.h"
#include "chain/thread_pool.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/sign.h"
#include "node/ledger_bridge.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

constexpr std::uint64_t kBlockRecords = 100;
constexpr std::uint64_t kDefaultRecords = 2'000;
constexpr std::uint64_t kMaxRecords = 1'000'000;  // about 1.1 GB of ledger
constexpr std::size_t kCiphertextBytes = 256;
constexpr std::size_t kVerifyThreads = 2;  // the application's pool

// HC_CATCHUP_RECORDS, a multiple of 100 from 100 to 1,000,000; anything else stops the program
// with a one-line message.
std::uint64_t requested_records() {
  const char* text = std::getenv("HC_CATCHUP_RECORDS");
  if (text == nullptr) return kDefaultRecords;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || n < kBlockRecords || n > kMaxRecords || n % kBlockRecords != 0) {
    std::fprintf(stderr, "HC_CATCHUP_RECORDS must be a multiple of 100 from 100 to 1000000, got '%s'\n", text);
    std::exit(2);
  }
  return n;
}

// A field of /proc/self/status in kB (VmHWM, VmRSS), 0 if it cannot be read.
std::uint64_t status_kb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs); false if refused.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The source chain: block 1 publishes the envelope key, blocks 2.. hold the records.
struct SourceChain {
  // First, so that a bad HC_CATCHUP_RECORDS stops the program before any directory is made.
  std::uint64_t records = requested_records();
  groupsig::GroupSetup group = groupsig::setup();
  TestConsortium c{4, groupsig::encode_gpk(group.gpk)};
  TempDir dir{"bench-catchup-source"};
  std::unique_ptr<LedgerStore> store;
  double build_s = 0;

  SourceChain() {
    const auto start = std::chrono::steady_clock::now();
    auto member = groupsig::enroll(group.issuer, group.gpk, group.registry, "hospital-a");
    HC_CHECK(member.ok());
    const groupsig::Signer signer(*member);
    store = LedgerStore::create(dir.path(), c.genesis(), StoreOptions{.sync_writes = false}).value();
    commit(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())}));
    ThreadPool pool(kVerifyThreads);
    for (std::uint64_t first = 0; first < records; first += kBlockRecords) {
      std::vector<RecordTx> batch;
      for (std::uint64_t i = first; i < first + kBlockRecords; ++i) {
        batch.push_back(c.make_record(c.serial_of(i), 0, kCiphertextBytes));
      }
      sign_all(pool, signer, batch);
      std::vector<Bytes> txs;
      for (const RecordTx& r : batch) txs.push_back(encode_transaction(r));
      commit(c.make_block(store->tip(), std::move(txs)));
    }
    build_s = seconds_since(start);
  }

  // Replaces each record's group signature with a BBS04 one, the work split over the pool.
  static void sign_all(ThreadPool& pool, const groupsig::Signer& signer, std::vector<RecordTx>& batch) {
    std::vector<std::function<void()>> tasks;
    for (std::size_t share = 0; share < pool.size(); ++share) {
      tasks.emplace_back([&, share] {
        for (std::size_t k = share; k < batch.size(); k += pool.size()) {
          const Digest d = record_signing_digest(batch[k]);
          batch[k].group_signature = groupsig::encode_signature(signer.sign(span_of(d)));
        }
      });
    }
    pool.run_all(std::move(tasks));
  }

  // The source's blocks are built here and hold only records and one key, so their state
  // changes are state_changes_of's (no trustee or governance entries).
  void commit(const Block& block) {
    const CheckedBlock checked = check_block(block).value();
    HC_CHECK(store->commit_block(block, state_changes_of(checked, block.header.height)).ok());
  }
};

SourceChain& source() {
  static SourceChain chain;
  return chain;
}

// Block `height` of the source as a peer would send it: its bytes, decoded.
Result<Block> fetch(const SourceChain& s, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(Bytes bytes, s.store->read_block_bytes(height));
  return decode_block(bytes);
}

// A joining node's ledger: empty store with synced writes, its own verifiers and application.
struct JoiningNode {
  TempDir dir{"bench-catchup-joiner"};
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<node::PbftCertificateVerifier> certificates;
  std::unique_ptr<HealthchainApp> app;

  explicit JoiningNode(const Genesis& genesis) {
    store = LedgerStore::create(dir.path(), genesis).value();
    verifier = Bbs04RecordVerifier::create(genesis.group_public_key).value();
    certificates = node::PbftCertificateVerifier::create(genesis).value();
    app = HealthchainApp::start(*store, *verifier, *certificates).value();
  }
};

void report_chain(benchmark::State& state, const SourceChain& s) {
  state.counters["records"] = static_cast<double>(s.records);
  state.counters["blocks"] = static_cast<double>(s.store->tip().height);
  state.counters["build_s"] = s.build_s;
}

void BM_CatchUpFromGenesis(benchmark::State& state) {
  SourceChain& s = source();
  const std::uint64_t tip = s.store->tip().height;
  double rss_before_mb = 0;
  bool peak_reset = false;
  for (auto _ : state) {
    state.PauseTiming();
    auto joiner = std::make_unique<JoiningNode>(s.c.genesis());
    peak_reset = reset_peak_rss();
    rss_before_mb = static_cast<double>(status_kb("VmRSS")) / 1024;
    state.ResumeTiming();
    for (std::uint64_t h = 1; h <= tip; ++h) {
      Result<Block> block = fetch(s, h);
      Status applied = block.ok() ? joiner->app->commit_block(*block).status() : block.status();
      if (!applied.ok()) {
        state.SkipWithError(("block " + std::to_string(h) + ": " + applied.message()).c_str());
        return;
      }
    }
    state.PauseTiming();
    if (joiner->store->tip().app_hash != s.store->tip().app_hash) state.SkipWithError("app hash differs from the source's");
    if (joiner->app->signatures_verified() != s.records + 1) state.SkipWithError("not every signature was verified");
    joiner.reset();
    state.ResumeTiming();
  }
  const auto blocks = static_cast<double>(state.iterations() * tip);
  const auto records = static_cast<double>(state.iterations() * s.records);
  state.counters["blocks_per_s"] = benchmark::Counter(blocks, benchmark::Counter::kIsRate);
  state.counters["records_per_s"] = benchmark::Counter(records, benchmark::Counter::kIsRate);
  state.counters["rss_before_mb"] = rss_before_mb;
  state.counters["peak_rss_mb"] = static_cast<double>(status_kb("VmHWM")) / 1024;
  report_chain(state, s);
  if (!peak_reset) state.SetLabel("peak RSS not reset: includes building the chain");
}
BENCHMARK(BM_CatchUpFromGenesis)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// Per-part wall time of one pass over the chain, in seconds.
struct PartTimes {
  double fetch = 0, check = 0, signatures = 0, certificate = 0, store = 0;
};

// The records' signatures of one block, checked as HealthchainApp::verify_signatures does (one
// share per worker); the first failure, or ok.
Status verify_block_signatures(ThreadPool& pool, const RecordSignatureVerifier& verifier, const LedgerStore& store,
                               const CheckedBlock& checked) {
  std::vector<std::vector<Status>> verdicts(pool.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t share = 0; share < pool.size(); ++share) {
    tasks.emplace_back([&, share] {
      std::vector<const RecordTx*> records;
      for (std::size_t k = share; k < checked.transactions.size(); k += pool.size()) {
        if (const auto* r = std::get_if<RecordTx>(&checked.transactions[k])) records.push_back(r);
      }
      verdicts[share] = verify_record_signatures(verifier, StoreTrusteeView(store), records);
    });
  }
  pool.run_all(std::move(tasks));
  for (const auto& share : verdicts) {
    for (const Status& s : share) HC_RETURN_IF_ERROR(s);
  }
  return Status();
}

Status timed_pass(const SourceChain& s, JoiningNode& joiner, PartTimes& t) {
  ThreadPool pool(kVerifyThreads);
  for (std::uint64_t h = 1; h <= s.store->tip().height; ++h) {
    auto start = std::chrono::steady_clock::now();
    HC_ASSIGN_OR_RETURN(Block block, fetch(s, h));
    t.fetch += seconds_since(start);
    start = std::chrono::steady_clock::now();
    HC_ASSIGN_OR_RETURN(CheckedBlock checked, check_block(block));
    t.check += seconds_since(start);
    start = std::chrono::steady_clock::now();
    HC_RETURN_IF_ERROR(verify_block_signatures(pool, *joiner.verifier, *joiner.store, checked));
    t.signatures += seconds_since(start);
    start = std::chrono::steady_clock::now();
    HC_RETURN_IF_ERROR(joiner.certificates->verify(block.header, checked.hash, checked.tx_ids, block.commit_certificate));
    t.certificate += seconds_since(start);
    start = std::chrono::steady_clock::now();
    HC_RETURN_IF_ERROR(joiner.store->commit_block(block, state_changes_of(checked, h)).status());
    t.store += seconds_since(start);
  }
  return Status();
}

void BM_CatchUpCostSplit(benchmark::State& state) {
  SourceChain& s = source();
  PartTimes t;
  for (auto _ : state) {
    state.PauseTiming();
    auto joiner = std::make_unique<JoiningNode>(s.c.genesis());
    t = PartTimes{};
    const Status pass = timed_pass(s, *joiner, t);
    if (!pass.ok()) state.SkipWithError(pass.message().c_str());
    if (joiner->store->tip().app_hash != s.store->tip().app_hash) state.SkipWithError("app hash differs from the source's");
    joiner.reset();
    state.SetIterationTime(t.fetch + t.check + t.signatures + t.certificate + t.store);
    state.ResumeTiming();
  }
  const double per_record_us = 1e6 / static_cast<double>(s.records);
  state.counters["fetch_us"] = t.fetch * per_record_us;
  state.counters["check_block_us"] = t.check * per_record_us;
  state.counters["group_sig_us"] = t.signatures * per_record_us;
  state.counters["certificate_us"] = t.certificate * per_record_us;
  state.counters["store_us"] = t.store * per_record_us;
  report_chain(state, s);
  state.SetLabel("wall us per record");
}
BENCHMARK(BM_CatchUpCostSplit)->Iterations(1)->Unit(benchmark::kSecond)->UseManualTime();

}  // namespace
}  // namespace hc::chain

BENCHMARK_MAIN();
