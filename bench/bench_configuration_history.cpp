// What a client pays to follow the consortium's membership changes (issue 16;
// client/configuration_history.h): parsing a node's GET /v1/consortium/changes answer and
// verifying a history of k changes from the genesis (two commit certificates, the app hash
// link and the state-change decoding per change), for k = 1 and 8; and then one certificate
// check above the boundary through the verified history. The chain: 12 genesis replicas, of
// which k announce their exit at heights 1..k (one boundary, 80), certified up to height 81.
// Seeded, fixed inputs.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "chain/change_proof.h"
#include "chain/consensus_parameters.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "client/configuration_history.h"

namespace {

using namespace hc;
using namespace hc::chain;

constexpr std::uint32_t kReplicas = 12;

struct HistoryFixture {
  explicit HistoryFixture(std::int64_t changes) : c(kReplicas), dir("bench-configuration-history") {
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
    std::vector<testing::TestConsortium::Signer> genesis_quorum;
    for (std::uint32_t i = 0; i < 9; ++i) genesis_quorum.push_back({i, &c.replica_seed(i)});
    for (std::int64_t k = 0; k < changes; ++k) {
      const auto leaver = static_cast<std::uint32_t>(kReplicas - 1 - k);
      Transaction leave = ExitAnnouncementTx{c.genesis_hash(), leaver, 0, {}};
      HC_CHECK(sign_governance_tx(leave, c.replica_seed(leaver)).ok());
      commit({encode_transaction(leave)}, 0, genesis_quorum);
    }
    while (store->tip().height < membership_change_boundary(1)) commit({}, 0, genesis_quorum);
    // Configuration 1: the replicas that stayed; a quorum of them signs block 81.
    const std::uint32_t left = kReplicas - static_cast<std::uint32_t>(changes);
    std::vector<testing::TestConsortium::Signer> remaining;
    for (std::uint32_t i = 0; i < left; ++i) remaining.push_back({i, &c.replica_seed(i)});
    commit({}, 1, remaining);
    answer = change_proofs_to_json(change_proofs_from_store(*store).value()).dump();
    top = store->read_block(store->tip().height).value();
  }
  void commit(std::vector<Bytes> txs, std::uint64_t config, const std::vector<testing::TestConsortium::Signer>& signers) {
    Block b = c.make_block(store->tip(), std::move(txs));
    b.commit_certificate = c.certificate_in(b, config, signers);
    HC_CHECK(app->commit_block(b).ok());
  }
  testing::TestConsortium c;
  testing::TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  std::string answer;
  Block top;
};

void BM_VerifyChangeHistory(benchmark::State& state) {
  HistoryFixture f(state.range(0));
  for (auto _ : state) {
    auto proofs = change_proofs_from_json(nlohmann::json::parse(f.answer));
    HC_CHECK(proofs.ok() && proofs->size() == static_cast<std::size_t>(state.range(0)));
    client::ConfigurationHistory history(f.c.genesis());
    HC_CHECK(history.extend(*proofs, f.c.certificates()).ok());
  }
  state.counters["answer_bytes"] = static_cast<double>(f.answer.size());
}
BENCHMARK(BM_VerifyChangeHistory)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond);

void BM_CertificateThroughVerifiedHistory(benchmark::State& state) {
  HistoryFixture f(state.range(0));
  client::ConfigurationHistory history(f.c.genesis());
  HC_CHECK(history.extend(change_proofs_from_json(nlohmann::json::parse(f.answer)).value(), f.c.certificates()).ok());
  const Digest hash = block_hash(f.top.header);
  const std::vector<Digest> ids = transaction_ids(f.top);
  for (auto _ : state) {
    Status s = f.c.certificates().verify_in_chain(f.top.header, hash, ids, f.top.commit_certificate, history.view());
    HC_CHECK(s.ok());
  }
}
BENCHMARK(BM_CertificateThroughVerifiedHistory)->Arg(1)->Arg(8);

}  // namespace

BENCHMARK_MAIN();
