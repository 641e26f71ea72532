// Benchmarks of the sealed record (first issue): seal and open for 1 KiB and 64 KiB visits,
// RSA-3072 OAEP unwrap, serial-number computation. Inputs are fixed and seeded.
#include <benchmark/benchmark.h>

#include <string>

#include "common/check.h"
#include "crypto/sealed_record.h"

namespace {

using namespace hc;
using namespace hc::crypto;

const EnvelopePrivateKey& bench_key() {
  static const EnvelopePrivateKey key = [] {
    auto k = EnvelopePrivateKey::generate();
    HC_CHECK(k.ok());
    return std::move(k).value();
  }();
  return key;
}

Visit visit_of_size(std::size_t payload_bytes) {
  // The encoded payload adds about 60 bytes of JSON around the diagnosis.
  std::string diagnosis(payload_bytes - 60, 'd');
  auto v = make_visit("2026-11-24T09:30:00Z", diagnosis, std::nullopt);
  HC_CHECK(v.ok());
  return std::move(v).value();
}

void BM_Seal(benchmark::State& state) {
  Visit visit = visit_of_size(static_cast<std::size_t>(state.range(0)));
  SerialNumber serial{};
  for (auto _ : state) {
    auto rec = seal_record(visit, serial, bench_key().public_key());
    benchmark::DoNotOptimize(rec);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Seal)->Arg(1024)->Arg(64 * 1024)->Unit(benchmark::kMicrosecond);

void BM_Open(benchmark::State& state) {
  Visit visit = visit_of_size(static_cast<std::size_t>(state.range(0)));
  auto rec = seal_record(visit, SerialNumber{}, bench_key().public_key());
  HC_CHECK(rec.ok());
  for (auto _ : state) {
    auto opened = open_record(*rec, bench_key());
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Open)->Arg(1024)->Arg(64 * 1024)->Unit(benchmark::kMicrosecond);

void BM_RsaOaepUnwrap3072(benchmark::State& state) {
  Bytes aes(32, 1);
  auto wrapped = bench_key().public_key().wrap(aes);
  HC_CHECK(wrapped.ok());
  for (auto _ : state) {
    auto key = bench_key().unwrap(*wrapped);
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_RsaOaepUnwrap3072)->Unit(benchmark::kMicrosecond);

void BM_RsaOaepWrap3072(benchmark::State& state) {
  Bytes aes(32, 1);
  for (auto _ : state) {
    auto wrapped = bench_key().public_key().wrap(aes);
    benchmark::DoNotOptimize(wrapped);
  }
}
BENCHMARK(BM_RsaOaepWrap3072)->Unit(benchmark::kMicrosecond);

void BM_SerialNumber(benchmark::State& state) {
  Bytes key(32, 3);
  for (auto _ : state) {
    auto serial = compute_serial(key, "  Ada   LOVELACE ", "ab123456789");
    benchmark::DoNotOptimize(serial);
  }
}
BENCHMARK(BM_SerialNumber);

}  // namespace

BENCHMARK_MAIN();
