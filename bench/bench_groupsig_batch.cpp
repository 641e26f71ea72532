// Benchmarks of BBS04-ElGamal batch verification (issue 18 item 2): one signature verified
// alone (decoded, and decode + verify), verify_batch over 1, 10, 100 and 400 signatures
// (decoded, and from their encodings: decode + batch, also over 50: the curve hc-sim's
// --group-batch-us takes, docs/consensus.md), and the fallback that finds one bad
// signature among 100. The "per_sig" counter is the CPU time per signature. Fixed messages;
// keys, nonces and batch exponents come from the system RNG (timings do not depend on them).
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/groupsig/elgamal_batch_verify.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/elgamal_verify.h"

namespace {

namespace eg = hc::groupsig::elgamal;

constexpr std::size_t kBatchBenchMaxItems = 400;

struct BatchBenchGroup {
  eg::Setup setup = eg::setup();
  std::unique_ptr<eg::PreparedKey> key;
  std::vector<hc::Bytes> messages;
  std::vector<eg::Signature> sigs;
  std::vector<hc::Bytes> encoded;
  BatchBenchGroup() {
    std::vector<std::unique_ptr<eg::Signer>> signers;
    for (std::size_t i = 0; i < 4; ++i) {
      signers.push_back(std::make_unique<eg::Signer>(
          eg::enroll(setup.issuer, setup.gpk, setup.registry, "member-" + std::to_string(i)).value()));
    }
    key = std::make_unique<eg::PreparedKey>(setup.gpk);
    for (std::size_t i = 0; i < kBatchBenchMaxItems; ++i) {
      const std::string text = "sealed record digest " + std::to_string(i);
      messages.emplace_back(text.begin(), text.end());
      sigs.push_back(signers[i % signers.size()]->sign(messages.back()));
      encoded.push_back(eg::encode_signature(sigs.back()));
    }
  }
};

const BatchBenchGroup& batch_bench_group() {
  static const BatchBenchGroup g;
  return g;
}

void set_per_sig(benchmark::State& state, std::size_t n) {
  state.counters["per_sig"] = benchmark::Counter(static_cast<double>(n),
                                                 benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
}

void BM_ElGamalVerifyOne(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  for (auto _ : state) {
    if (!eg::verify(*g.key, g.messages[0], g.sigs[0]).ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_ElGamalVerifyOne)->Unit(benchmark::kMicrosecond);

void BM_ElGamalDecodeVerifyOne(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  for (auto _ : state) {
    auto sig = eg::decode_signature(g.encoded[0]);
    if (!sig.ok() || !eg::verify(*g.key, g.messages[0], *sig).ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_ElGamalDecodeVerifyOne)->Unit(benchmark::kMicrosecond);

void BM_ElGamalDecodeOne(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  for (auto _ : state) benchmark::DoNotOptimize(eg::decode_signature(g.encoded[0]));
}
BENCHMARK(BM_ElGamalDecodeOne)->Unit(benchmark::kMicrosecond);

// verify_batch over decoded signatures.
void BM_ElGamalVerifyBatch(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<eg::BatchItem> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back({g.messages[i], &g.sigs[i]});
  eg::SystemBatchRandom rng;
  for (auto _ : state) {
    for (const hc::Status& s : eg::verify_batch(*g.key, items, rng)) {
      if (!s.ok()) state.SkipWithError("invalid");
    }
  }
  set_per_sig(state, n);
}
BENCHMARK(BM_ElGamalVerifyBatch)->Arg(1)->Arg(10)->Arg(100)->Arg(400)->Unit(benchmark::kMicrosecond);

// verify_batch_encoded: what a replica does with a block's records (decode + batch).
void BM_ElGamalDecodeVerifyBatch(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<eg::EncodedBatchItem> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back({g.messages[i], g.encoded[i]});
  eg::SystemBatchRandom rng;
  for (auto _ : state) {
    for (const hc::Status& s : eg::verify_batch_encoded(*g.key, items, rng)) {
      if (!s.ok()) state.SkipWithError("invalid");
    }
  }
  set_per_sig(state, n);
}
BENCHMARK(BM_ElGamalDecodeVerifyBatch)->Arg(1)->Arg(10)->Arg(50)->Arg(100)->Arg(400)->Unit(benchmark::kMicrosecond);

// One bad signature (s_x moved) at position 37 of 100: the fallback's bisection.
void BM_ElGamalVerifyBatchOneBad(benchmark::State& state) {
  const BatchBenchGroup& g = batch_bench_group();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<eg::Signature> sigs(g.sigs.begin(), g.sigs.begin() + static_cast<std::ptrdiff_t>(n));
  sigs[37 % n].s_x = sigs[37 % n].s_x + hc::bls12_381::Fr::one();
  std::vector<eg::BatchItem> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back({g.messages[i], &sigs[i]});
  eg::SystemBatchRandom rng;
  for (auto _ : state) {
    std::size_t bad = 0;
    for (const hc::Status& s : eg::verify_batch(*g.key, items, rng)) bad += s.ok() ? 0 : 1;
    if (bad != 1) state.SkipWithError("expected exactly one bad signature");
  }
  set_per_sig(state, n);
}
BENCHMARK(BM_ElGamalVerifyBatchOneBad)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
