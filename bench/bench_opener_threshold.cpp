// Benchmarks of threshold opening (issue 13 item 4): BBS04-ElGamal sign / verify / open next
// to today's BBS04 in one run (same machine, same moment: their ratio is the figure that
// matters), the opener DKG for m = 4, 7, 10, 16 trustees (t = 2f+1 of m = 3f+1; one deal, and
// the decode of one in the legacy or the proven form), and partial openings: making one with
// its proof, checking one, combining t = 3 of 4 and 5 of 7, and
// the judge's evidence check; proactive resharing of the opener key from m old to m new
// trustees for m = 4, 7, 16 (deal, one new trustee's check of one deal, finalize). Fixed inputs; keys and nonces come from the RNG (timings do not
// depend on their values).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/verify.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "crypto/threshold/opener_reshare.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"

namespace hc {
namespace {

namespace eg = groupsig::elgamal;
namespace th = crypto::threshold;

constexpr std::size_t kMembers = 10;

const Bytes& bench_message() {
  static const Bytes m(256, 0x5a);  // a record digest plus metadata, as the ledger signs
  return m;
}

struct Bbs04Group {
  groupsig::GroupSetup setup = groupsig::setup();
  std::vector<groupsig::MemberKey> members;
  std::unique_ptr<groupsig::PreparedGroupKey> key;
  groupsig::Signature sig;
  Bbs04Group() {
    for (std::size_t i = 0; i < kMembers; ++i) {
      members.push_back(groupsig::enroll(setup.issuer, setup.gpk, setup.registry, "member-" + std::to_string(i)).value());
    }
    key = std::make_unique<groupsig::PreparedGroupKey>(setup.gpk);
    sig = groupsig::sign(members[kMembers - 1], bench_message());
  }
};

struct ElGamalGroup {
  eg::Setup setup = eg::setup();
  std::vector<eg::MemberKey> members;
  std::unique_ptr<eg::PreparedKey> key;
  eg::Signature sig;
  ElGamalGroup() {
    for (std::size_t i = 0; i < kMembers; ++i) {
      members.push_back(eg::enroll(setup.issuer, setup.gpk, setup.registry, "member-" + std::to_string(i)).value());
    }
    key = std::make_unique<eg::PreparedKey>(setup.gpk);
    sig = eg::sign(members[kMembers - 1], bench_message());
  }
};

const Bbs04Group& bbs04() {
  static const Bbs04Group g;
  return g;
}

const ElGamalGroup& elgamal() {
  static const ElGamalGroup g;
  return g;
}

void BM_Bbs04_Sign(benchmark::State& state) {
  groupsig::Signer signer(bbs04().members[0]);
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(bench_message()));
}
BENCHMARK(BM_Bbs04_Sign)->Unit(benchmark::kMicrosecond);

void BM_ElGamal_Sign(benchmark::State& state) {
  eg::Signer signer(elgamal().members[0]);
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(bench_message()));
}
BENCHMARK(BM_ElGamal_Sign)->Unit(benchmark::kMicrosecond);

// Verification of the two variants alternates within one benchmark each, so that both see
// the same machine load; each is also timed on its own.
void BM_Bbs04_Verify(benchmark::State& state) {
  const Bbs04Group& g = bbs04();
  for (auto _ : state) {
    if (!groupsig::verify(*g.key, bench_message(), g.sig).ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_Bbs04_Verify)->Unit(benchmark::kMicrosecond);

void BM_ElGamal_Verify(benchmark::State& state) {
  const ElGamalGroup& g = elgamal();
  for (auto _ : state) {
    if (!eg::verify(*g.key, bench_message(), g.sig).ok()) state.SkipWithError("invalid");
  }
}
BENCHMARK(BM_ElGamal_Verify)->Unit(benchmark::kMicrosecond);

void BM_Bbs04_Open(benchmark::State& state) {
  const Bbs04Group& g = bbs04();
  for (auto _ : state) {
    benchmark::DoNotOptimize(groupsig::open(*g.key, g.setup.opener, g.setup.registry, bench_message(), g.sig));
  }
}
BENCHMARK(BM_Bbs04_Open)->Unit(benchmark::kMicrosecond);

void BM_ElGamal_Open(benchmark::State& state) {
  const ElGamalGroup& g = elgamal();
  for (auto _ : state) {
    benchmark::DoNotOptimize(eg::open(*g.key, g.setup.opener, g.setup.registry, bench_message(), g.sig));
  }
}
BENCHMARK(BM_ElGamal_Open)->Unit(benchmark::kMicrosecond);

void BM_Bbs04_OpenDecryptOnly(benchmark::State& state) {
  const Bbs04Group& g = bbs04();
  for (auto _ : state) benchmark::DoNotOptimize(groupsig::recover_signer_key(g.setup.opener, g.sig));
}
BENCHMARK(BM_Bbs04_OpenDecryptOnly)->Unit(benchmark::kMicrosecond);

void BM_ElGamal_OpenDecryptOnly(benchmark::State& state) {
  const ElGamalGroup& g = elgamal();
  for (auto _ : state) benchmark::DoNotOptimize(eg::recover_signer_key(g.setup.opener, g.sig));
}
BENCHMARK(BM_ElGamal_OpenDecryptOnly)->Unit(benchmark::kMicrosecond);

// m trustees with long-term P-256 keys and t = 2f+1 for m = 3f+1 (t = 11 for m = 16).
struct BenchTrustees {
  th::OpenerDkgParams params;
  std::vector<crypto::P256Scalar> secrets;
  BenchTrustees(std::uint16_t m, const bls12_381::G1& u) {
    params.trustees.chain_id.fill(0xc4);
    params.trustees.epoch = 1;
    params.trustees.threshold = static_cast<std::uint16_t>(2 * ((m - 1) / 3) + 1);
    for (std::uint16_t j = 0; j < m; ++j) {
      secrets.push_back(crypto::P256Scalar::random_nonzero());
      params.trustees.trustee_keys.push_back(crypto::P256Point::base_mul(secrets.back()));
    }
    params.u = u;
  }
};

struct BenchDkg {
  std::vector<std::optional<th::OpenerDeal>> deals;
  th::OpenerDkgOutcome outcome;
  std::vector<bls12_381::Fr> shares;
};

// The whole DKG as the chain sees it: every trustee deals (encoded and decoded), every
// trustee opens and checks its m shares, everyone finalizes, every trustee sums its share.
BenchDkg run_bench_dkg(const BenchTrustees& t) {
  const std::uint16_t m = t.params.trustees.trustees();
  BenchDkg run;
  for (std::uint16_t i = 1; i <= m; ++i) {
    th::OpenerDeal deal = th::make_opener_deal(t.params, i).value();
    run.deals.emplace_back(th::decode_opener_deal(t.params, th::encode_opener_deal(t.params, deal)).value());
  }
  run.outcome = th::finalize_opener_dkg(t.params, run.deals, {}).value();
  for (std::uint16_t j = 1; j <= m; ++j) {
    run.shares.push_back(th::opener_secret_share(t.params, run.outcome, run.deals, j, t.secrets[j - 1]).value());
  }
  return run;
}

void BM_OpenerDkg(benchmark::State& state) {
  const BenchTrustees trustees(static_cast<std::uint16_t>(state.range(0)), elgamal().setup.gpk.u);
  for (auto _ : state) benchmark::DoNotOptimize(run_bench_dkg(trustees));
  state.counters["t"] = trustees.params.trustees.threshold;
}
BENCHMARK(BM_OpenerDkg)->Arg(4)->Arg(7)->Arg(10)->Arg(16)->Unit(benchmark::kMillisecond)->Iterations(3);

// One dealer's opener deal (with its m box proofs), and decoding one (range 1: 0 the legacy
// form without proofs, the decode before session 13; 1 the proven form, every proof checked).
void BM_OpenerDkgDealOneDealer(benchmark::State& state) {
  const BenchTrustees trustees(static_cast<std::uint16_t>(state.range(0)), elgamal().setup.gpk.u);
  for (auto _ : state) benchmark::DoNotOptimize(th::make_opener_deal(trustees.params, 1).value());
}
BENCHMARK(BM_OpenerDkgDealOneDealer)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_OpenerDkgDecodeDeal(benchmark::State& state) {
  const BenchTrustees trustees(static_cast<std::uint16_t>(state.range(0)), elgamal().setup.gpk.u);
  th::OpenerDeal deal = th::make_opener_deal(trustees.params, 1).value();
  if (state.range(1) == 0) deal.box_proofs.clear();
  const Bytes bytes = th::encode_opener_deal(trustees.params, deal);
  for (auto _ : state) benchmark::DoNotOptimize(th::decode_opener_deal(trustees.params, bytes).value());
}
BENCHMARK(BM_OpenerDkgDecodeDeal)->ArgsProduct({{4, 7, 16}, {0, 1}})->Unit(benchmark::kMillisecond);

// The opener key of m old trustees and its resharing to m new ones, every deal made.
struct BenchReshare {
  BenchTrustees old_trustees;
  BenchDkg dkg;
  BenchTrustees new_trustees;
  th::OpenerReshareParams params;
  std::vector<std::optional<th::OpenerReshareDeal>> deals;
  explicit BenchReshare(std::uint16_t m)
      : old_trustees(m, elgamal().setup.gpk.u), dkg(run_bench_dkg(old_trustees)), new_trustees(m, elgamal().setup.gpk.u) {
    params = th::OpenerReshareParams{dkg.outcome.key, new_trustees.params.trustees, 1};
    for (std::uint16_t i = 1; i <= m; ++i) {
      th::OpenerReshareDeal deal = th::make_reshare_deal(params, i, dkg.shares[i - 1]).value();
      deals.emplace_back(th::decode_reshare_deal(params, th::encode_reshare_deal(params, deal)).value());
    }
  }
};

void BM_OpenerReshareDeal(benchmark::State& state) {
  const BenchReshare r(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(th::make_reshare_deal(r.params, 1, r.dkg.shares[0]));
}
BENCHMARK(BM_OpenerReshareDeal)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_OpenerReshareVerifyDealOneTrustee(benchmark::State& state) {
  const BenchReshare r(static_cast<std::uint16_t>(state.range(0)));
  const Bytes bytes = th::encode_reshare_deal(r.params, *r.deals[0]);
  for (auto _ : state) {
    const th::OpenerReshareDeal deal = th::decode_reshare_deal(r.params, bytes).value();
    benchmark::DoNotOptimize(th::receive_reshare_share(r.params, deal, 1, r.new_trustees.secrets[0]).value());
  }
}
BENCHMARK(BM_OpenerReshareVerifyDealOneTrustee)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_OpenerReshareFinalize(benchmark::State& state) {
  const BenchReshare r(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(th::finalize_reshare(r.params, r.deals, {}));
}
BENCHMARK(BM_OpenerReshareFinalize)->Arg(4)->Arg(7)->Arg(16)->Unit(benchmark::kMillisecond);


// A group whose opener key the trustees generated over the group's own u.
struct BenchOpening {
  eg::Setup setup = eg::setup();
  BenchTrustees trustees;
  BenchDkg dkg;
  eg::GroupKey gpk;
  groupsig::IssuerKey issuer;
  groupsig::Registry registry;
  std::unique_ptr<eg::PreparedKey> key;
  eg::Signature sig;
  th::RequestId request{};
  std::vector<th::PartialOpening> partials;
  explicit BenchOpening(std::uint16_t m) : trustees(m, setup.gpk.u), dkg(run_bench_dkg(trustees)) {
    setup.opener.xi.wipe();
    issuer.gamma = setup.issuer.gamma;
    gpk = eg::with_opener_key(setup.gpk, dkg.outcome.key.h).value();
    std::vector<eg::MemberKey> members;
    for (std::size_t i = 0; i < kMembers; ++i) {
      members.push_back(eg::enroll(issuer, gpk, registry, "member-" + std::to_string(i)).value());
    }
    key = std::make_unique<eg::PreparedKey>(gpk);
    sig = eg::sign(members[3], bench_message());
    request.fill(0x42);
    for (std::uint16_t j = 1; j <= dkg.outcome.key.threshold; ++j) {
      partials.push_back(th::make_partial_opening(dkg.outcome.key, j, dkg.shares[j - 1], request, sig).value());
    }
  }
};

const BenchOpening& bench_opening(std::uint16_t m) {
  static std::map<std::uint16_t, std::unique_ptr<BenchOpening>> cache;
  auto& slot = cache[m];
  if (!slot) slot = std::make_unique<BenchOpening>(m);
  return *slot;
}

void BM_PartialOpeningMake(benchmark::State& state) {
  const BenchOpening& o = bench_opening(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(th::make_partial_opening(o.dkg.outcome.key, 1, o.dkg.shares[0], o.request, o.sig));
  }
}
BENCHMARK(BM_PartialOpeningMake)->Arg(4)->Unit(benchmark::kMicrosecond);

void BM_PartialOpeningVerify(benchmark::State& state) {
  const BenchOpening& o = bench_opening(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) {
    if (!th::verify_partial_opening(o.dkg.outcome.key, o.request, o.sig, o.partials[0]).ok()) {
      state.SkipWithError("invalid");
    }
  }
}
BENCHMARK(BM_PartialOpeningVerify)->Arg(4)->Unit(benchmark::kMicrosecond);

// Verifies the t partial openings, interpolates T1^xi and finds the member.
void BM_CombinePartialOpenings(benchmark::State& state) {
  const BenchOpening& o = bench_opening(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) {
    auto r = th::combine_partial_openings(o.dkg.outcome.key, o.registry, o.request, o.sig, o.partials);
    if (!r.ok() || r->member != "member-3") state.SkipWithError("wrong opening");
  }
  state.counters["t"] = o.dkg.outcome.key.threshold;
}
BENCHMARK(BM_CombinePartialOpenings)->Arg(4)->Arg(7)->Unit(benchmark::kMicrosecond);

// The judge: signature, opener key consistency, t proofs, combination, registry.
void BM_CheckOpeningEvidence(benchmark::State& state) {
  const BenchOpening& o = bench_opening(static_cast<std::uint16_t>(state.range(0)));
  for (auto _ : state) {
    if (!th::check_opening_evidence(*o.key, o.dkg.outcome.key, o.registry, o.request, bench_message(), o.sig,
                                    o.partials, "member-3")
             .ok()) {
      state.SkipWithError("evidence refused");
    }
  }
}
BENCHMARK(BM_CheckOpeningEvidence)->Arg(4)->Arg(7)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hc

BENCHMARK_MAIN();
