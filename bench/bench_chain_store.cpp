// Benchmarks on a large store and on block validation (part of bench_chain, split to keep
// files small): retrieval by serial among 1,000,000 records, block validation throughput.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "chain/healthchain_app.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

constexpr std::size_t kStoredRecords = 1000000;
constexpr std::size_t kRecordsPerBlock = 100;
constexpr std::size_t kBlocks = kStoredRecords / kRecordsPerBlock;
constexpr std::uint64_t kOneVisitPatient = 1;       // exactly 1 visit
constexpr std::uint64_t kHundredVisitPatient = 2;   // exactly 100 visits, spread over the chain
constexpr std::uint64_t kOtherPatients = 200000;    // everyone else, ids 10 .. 10+kOtherPatients

// A ledger of 1,000,000 records (blocks of 100, 256-byte ciphertexts), built once per process
// with unsynced writes (synced commits are measured by BM_StoreCommit).
struct BigStore {
  TempDir dir{"bench-1m"};
  TestConsortium c;
  std::unique_ptr<LedgerStore> store;

  BigStore() {
    const auto started = std::chrono::steady_clock::now();
    StoreOptions options;
    options.sync_writes = false;
    store = std::move(LedgerStore::create(dir.path(), c.genesis(), options)).value();
    std::mt19937_64 rng(2026);
    std::vector<bool> hundred_at(kBlocks, false);
    for (std::size_t k = 0; k < 100; ++k) hundred_at[k * kBlocks / 100 + 37] = true;
    for (std::size_t b = 0; b < kBlocks; ++b) {
      std::vector<Bytes> txs;
      for (std::size_t i = 0; i < kRecordsPerBlock; ++i) {
        std::uint64_t patient = 10 + rng() % kOtherPatients;
        if (i == 50 && hundred_at[b]) patient = kHundredVisitPatient;
        if (i == 50 && b == kBlocks / 2) patient = kOneVisitPatient;
        txs.push_back(c.encode_signed_record(c.serial_of(patient), 0, 256));
      }
      auto r = store->commit_block(c.make_block(store->tip(), std::move(txs)), {});
      HC_CHECK(r.ok());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "built a store of %zu records in %zu blocks in %.1f s\n", kStoredRecords,
                 kBlocks, seconds);
  }
};

BigStore& big_store() {
  static BigStore s;
  return s;
}

void BM_RetrieveBySerial(benchmark::State& state) {
  BigStore& s = big_store();
  const std::uint64_t patient = state.range(0) == 1 ? kOneVisitPatient : kHundredVisitPatient;
  const Serial serial = s.c.serial_of(patient);
  for (auto _ : state) {
    auto txs = s.store->transactions_by_serial(serial);
    if (!txs.ok() || txs->size() != static_cast<std::size_t>(state.range(0))) {
      state.SkipWithError("wrong number of visits");
      break;
    }
    benchmark::DoNotOptimize(txs);
  }
  state.counters["visits"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_RetrieveBySerial)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Validates a block of 1000 fresh records (every signature verified once, on 2 threads) with a
// verifier doing state.range(0) SHA-256 rounds per signature (0: the ledger's own overhead).
void BM_ValidateBlock(benchmark::State& state) {
  TestConsortium c;
  TempDir dir("bench-validate");
  auto store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  testing::FakeGroupVerifier verifier(c.genesis().group_public_key,
                                      static_cast<unsigned>(state.range(0)));
  auto app = std::move(HealthchainApp::start(*store, verifier, c.certificates())).value();
  HC_CHECK(app->commit_block(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
  std::uint64_t patient = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Bytes> txs;
    for (int i = 0; i < 1000; ++i) txs.push_back(c.encode_signed_record(c.serial_of(patient++), 0, 256));
    Block b = c.make_block(store->tip(), std::move(txs));
    state.ResumeTiming();
    Status s = app->validate_block(b);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ValidateBlock)->Arg(0)->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same verifier cost on one thread, without the application, for comparison.
void BM_VerifySerialOneThread(benchmark::State& state) {
  TestConsortium c;
  testing::FakeGroupVerifier verifier(c.genesis().group_public_key, static_cast<unsigned>(state.range(0)));
  RecordTx r = c.make_record(c.serial_of(1), 0, 256);
  Digest d = record_signing_digest(r);
  for (auto _ : state) benchmark::DoNotOptimize(verifier.verify(0, d, r.group_signature));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifySerialOneThread)->Arg(4000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hc::chain

BENCHMARK_MAIN();
