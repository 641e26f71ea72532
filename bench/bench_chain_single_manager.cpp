// A single-manager chain's block of 100 version-1 records (part of bench_chain; issue 18 items
// 2 and 4): the records' signatures checked on one thread by verify_record_signatures, on a
// genesis of version 3 (plain BBS04, each verified alone: what every single-manager chain did
// before genesis version 7) and of version 7 (BBS04-ElGamal under the manager's opener key, one
// batch), the same consortium, members and records otherwise; and validate_block of the block
// by a fresh application (empty cache, the 2-thread pool), wall time.
#include <benchmark/benchmark.h>

#include <memory>

#include "chain/bbs04_record_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/manager_opener_key.h"
#include "chain/record_signature_check.h"
#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/sign.h"

namespace hc::chain {
namespace {

namespace eg = groupsig::elgamal;
using testing::TempDir;
using testing::TestConsortium;

constexpr int kSingleManagerBlockRecords = 100;

struct SingleManagerFixture {
  groupsig::GroupSetup group = groupsig::setup();
  TestConsortium c{4, groupsig::encode_gpk(group.gpk)};
  TempDir dir;
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<LedgerStore> store;
  std::vector<RecordTx> records;
  Block block;

  explicit SingleManagerFixture(bool version7) : dir(version7 ? "bench-manager-v7" : "bench-manager-v3") {
    const groupsig::MemberKey member = groupsig::enroll(group.issuer, group.gpk, group.registry, "hospital-a").value();
    std::unique_ptr<eg::Signer> elgamal;
    if (version7) {
      const eg::FreshOpener fresh = eg::new_opener_key(group.gpk.u);
      Genesis g = c.genesis();
      HC_CHECK(attach_manager_opener_key(g, fresh.opener).ok());
      c.use_manager_opener_key(*g.manager_opener_key);
      elgamal = std::make_unique<eg::Signer>(eg::member_key_with_opener_key(member, fresh.h).value());
    }
    const groupsig::Signer plain(member);
    verifier = Bbs04RecordVerifier::create(c.genesis().group_public_key).value();
    store = LedgerStore::create(dir.path(), c.genesis()).value();
    auto app = HealthchainApp::start(*store, *verifier, c.certificates()).value();
    HC_CHECK(app->commit_block(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
    std::vector<Bytes> txs;
    for (int i = 0; i < kSingleManagerBlockRecords; ++i) {
      RecordTx r = c.make_record(c.serial_of(static_cast<std::uint64_t>(i)), 0, 256);
      const Digest d = record_signing_digest(r);
      r.group_signature = version7 ? eg::encode_signature(elgamal->sign(span_of(d)))
                                   : groupsig::encode_signature(plain.sign(span_of(d)));
      records.push_back(r);
      txs.push_back(encode_transaction(r));
    }
    block = c.make_block(store->tip(), std::move(txs));
  }
};

SingleManagerFixture& single_manager_fixture(bool version7) {
  static SingleManagerFixture v3(false);
  static SingleManagerFixture v7(true);
  return version7 ? v7 : v3;
}

// state.range(0): the genesis version (3 or 7).
void BM_SingleManagerBlockSignaturesOneThread(benchmark::State& state) {
  SingleManagerFixture& f = single_manager_fixture(state.range(0) == 7);
  std::vector<const RecordTx*> records;
  for (const RecordTx& r : f.records) records.push_back(&r);
  const StoreTrusteeView view(*f.store);
  for (auto _ : state) {
    for (const Status& s : verify_record_signatures(*f.verifier, view, records)) {
      if (!s.ok()) state.SkipWithError(s.message().c_str());
    }
  }
  state.SetItemsProcessed(state.iterations() * kSingleManagerBlockRecords);
  state.counters["per_record_us"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kSingleManagerBlockRecords),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(state.range(0) == 7 ? "genesis 7: BBS04-ElGamal, batch" : "genesis 3: BBS04, one by one");
}
BENCHMARK(BM_SingleManagerBlockSignaturesOneThread)->Arg(7)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_ValidateSingleManagerBlock(benchmark::State& state) {
  SingleManagerFixture& f = single_manager_fixture(state.range(0) == 7);
  for (auto _ : state) {
    state.PauseTiming();
    auto app = HealthchainApp::start(*f.store, *f.verifier, f.c.certificates()).value();
    state.ResumeTiming();
    Status s = app->validate_block(f.block);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kSingleManagerBlockRecords);
  state.SetLabel(state.range(0) == 7 ? "genesis 7: BBS04-ElGamal, batch" : "genesis 3: BBS04, one by one");
}
BENCHMARK(BM_ValidateSingleManagerBlock)->Arg(7)->Arg(3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace hc::chain
