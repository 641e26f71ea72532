// Block validation throughput with the real BBS04 verifier (part of bench_chain): a block of
// 256 records group-signed by a member, validated by a fresh application (empty cache) so that
// every signature is verified once on the 2-thread pool; and one-thread verification for
// comparison. Trustees mode (issue 18 item 2): a block of 100 version-2 records signed with
// BBS04-ElGamal, its signatures checked on one thread by verify_record_signatures (one batch)
// and by the same call through a verifier that checks one by one, and the block validated by a
// fresh application either way; and the whole path of a block's records from arrival to
// validation, verified on arrival one by one against with the block in batches.
#include <benchmark/benchmark.h>

#include <memory>

#include "chain/bbs04_record_verifier.h"
#include "chain/formed_access_key.h"
#include "chain/forwarding_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/limits.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "chain/test_chain.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/sign.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

constexpr int kBlockRecords = 256;

struct Bbs04Fixture {
  groupsig::GroupSetup group = groupsig::setup();
  TestConsortium c{4, groupsig::encode_gpk(group.gpk)};
  TempDir dir{"bench-bbs04"};
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<LedgerStore> store;
  Block block;

  Bbs04Fixture() {
    auto member = groupsig::enroll(group.issuer, group.gpk, group.registry, "hospital-a");
    HC_CHECK(member.ok());
    groupsig::Signer signer(*member);
    verifier = std::move(Bbs04RecordVerifier::create(c.genesis().group_public_key)).value();
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    auto app = std::move(HealthchainApp::start(*store, *verifier, c.certificates())).value();
    HC_CHECK(app->commit_block(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
    std::vector<Bytes> txs;
    for (int i = 0; i < kBlockRecords; ++i) {
      RecordTx r = c.make_record(c.serial_of(static_cast<std::uint64_t>(i)), 0, 256);
      Digest d = record_signing_digest(r);
      r.group_signature = groupsig::encode_signature(signer.sign(span_of(d)));
      txs.push_back(encode_transaction(r));
    }
    block = c.make_block(store->tip(), std::move(txs));
  }
};

Bbs04Fixture& fixture() {
  static Bbs04Fixture f;
  return f;
}

void BM_ValidateBlockBbs04(benchmark::State& state) {
  Bbs04Fixture& f = fixture();
  for (auto _ : state) {
    state.PauseTiming();
    auto app = std::move(HealthchainApp::start(*f.store, *f.verifier, f.c.certificates())).value();
    state.ResumeTiming();
    Status s = app->validate_block(f.block);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kBlockRecords);
}
BENCHMARK(BM_ValidateBlockBbs04)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_VerifyBbs04OneThread(benchmark::State& state) {
  Bbs04Fixture& f = fixture();
  auto tx = decode_transaction(f.block.transactions[0]);
  const auto& r = std::get<RecordTx>(*tx);
  Digest d = record_signing_digest(r);
  for (auto _ : state) {
    Status s = f.verifier->verify(0, d, r.group_signature);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyBbs04OneThread)->Unit(benchmark::kMicrosecond);

constexpr int kTrusteesBlockRecords = 100;

// A trustees chain past its first DKG (access key and opener key formed) and a block of
// version-2 records signed by one hospital under the trustees' opener key.
struct TrusteesBatchFixture {
  testing::TrusteesChain chain{4, 3, "bench-trustees-batch"};
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  // The real verifier, checking BBS04-ElGamal signatures one by one (forwarding_verifier.h).
  std::unique_ptr<testing::ForwardingRecordVerifier> one_by_one;
  std::vector<RecordTx> records;
  Block block;

  TrusteesBatchFixture() {
    namespace eg = groupsig::elgamal;
    const testing::FormedTrusteeKeys keys = testing::form_trustee_keys(chain, 3, true).value();
    const StoreTrusteeView view(*chain.store);
    const auto& access_key = keys.access_key;
    const auto& h = keys.opener_key->h;
    verifier = Bbs04RecordVerifier::create(chain.c.genesis().group_public_key).value();
    HC_CHECK(verifier->refresh_opener_keys(view).ok());
    one_by_one = std::make_unique<testing::ForwardingRecordVerifier>(*verifier);
    const eg::Signer signer(eg::member_key_with_opener_key(testing::trustees_chain_member("bench-hospital"), h).value());
    std::vector<Bytes> txs;
    for (int i = 0; i < kTrusteesBlockRecords; ++i) {
      crypto::SerialNumber serial{};
      const Serial s = chain.c.serial_of(static_cast<std::uint64_t>(i));
      std::copy(s.begin(), s.end(), serial.begin());
      auto sealed = crypto::seal_payload_v2_with(Bytes(256, 'v'), serial, access_key.group_key,
                                                 crypto::P256Scalar::random_nonzero(),
                                                 crypto::GcmNonce{static_cast<std::uint8_t>(i)})
                        .value();
      RecordTx r;
      r.sealed = chain_record_of(sealed).value();
      r.epoch = 0;
      r.group_signature = eg::encode_signature(signer.sign(span_of(record_signing_digest(r))));
      records.push_back(r);
      txs.push_back(encode_transaction(r));
    }
    block = chain.c.make_block(chain.store->tip(), std::move(txs));
    chain.app.reset();  // the benchmarks start their own applications over the store
  }
};

TrusteesBatchFixture& trustees_fixture() {
  static TrusteesBatchFixture f;
  return f;
}

// The block's record signatures on this thread: state.range(0) = 1 batches, 0 one by one.
void BM_TrusteesBlockSignaturesOneThread(benchmark::State& state) {
  TrusteesBatchFixture& f = trustees_fixture();
  const RecordSignatureVerifier& v = state.range(0) ? static_cast<const RecordSignatureVerifier&>(*f.verifier)
                                                    : *f.one_by_one;
  std::vector<const RecordTx*> records;
  for (const RecordTx& r : f.records) records.push_back(&r);
  const StoreTrusteeView view(*f.chain.store);
  for (auto _ : state) {
    const std::vector<Status> verdicts = verify_record_signatures(v, view, records);
    for (const Status& s : verdicts) {
      if (!s.ok()) state.SkipWithError(s.message().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() * kTrusteesBlockRecords);
  state.counters["per_record_us"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kTrusteesBlockRecords),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(state.range(0) ? "batch" : "one by one");
}
BENCHMARK(BM_TrusteesBlockSignaturesOneThread)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

// validate_block of the same block by a fresh application (empty cache, 2-thread pool), wall time.
void BM_ValidateTrusteesBlock(benchmark::State& state) {
  TrusteesBatchFixture& f = trustees_fixture();
  RecordSignatureVerifier& v = state.range(0) ? static_cast<RecordSignatureVerifier&>(*f.verifier) : *f.one_by_one;
  for (auto _ : state) {
    state.PauseTiming();
    auto app = std::move(HealthchainApp::start(*f.chain.store, v, f.chain.c.certificates())).value();
    state.ResumeTiming();
    Status s = app->validate_block(f.block);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kTrusteesBlockRecords);
  state.SetLabel(state.range(0) ? "batch" : "one by one");
}
BENCHMARK(BM_ValidateTrusteesBlock)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// Issue 18 items 2 and 4: the CPU a replica spends on a block's 100 records from their arrival
// to the block's validation, process CPU time (the verification pool's threads included), a
// fresh application (empty caches) each time. state.range(0) = 0: as hc-node did before, each
// record's signature verified alone on arrival (check_tx_verified, what a stem record still
// gets) and the block's then cache hits; 1: admitted without a pairing (check_tx) and verified
// with the block (validate_block, batches on the pool); 2: the primary's path, check_tx, then
// check_deferred on the block's records, then validate_block of its own block (cache hits).
void BM_TrusteesRecordPathArrivalToBlock(benchmark::State& state) {
  TrusteesBatchFixture& f = trustees_fixture();
  const std::int64_t path = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    auto app = std::move(HealthchainApp::start(*f.chain.store, *f.verifier, f.chain.c.certificates())).value();
    state.ResumeTiming();
    for (const Bytes& tx : f.block.transactions) {
      Status s = path == 0 ? app->check_tx_verified(tx) : app->check_tx(tx);
      if (!s.ok()) state.SkipWithError(s.message().c_str());
    }
    if (path == 2 && !app->check_deferred(f.block.transactions).empty()) state.SkipWithError("a record failed");
    Status s = app->validate_block(f.block);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kTrusteesBlockRecords);
  state.counters["per_record_us"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kTrusteesBlockRecords),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(path == 0 ? "on arrival, one by one" : path == 1 ? "replica: with the block" : "primary: deferred checks");
}
BENCHMARK(BM_TrusteesRecordPathArrivalToBlock)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
}  // namespace hc::chain
