// What keeping its own records costs a node (part of bench_chain; node/own_records.h): per
// record a doctor submits, one add() on admission and one committed() at its commit, with N
// records already held (a 4 KiB sealed record, the padding bucket of a typical visit); per
// committed block, the has_stale() scan over the N held; and after a revocation, take_stale()
// of a turn's 32 records. Re-signing itself is MemberSigner's cost (bench_member_signer.cpp).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "node/own_records.h"

namespace hc::node {
namespace {

chain::RecordTx held_record(std::uint64_t n, std::uint64_t epoch) {
  chain::RecordTx r;
  for (std::size_t i = 0; i < 8; ++i) r.sealed.serial[i] = static_cast<std::uint8_t>(n >> (8 * i));
  r.sealed.ciphertext.assign(4096 + 16, 0x5a);
  r.sealed.envelope_version = chain::kRecordEnvelopeV2;
  r.epoch = epoch;
  return r;
}

chain::Digest id_of(std::uint64_t n) {
  chain::Digest id{};
  for (std::size_t i = 0; i < 8; ++i) id[i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

OwnRecords filled(std::size_t held, std::uint64_t epoch) {
  OwnRecords own(20000, 256u << 20);  // hc-node's default mempool bounds
  for (std::uint64_t n = 0; n < held; ++n) own.add(held_record(n, epoch), id_of(n));
  return own;
}

void BM_OwnRecordsAddThenCommit(benchmark::State& state) {
  const std::size_t held = static_cast<std::size_t>(state.range(0));
  OwnRecords own = filled(held, 0);
  std::uint64_t n = held;
  std::vector<chain::RecordTx> records;
  for (std::uint64_t k = 0; k < 1024; ++k) records.push_back(held_record(held + k, 0));
  for (auto _ : state) {
    const chain::RecordTx& r = records[n % records.size()];
    own.add(r, id_of(n));
    own.committed(chain::record_content_digest(r.sealed));
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OwnRecordsAddThenCommit)->Arg(0)->Arg(1000)->Arg(20000);

void BM_OwnRecordsStaleScanPerBlock(benchmark::State& state) {
  const std::size_t held = static_cast<std::size_t>(state.range(0));
  const OwnRecords own = filled(held, 1);
  for (auto _ : state) benchmark::DoNotOptimize(own.has_stale(1));
}
BENCHMARK(BM_OwnRecordsStaleScanPerBlock)->Arg(100)->Arg(1000)->Arg(20000);

void BM_OwnRecordsTakeStaleTurn(benchmark::State& state) {
  const std::size_t held = static_cast<std::size_t>(state.range(0));
  OwnRecords own = filled(0, 0);
  for (auto _ : state) {
    state.PauseTiming();
    own = filled(held, 0);  // the previous set is freed here, outside the timing
    state.ResumeTiming();
    benchmark::DoNotOptimize(own.take_stale(1, 32));
    state.PauseTiming();
    own = filled(0, 0);
    state.ResumeTiming();
  }
}
// Refilled for each iteration (outside the timing): a fixed, small number of iterations.
BENCHMARK(BM_OwnRecordsTakeStaleTurn)->Arg(100)->Arg(1000)->Arg(20000)->Iterations(20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hc::node
