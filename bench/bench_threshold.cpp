// Benchmarks of the threshold core (docs/threshold.md): the DKG for m = 4, 7, 10, 16 trustees
// with t = 2f+1 (f = (m-1)/3), as each trustee's work (deal; open and check its m shares;
// finalize) and as the whole protocol run by one process; a decryption share with its proof,
// the proof check, and the combination of t = 3 and 5 shares; envelope v2 seal and open;
// proactive resharing of the key from m old to m new trustees (t = 2f+1 on both sides) for
// m = 4, 7, 16: an old trustee's deal, a new trustee's check of its share of one deal, and
// the finalization (public, from m deals) and one new trustee's share.
// Decoding one deal in either form (legacy, no ephemeral proofs; proven, each box's proof
// checked). Keys are random, sizes fixed; every run is an honest DKG.
#include <benchmark/benchmark.h>

#include <optional>
#include <vector>

#include "common/check.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"

namespace {

using namespace hc;
using namespace hc::crypto;
using namespace hc::crypto::threshold;

template <typename T>
T ok(Result<T> r) {
  HC_CHECK(r.ok());
  return std::move(r).value();
}

std::uint16_t bft_threshold(std::uint16_t m) { return static_cast<std::uint16_t>(2 * ((m - 1) / 3) + 1); }

struct Setup {
  DkgParams params;
  std::vector<P256Scalar> secrets;
  std::vector<std::optional<DkgDeal>> deals;
  Setup(std::uint16_t m, std::uint16_t t) {
    params.chain_id.fill(0xbe);
    params.epoch = 1;
    params.threshold = t;
    for (std::uint16_t j = 0; j < m; ++j) {
      secrets.push_back(P256Scalar::random_nonzero());
      params.trustee_keys.push_back(P256Point::base_mul(secrets.back()));
    }
    for (std::uint16_t i = 1; i <= m; ++i) deals.emplace_back(ok(make_deal(params, i)));
  }
};

struct KeySetup {
  Setup setup;
  DkgOutcome outcome;
  std::vector<P256Scalar> shares;
  SealedRecordV2 record;
  P256Point ephemeral = P256Point::generator();
  RequestId request{};
  explicit KeySetup(std::uint16_t m, std::uint16_t t) : setup(m, t) {
    outcome = ok(finalize_dkg(setup.params, setup.deals, {}));
    for (std::uint16_t j = 1; j <= m; ++j) {
      shares.push_back(ok(trustee_secret_share(setup.params, outcome, setup.deals, j, setup.secrets[j - 1])));
    }
    Visit visit = ok(make_visit("2026-11-29T09:30:00Z", std::string(1000, 'd'), std::nullopt));
    record = ok(seal_record_v2(visit, SerialNumber{}, outcome.key.group_key));
    ephemeral = ok(P256Point::decode(record.ephemeral_key));
    request.fill(0x42);
  }
};

void BM_DkgDealOneDealer(benchmark::State& state) {
  auto m = static_cast<std::uint16_t>(state.range(0));
  Setup setup(m, bft_threshold(m));
  for (auto _ : state) benchmark::DoNotOptimize(make_deal(setup.params, 1));
}

void BM_DkgCheckSharesOneTrustee(benchmark::State& state) {
  auto m = static_cast<std::uint16_t>(state.range(0));
  Setup setup(m, bft_threshold(m));
  for (auto _ : state) {
    for (const auto& deal : setup.deals) benchmark::DoNotOptimize(receive_share(setup.params, *deal, 1, setup.secrets[0]));
  }
}

// Decoding one deal, what the chain and every trustee run per deal: range 1 says the form
// (0 the legacy form without ephemeral proofs, the decode before session 13; 1 the proven
// form, whose m box proofs the decoder checks).
void BM_DkgDecodeDeal(benchmark::State& state) {
  auto m = static_cast<std::uint16_t>(state.range(0));
  Setup setup(m, bft_threshold(m));
  DkgDeal deal = *setup.deals[0];
  if (state.range(1) == 0) deal.box_proofs.clear();
  const Bytes bytes = encode_deal(setup.params, deal);
  for (auto _ : state) benchmark::DoNotOptimize(ok(decode_deal(setup.params, bytes)));
}

void BM_DkgFinalize(benchmark::State& state) {
  auto m = static_cast<std::uint16_t>(state.range(0));
  Setup setup(m, bft_threshold(m));
  for (auto _ : state) benchmark::DoNotOptimize(finalize_dkg(setup.params, setup.deals, {}));
}

// Every trustee's work one after the other (decode of every deal included): the CPU a whole
// DKG costs the consortium.
void BM_DkgWholeProtocolOneProcess(benchmark::State& state) {
  auto m = static_cast<std::uint16_t>(state.range(0));
  Setup setup(m, bft_threshold(m));
  for (auto _ : state) {
    std::vector<std::optional<DkgDeal>> deals;
    for (std::uint16_t i = 1; i <= m; ++i) {
      deals.emplace_back(ok(decode_deal(setup.params, encode_deal(setup.params, ok(make_deal(setup.params, i))))));
    }
    for (std::uint16_t j = 1; j <= m; ++j) {
      for (const auto& deal : deals) HC_CHECK(receive_share(setup.params, *deal, j, setup.secrets[j - 1]).ok());
    }
    for (std::uint16_t j = 1; j <= m; ++j) benchmark::DoNotOptimize(finalize_dkg(setup.params, deals, {}));
  }
}

void BM_DecryptionShareMake(benchmark::State& state) {
  auto t = static_cast<std::uint16_t>(state.range(0));
  KeySetup k(static_cast<std::uint16_t>((t - 1) / 2 * 3 + 1), t);
  for (auto _ : state) {
    benchmark::DoNotOptimize(make_decryption_share(k.outcome.key, 1, k.shares[0], k.request, k.ephemeral));
  }
}

void BM_DecryptionShareVerify(benchmark::State& state) {
  auto t = static_cast<std::uint16_t>(state.range(0));
  KeySetup k(static_cast<std::uint16_t>((t - 1) / 2 * 3 + 1), t);
  DecryptionShare share = ok(make_decryption_share(k.outcome.key, 1, k.shares[0], k.request, k.ephemeral));
  for (auto _ : state) {
    HC_CHECK(verify_decryption_share(k.outcome.key, k.request, k.ephemeral, share).ok());
  }
}

// Verification of the t shares included (that is what a requester runs).
void BM_CombineAndOpen(benchmark::State& state) {
  auto t = static_cast<std::uint16_t>(state.range(0));
  KeySetup k(static_cast<std::uint16_t>((t - 1) / 2 * 3 + 1), t);
  std::vector<DecryptionShare> shares;
  for (std::uint16_t j = 1; j <= t; ++j) {
    shares.push_back(ok(make_decryption_share(k.outcome.key, j, k.shares[j - 1], k.request, k.ephemeral)));
  }
  for (auto _ : state) {
    auto combined = ok(combine_decryption_shares(k.outcome.key, k.request, k.ephemeral, shares));
    HC_CHECK(open_record_v2_with_shared_point(k.record, combined.shared).ok());
  }
}

void BM_EnvelopeV2Seal(benchmark::State& state) {
  P256Point key = P256Point::base_mul(P256Scalar::random_nonzero());
  Visit visit = ok(make_visit("2026-11-29T09:30:00Z", std::string(1000, 'd'), std::nullopt));
  for (auto _ : state) benchmark::DoNotOptimize(seal_record_v2(visit, SerialNumber{}, key));
}

void BM_EnvelopeV2OpenWithWholeSecret(benchmark::State& state) {
  P256Scalar secret = P256Scalar::random_nonzero();
  Visit visit = ok(make_visit("2026-11-29T09:30:00Z", std::string(1000, 'd'), std::nullopt));
  SealedRecordV2 record = ok(seal_record_v2(visit, SerialNumber{}, P256Point::base_mul(secret)));
  for (auto _ : state) HC_CHECK(open_record_v2(record, secret).ok());
}

// A key formed by m old trustees and a resharing of it to m new ones, every old trustee's
// deal made (encoded and decoded, as from the chain).
struct ReshareSetup {
  KeySetup old;
  Setup fresh;
  AccessReshareParams params;
  std::vector<std::optional<AccessReshareDeal>> deals;
  explicit ReshareSetup(std::uint16_t m) : old(m, bft_threshold(m)), fresh(m, bft_threshold(m)) {
    params = AccessReshareParams{old.outcome.key, fresh.params, 1};
    for (std::uint16_t i = 1; i <= m; ++i) {
      AccessReshareDeal deal = ok(make_reshare_deal(params, i, old.shares[i - 1]));
      deals.emplace_back(ok(decode_reshare_deal(params, encode_reshare_deal(params, deal))));
    }
  }
};

void BM_ReshareDealOneDealer(benchmark::State& state) {
  ReshareSetup r(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(make_reshare_deal(r.params, 1, r.old.shares[0]));
}

// New trustee 1 decodes one deal, checks its constant term, opens its box and checks the share.
void BM_ReshareVerifyDealOneTrustee(benchmark::State& state) {
  ReshareSetup r(static_cast<std::uint16_t>(state.range(0)));
  const Bytes bytes = encode_reshare_deal(r.params, *r.deals[0]);
  for (auto _ : state) {
    AccessReshareDeal deal = ok(decode_reshare_deal(r.params, bytes));
    HC_CHECK(receive_reshare_share(r.params, deal, 1, r.fresh.secrets[0]).ok());
  }
}

void BM_ReshareFinalize(benchmark::State& state) {
  ReshareSetup r(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(finalize_reshare(r.params, r.deals, {}));
}

void BM_ReshareNewSecretShare(benchmark::State& state) {
  ReshareSetup r(static_cast<std::uint16_t>(state.range(0)));
  const AccessReshareOutcome outcome = ok(finalize_reshare(r.params, r.deals, {}));
  for (auto _ : state) {
    benchmark::DoNotOptimize(reshared_secret_share(r.params, outcome, r.deals, 1, r.fresh.secrets[0]));
  }
}

BENCHMARK(BM_DkgDealOneDealer)->Arg(4)->Arg(7)->Arg(10)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DkgCheckSharesOneTrustee)->Arg(4)->Arg(7)->Arg(10)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DkgDecodeDeal)->ArgsProduct({{4, 7, 10, 16}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DkgFinalize)->Arg(4)->Arg(7)->Arg(10)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DkgWholeProtocolOneProcess)->Arg(4)->Arg(7)->Arg(10)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecryptionShareMake)->Arg(3)->Arg(5)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DecryptionShareVerify)->Arg(3)->Arg(5)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CombineAndOpen)->Arg(3)->Arg(5)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EnvelopeV2Seal)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EnvelopeV2OpenWithWholeSecret)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReshareDealOneDealer)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReshareVerifyDealOneTrustee)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReshareFinalize)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReshareNewSecretShare)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
