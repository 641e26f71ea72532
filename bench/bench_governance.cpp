// Consortium governance's cost per transaction (issue 16 item 1): checking the approval that
// decides a join request (its approver's membership, its Ed25519 signature, the proposal it
// names and the open proposals' bound) and computing the state a block holding it writes (the
// acceptance: new member list, member entry, change entry), on the RocksDB store as the
// application reads it, with 1 and with 16 proposals open. Seeded, fixed inputs. And the
// cost of making and of opening the member key boxed to a joined hospital (kind 25).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "chain/enrollment_box.h"
#include "chain/governance_rules.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "crypto/ed25519.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"

namespace {

using namespace hc;
using namespace hc::chain;

SecureBytes candidate_seed(std::size_t i) {
  Bytes seed(32, 0x40);
  for (std::size_t b = 0; b < 8; ++b) seed[b] = static_cast<std::uint8_t>((i + 1) >> (8 * b));
  return SecureBytes(seed.data(), seed.size());
}

Bytes governance_signed_tx(Transaction tx, const SecureBytes& seed) {
  HC_CHECK(sign_governance_tx(tx, seed).ok());
  return encode_transaction(tx);
}

// A 4-replica chain with `open` join requests committed, the first approved by replicas 0 and
// 1; `deciding` is replica 2's approval of it (3 of 4: it accepts the join).
struct GovernanceFixture {
  explicit GovernanceFixture(std::size_t open) : dir("bench-governance") {
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
    std::vector<Bytes> joins;
    for (std::size_t i = 0; i < open; ++i) {
      const SecureBytes seed = candidate_seed(i);
      const auto key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
      joins.push_back(governance_signed_tx(JoinRequestTx{c.genesis_hash(), key, "h" + std::to_string(i), "h:1", "", 0, {}, ""}, seed));
    }
    HC_CHECK(app->commit_block(c.make_block(store->tip(), joins)).ok());
    const Digest first = transaction_id(joins[0]);
    auto approval = [&](std::uint32_t r) {
      return governance_signed_tx(GovernanceApprovalTx{c.genesis_hash(), first, r, {}}, c.replica_seed(r));
    };
    HC_CHECK(app->commit_block(c.make_block(store->tip(), {approval(0), approval(1)})).ok());
    deciding = approval(2);
    tx = decode_transaction(deciding).value();
    checked.transactions = {tx};
    checked.tx_ids = {transaction_id(deciding)};
  }
  testing::TestConsortium c;
  testing::TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  Bytes deciding;
  Transaction tx;
  CheckedBlock checked;
};

void BM_GovernanceCheckApproval(benchmark::State& state) {
  GovernanceFixture f(static_cast<std::size_t>(state.range(0)));
  const StoreTrusteeView view(*f.store);
  const std::uint64_t height = f.store->tip().height + 1;
  for (auto _ : state) {
    GovernanceBlockClaims claims;
    benchmark::DoNotOptimize(check_governance_tx(view, f.tx, height, claims).ok());
  }
}
BENCHMARK(BM_GovernanceCheckApproval)->Arg(1)->Arg(16);

void BM_GovernanceChangesOfAcceptingBlock(benchmark::State& state) {
  GovernanceFixture f(static_cast<std::size_t>(state.range(0)));
  const StoreTrusteeView view(*f.store);
  const std::uint64_t height = f.store->tip().height + 1;
  std::size_t entries = 0;
  for (auto _ : state) {
    auto out = governance_changes_of(view, f.checked, height);
    HC_CHECK(out.ok());
    entries = out->size();
    benchmark::DoNotOptimize(entries);
  }
  state.counters["entries"] = static_cast<double>(entries);
}
BENCHMARK(BM_GovernanceChangesOfAcceptingBlock)->Arg(1)->Arg(16);

// Admission of the deciding approval by the application (check_tx: decode, the rules above, and
// the id lookups every transaction pays).
void BM_GovernanceAdmitApproval(benchmark::State& state) {
  GovernanceFixture f(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(f.app->check_tx(f.deciding).ok());
}
BENCHMARK(BM_GovernanceAdmitApproval)->Arg(1)->Arg(16);

// The on-chain enrollment of a joined hospital (issue 16 item 3, kind 25): boxing a real encoded
// BBS04 member key to the hospital's P-256 key (the manager's side: one ECDH with a fresh
// ephemeral, HKDF, AES-GCM) and opening it (the node's side). A fixed recipient key.
struct EnrollmentBoxFixture {
  EnrollmentBoxFixture() {
    groupsig::GroupSetup setup = groupsig::setup();
    auto key = groupsig::enroll(setup.issuer, setup.gpk, setup.registry, "hospital-e");
    HC_CHECK(key.ok());
    member_key = groupsig::encode_member_key(*key);
    enrollment.member_name = "hospital-e";
    enrollment.registry_entry = groupsig::encode_registry(setup.registry);
    enrollment.boxed = BoxedMemberKey{sha256(as_bytes("bench-chain")), 4, 0, crypto::P256Point::base_mul(secret).encode(), {}};
    HC_CHECK(seal_member_key(enrollment, member_key.span()).ok());
  }
  crypto::P256Scalar secret = crypto::P256Scalar::from_u64(0x5eed);
  SecureBytes member_key;
  EnrollmentTx enrollment;
};

void BM_EnrollmentBoxMemberKey(benchmark::State& state) {
  EnrollmentBoxFixture f;
  for (auto _ : state) benchmark::DoNotOptimize(seal_member_key(f.enrollment, f.member_key.span()).ok());
  state.counters["box_bytes"] = static_cast<double>(f.enrollment.boxed->box.size());
}
BENCHMARK(BM_EnrollmentBoxMemberKey);

void BM_EnrollmentOpenMemberKey(benchmark::State& state) {
  EnrollmentBoxFixture f;
  for (auto _ : state) benchmark::DoNotOptimize(open_member_key(f.enrollment, f.secret).ok());
}
BENCHMARK(BM_EnrollmentOpenMemberKey);

}  // namespace
