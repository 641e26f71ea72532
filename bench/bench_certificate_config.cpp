// What checking a commit certificate against its height's configuration costs (issue 16; the
// ledger runs it on every commit, `hc chain verify` on every block): the genesis-only check
// (the light client's, and the ledger's before membership was followed) beside the check with
// the configuration computed from the store's committed state (chain::configuration_at: the
// change list, each member's key), on a 5-replica chain without a change (Arg 0) and past the
// boundary of one exit (Arg 1). Seeded, fixed inputs.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "chain/consensus_parameters.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"

namespace {

using namespace hc;
using namespace hc::chain;

// A 5-replica chain and the next block (certified by its configuration); with `exits` = 1,
// replica 4 left at height 1 and the chain is at the boundary, so the block is configuration 1's.
struct CertificateFixture {
  explicit CertificateFixture(std::int64_t exits) : c(5), dir("bench-certificate-config") {
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
    std::vector<testing::TestConsortium::Signer> signers;
    for (std::uint32_t i = 0; i < 4; ++i) signers.push_back({i, &c.replica_seed(i)});
    std::uint64_t config = 0;
    if (exits > 0) {
      Transaction leave = ExitAnnouncementTx{c.genesis_hash(), 4, 0, {}};
      HC_CHECK(sign_governance_tx(leave, c.replica_seed(4)).ok());
      HC_CHECK(app->commit_block(c.make_block(store->tip(), {encode_transaction(leave)})).ok());
      while (store->tip().height < membership_change_boundary(1)) {
        HC_CHECK(app->commit_block(c.make_block(store->tip(), {})).ok());
      }
      config = 1;
      signers.pop_back();  // quorum 3 of 4
    }
    block = c.make_block(store->tip(), {c.encode_signed_record(c.serial_of(1), 0)});
    block.commit_certificate = c.certificate_in(block, config, signers);
    hash = block_hash(block.header);
    ids = transaction_ids(block);
  }
  testing::TestConsortium c;
  testing::TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  Block block;
  Digest hash{};
  std::vector<Digest> ids;
};

void BM_CertificateGenesisOnly(benchmark::State& state) {
  CertificateFixture f(0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.c.certificates().verify(f.block.header, f.hash, f.ids, f.block.commit_certificate).ok());
  }
}
BENCHMARK(BM_CertificateGenesisOnly);

void BM_CertificateAtItsHeightsConfiguration(benchmark::State& state) {
  CertificateFixture f(state.range(0));
  const StoreTrusteeView view(*f.store);
  for (auto _ : state) {
    Status s = f.c.certificates().verify_in_chain(f.block.header, f.hash, f.ids, f.block.commit_certificate, view);
    HC_CHECK(s.ok());
  }
}
BENCHMARK(BM_CertificateAtItsHeightsConfiguration)->Arg(0)->Arg(1);

}  // namespace
