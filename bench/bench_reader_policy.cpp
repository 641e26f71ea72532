// The reader policy's cost per access request (issue 13 item 3): the state rule
// check_requester_allowed (one reader entry read and decoded) with N readers listed, on the
// RocksDB store as the application reads it and on the in-memory view `hc chain verify`
// rebuilds, beside the request's signature check (verify_access_request: one Ed25519
// verification), which every request pays anyway. Seeded, fixed inputs.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "chain/reader_policy.h"
#include "chain/test_chain.h"
#include "chain/trustee_rules.h"
#include "crypto/ed25519.h"
#include "crypto/p256.h"

namespace {

using namespace hc;
using namespace hc::chain;

SecureBytes reader_seed(std::size_t i) {
  Bytes seed(32, 0);
  for (std::size_t b = 0; b < 8; ++b) seed[b] = static_cast<std::uint8_t>((i + 1) >> (8 * b));
  return SecureBytes(seed.data(), seed.size());
}

// A trustees-mode ledger whose state lists `readers` readers (decrypt), written in one block,
// and a request signed by the last of them.
struct PolicyFixture {
  explicit PolicyFixture(std::size_t readers) : dir("bench-reader-policy") {
    std::vector<crypto::P256PointBytes> keys;
    for (std::uint64_t j = 1; j <= 4; ++j) keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(j + 7)).encode());
    c.use_trustees(keys, 3);
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    memory = std::make_unique<MemoryTrusteeView>(c.genesis(), c.genesis_hash());
    std::vector<TrusteeStateEntry> entries;
    for (std::size_t i = 0; i < readers; ++i) {
      ReaderPolicyTx p{c.genesis_hash(), i + 1, ReaderPolicyAction::kAdd,
                       crypto::Ed25519PrivateKey::from_seed(reader_seed(i)).value().public_key().bytes(),
                       kReaderRightDecrypt, "reader " + std::to_string(i), {}};
      auto written = reader_policy_entries(*memory, p, Digest{}, 1).value();
      memory->apply(written);
      entries.insert(entries.end(), written.begin(), written.end());
    }
    Block block = c.make_block(store->tip(), {});
    StateChanges changes;
    changes.trustee_entries = std::move(entries);
    HC_CHECK(store->commit_block(block, changes).ok());
    request.chain_id = c.genesis_hash();
    request.purpose = "treatment";
    request.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(5)).encode();
    request.serial.fill(0x11);
    const auto last = crypto::Ed25519PrivateKey::from_seed(reader_seed(readers - 1)).value();
    request.reader = last.public_key().bytes();
    request.signature = last.sign(manager_signing_message(Transaction(request)).value());
  }
  testing::TestConsortium c;
  testing::TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<MemoryTrusteeView> memory;
  AccessRequestTx request;
};

void BM_ReaderPolicyCheckStore(benchmark::State& state) {
  PolicyFixture f(static_cast<std::size_t>(state.range(0)));
  const StoreTrusteeView view(*f.store);
  for (auto _ : state) benchmark::DoNotOptimize(check_requester_allowed(view, f.request).ok());
}
BENCHMARK(BM_ReaderPolicyCheckStore)->Arg(1)->Arg(256);

void BM_ReaderPolicyCheckMemory(benchmark::State& state) {
  PolicyFixture f(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(check_requester_allowed(*f.memory, f.request).ok());
}
BENCHMARK(BM_ReaderPolicyCheckMemory)->Arg(1)->Arg(256);

void BM_AccessRequestSignature(benchmark::State& state) {
  PolicyFixture f(1);
  for (auto _ : state) benchmark::DoNotOptimize(verify_access_request(f.request, f.c.genesis()).ok());
}
BENCHMARK(BM_AccessRequestSignature);

}  // namespace
