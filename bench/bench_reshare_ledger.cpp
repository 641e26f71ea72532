// The ledger's cost of resharing the trustees' keys (issue 16 item 3): judging one access-key
// resharing complaint as a block commits it (decoding the accused deal with its box proofs,
// the complaint, and judge_reshare_complaint: the entries reshare_changes_of writes), and the
// finalizing block's finalize_reshare_run over the committed transcript, for m = 4 and 7 old
// trustees resharing to m + 1 (a joiner), on the RocksDB store as the application reads it;
// and an empty block's resharing check while the announcement window waits for the joiner.
// Seeded setting; the chain is built once per m with real crypto (tests/chain/reshare_chain.h).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "chain/consensus_parameters.h"
#include "chain/reshare_chain.h"
#include "chain/reshare_rules.h"

namespace {

using namespace hc;
using namespace hc::chain;
namespace th = crypto::threshold;

// A chain of m genesis trustees, a joiner, the resharing's announcements and every old
// trustee's deal committed (dealer 2's box to the joiner wrong), at the last deal height; the
// joiner's complaint against dealer 2 ready as a checked block.
struct ReshareFixture {
  explicit ReshareFixture(std::uint32_t m) : chain(m, "bench-reshare-" + std::to_string(m)) {
    chain.form_key();
    chain.advance_to(membership_change_boundary(chain.join('j', "joiner")));
    run = chain.latest_run();
    const ReshareSchedule s = testing::schedule_when_all_announce(run);
    std::vector<Bytes> keys;
    for (std::uint32_t member : run.members) keys.push_back(chain.key_tx(run, member));
    chain.commit_ok(std::move(keys));
    chain.advance_to(s.last_key_height);
    const ReshareSetting setting = chain.setting(run);
    std::vector<Bytes> deals;
    th::AccessReshareDeal bad;
    const std::uint16_t joiner = static_cast<std::uint16_t>(run.members.size());
    for (std::uint16_t i = 1; i <= m; ++i) {
      th::AccessReshareDeal deal = chain.deal(setting, i);
      if (i == 2) {
        auto wrong = th::seal_reshare_share(setting.params, 2, joiner, crypto::P256Scalar::from_u64(99)).value();
        deal.share_boxes[joiner - 1] = wrong.box;
        deal.box_proofs[joiner - 1] = wrong.ephemeral_proof;
        bad = deal;
      }
      deals.push_back(chain.deal_tx(setting, deal));
    }
    chain.commit_ok(std::move(deals));
    chain.advance_to(s.last_deal_height);
    const crypto::P256Scalar secret = chain.fresh_secret(run.members.back(), 1);
    const Bytes complaint =
        chain.complaint_tx(setting, th::make_reshare_complaint(setting.params, bad, joiner, secret).value(), secret);
    checked.transactions = {decode_transaction(complaint).value()};
    checked.tx_ids = {transaction_id(complaint)};
    complaint_height = s.last_deal_height + 1;
    finalize_height = s.finalize_height;
  }
  testing::ReshareChain chain;
  ReshareRun run;
  CheckedBlock checked;
  std::uint64_t complaint_height = 0;
  std::uint64_t finalize_height = 0;
};

ReshareFixture& fixture(std::uint32_t m) {
  static std::map<std::uint32_t, std::unique_ptr<ReshareFixture>> fixtures;
  auto& f = fixtures[m];
  if (!f) f = std::make_unique<ReshareFixture>(m);
  return *f;
}

void BM_ReshareLedgerJudgeComplaint(benchmark::State& state) {
  ReshareFixture& f = fixture(static_cast<std::uint32_t>(state.range(0)));
  const StoreTrusteeView view = f.chain.view();
  for (auto _ : state) {
    auto entries = reshare_changes_of(view, f.checked, f.complaint_height);
    HC_CHECK(entries.ok() && entries->size() == 1);
    benchmark::DoNotOptimize(entries);
  }
}
BENCHMARK(BM_ReshareLedgerJudgeComplaint)->Arg(4)->Arg(7)->Unit(benchmark::kMillisecond);

void BM_ReshareLedgerFinalize(benchmark::State& state) {
  ReshareFixture& f = fixture(static_cast<std::uint32_t>(state.range(0)));
  const StoreTrusteeView view = f.chain.view();
  for (auto _ : state) {
    auto record = finalize_reshare_run(view, f.run, f.finalize_height);
    HC_CHECK(record.ok() && record->formed.has_value());
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(BM_ReshareLedgerFinalize)->Arg(4)->Arg(7)->Unit(benchmark::kMillisecond);

// An empty block while the announcement window waits for one member past B+W (the joiner has
// not announced): what every block costs then, the check whether it closes the window.
struct OpenWindowFixture {
  explicit OpenWindowFixture(std::uint32_t m) : chain(m, "bench-reshare-open-" + std::to_string(m)) {
    chain.form_key();
    chain.advance_to(membership_change_boundary(chain.join('j', "joiner")));
    run = chain.latest_run();
    std::vector<Bytes> keys;
    for (std::uint32_t member : run.members) {
      if (member != run.members.back()) keys.push_back(chain.key_tx(run, member));
    }
    chain.commit_ok(std::move(keys));
    chain.advance_to(run.started_at_height + kDkgWindowBlocks + 1);
  }
  testing::ReshareChain chain;
  ReshareRun run;
};

void BM_ReshareLedgerBlockWhileTheWindowWaits(benchmark::State& state) {
  static std::map<std::uint32_t, std::unique_ptr<OpenWindowFixture>> fixtures;
  const auto m = static_cast<std::uint32_t>(state.range(0));
  auto& f = fixtures[m];
  if (!f) f = std::make_unique<OpenWindowFixture>(m);
  const StoreTrusteeView view = f->chain.view();
  const CheckedBlock empty;
  const std::uint64_t height = f->chain.height() + 1;
  for (auto _ : state) {
    auto entries = reshare_changes_of(view, empty, height);
    HC_CHECK(entries.ok() && entries->empty());
    benchmark::DoNotOptimize(entries);
  }
}
BENCHMARK(BM_ReshareLedgerBlockWhileTheWindowWaits)->Arg(4)->Arg(7)->Unit(benchmark::kMicrosecond);

}  // namespace
