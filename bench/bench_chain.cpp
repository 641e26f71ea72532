// Ledger benchmarks: encoding, Merkle trees, store commit throughput, retrieval by serial among
// 1,000,000 stored records, and block validation throughput on the application's 2-thread
// pool (group signatures through the RecordSignatureVerifier interface: the FakeGroupVerifier
// test double with a configurable cost, and the real BBS04 verifier in bench_chain_bbs04.cpp).
// Inputs are seeded and fixed.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "chain/healthchain_app.h"
#include "chain/merkle.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

constexpr std::size_t kCiphertextBytes = 256;

void BM_EncodeRecord(benchmark::State& state) {
  TestConsortium c;
  RecordTx r = c.make_record(c.serial_of(1), 0, kCiphertextBytes);
  for (auto _ : state) benchmark::DoNotOptimize(encode_transaction(r));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EncodeRecord);

void BM_DecodeRecord(benchmark::State& state) {
  TestConsortium c;
  Bytes enc = c.encode_signed_record(c.serial_of(1), 0, kCiphertextBytes);
  for (auto _ : state) benchmark::DoNotOptimize(decode_transaction(enc));
  state.SetItemsProcessed(state.iterations());
  state.counters["record_bytes"] = static_cast<double>(enc.size());
}
BENCHMARK(BM_DecodeRecord);

std::vector<Digest> seeded_ids(std::size_t n) {
  std::vector<Digest> ids;
  for (std::size_t i = 0; i < n; ++i) {
    Bytes b;
    append_u64_be(b, i);
    ids.push_back(sha256(b));
  }
  return ids;
}

void BM_MerkleRoot(benchmark::State& state) {
  auto ids = seeded_ids(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(merkle_root(ids));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(100)->Arg(1000);

void BM_MerkleProveAndVerify(benchmark::State& state) {
  auto ids = seeded_ids(static_cast<std::size_t>(state.range(0)));
  Digest root = merkle_root(ids);
  std::uint32_t i = 0;
  for (auto _ : state) {
    auto proof = merkle_prove(ids, i);
    benchmark::DoNotOptimize(merkle_verify(root, ids[i], *proof));
    i = (i + 7) % static_cast<std::uint32_t>(ids.size());
  }
}
BENCHMARK(BM_MerkleProveAndVerify)->Arg(1000);

void BM_MerkleVerifyOnly(benchmark::State& state) {
  auto ids = seeded_ids(1000);
  Digest root = merkle_root(ids);
  auto proof = *merkle_prove(ids, 333);
  for (auto _ : state) benchmark::DoNotOptimize(merkle_verify(root, ids[333], proof));
}
BENCHMARK(BM_MerkleVerifyOnly);

// Commits blocks of state.range(0) records with synced writes (one fsync per block).
void BM_StoreCommit(benchmark::State& state) {
  TestConsortium c;
  TempDir dir("bench-commit");
  auto store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  const auto per_block = static_cast<std::size_t>(state.range(0));
  std::uint64_t patient = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Bytes> txs;
    for (std::size_t i = 0; i < per_block; ++i) {
      txs.push_back(c.encode_signed_record(c.serial_of(patient++ % 5000), 0, kCiphertextBytes));
    }
    Block b = c.make_block(store->tip(), std::move(txs));
    state.ResumeTiming();
    auto r = store->commit_block(b, {});
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_StoreCommit)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace hc::chain
