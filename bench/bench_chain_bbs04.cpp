// Block validation throughput with the real BBS04 verifier (part of bench_chain): a block of
// 256 records group-signed by a member, validated by a fresh application (empty cache) so that
// every signature is verified once on the 2-thread pool; and one-thread verification for
// comparison.
#include <benchmark/benchmark.h>

#include <memory>

#include "chain/bbs04_record_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
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

}  // namespace
}  // namespace hc::chain
