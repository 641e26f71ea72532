// The RocksDB ledger store: commits, reopen, checks before write and after read, the serial
// index for patients with many visits.
#include <gtest/gtest.h>

#include <map>

#include "chain/kv_store.h"
#include "chain/ledger_store.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<LedgerStore> create() {
    auto s = LedgerStore::create(dir.path(), c.genesis());
    HC_CHECK(s.ok());
    return std::move(s).value();
  }
  TempDir dir{"store"};
  TestConsortium c;
};

TEST_F(StoreTest, CreateCommitAndReopenAtTheTip) {
  Digest last_hash;
  Digest last_app;
  {
    auto store = create();
    EXPECT_EQ(store->tip().height, 0u);
    EXPECT_EQ(store->tip().block_hash, c.genesis_hash());
    for (int i = 0; i < 5; ++i) {
      Block b = testing::deterministic_block(c, store->tip(), 3);
      auto app = store->commit_block(b, StateChanges{});
      ASSERT_TRUE(app.ok()) << app.status().to_string();
      last_hash = block_hash(b.header);
      last_app = *app;
    }
  }
  auto reopened = LedgerStore::open(dir.path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  EXPECT_EQ((*reopened)->tip().height, 5u);
  EXPECT_EQ((*reopened)->tip().block_hash, last_hash);
  EXPECT_EQ((*reopened)->tip().app_hash, last_app);
  EXPECT_EQ(genesis_hash((*reopened)->genesis()), c.genesis_hash());
  // While open, the database is locked against a second opener.
  EXPECT_EQ(LedgerStore::open(dir.path()).status().code(), ErrorCode::kIo);
  reopened = Status::error(ErrorCode::kInternal, "closed");
  EXPECT_EQ(LedgerStore::create(dir.path(), c.genesis()).status().code(), ErrorCode::kAlreadyExists);
}

TEST_F(StoreTest, OpenOfAMissingLedgerIsNotFound) {
  EXPECT_EQ(LedgerStore::open(dir.path() + "/nothing").status().code(), ErrorCode::kNotFound);
}

TEST_F(StoreTest, BlocksThatDoNotExtendTheTipAreRefused) {
  auto store = create();
  Block b = testing::deterministic_block(c, store->tip(), 2);
  Block wrong_height = b;
  wrong_height.header.height = 2;
  EXPECT_FALSE(store->commit_block(wrong_height, {}).ok());
  Block wrong_prev = b;
  wrong_prev.header.previous_hash[0] ^= 1;
  EXPECT_FALSE(store->commit_block(wrong_prev, {}).ok());
  Block wrong_app = b;
  wrong_app.header.app_hash[0] ^= 1;
  EXPECT_FALSE(store->commit_block(wrong_app, {}).ok());
  Block wrong_root = b;
  wrong_root.header.merkle_root[0] ^= 1;
  EXPECT_FALSE(store->commit_block(wrong_root, {}).ok());
  EXPECT_EQ(store->tip().height, 0u);
  ASSERT_TRUE(store->commit_block(b, {}).ok());
  EXPECT_FALSE(store->commit_block(b, {}).ok());  // not twice
}

TEST_F(StoreTest, BlocksAreCheckedAgainAfterReading) {
  auto store = create();
  Block b = testing::deterministic_block(c, store->tip(), 2);
  ASSERT_TRUE(store->commit_block(b, {}).ok());
  ASSERT_TRUE(store->read_block(1).ok());
  Bytes raw = *store->read_block_bytes(1);
  raw[6 + kBlockHeaderBytes + 4 + 4 + 50] ^= 1;  // inside the first transaction
  ASSERT_TRUE(store->kv_for_testing().put_for_testing(Column::kBlocks, height_key(1), raw).ok());
  EXPECT_EQ(store->read_block(1).status().code(), ErrorCode::kCorrupt);
  EXPECT_EQ(store->read_block(2).status().code(), ErrorCode::kCorrupt);  // missing
}

TEST_F(StoreTest, TipCheckOnReopenDetectsATamperedTipBlock) {
  {
    auto store = create();
    ASSERT_TRUE(store->commit_block(testing::deterministic_block(c, store->tip(), 2), {}).ok());
    Bytes raw = *store->read_block_bytes(1);
    raw[20] ^= 1;  // header timestamp/height region
    ASSERT_TRUE(store->kv_for_testing().put_for_testing(Column::kBlocks, height_key(1), raw).ok());
  }
  EXPECT_EQ(LedgerStore::open(dir.path()).status().code(), ErrorCode::kCorrupt);
}

TEST_F(StoreTest, SerialIndexIsCorrectForPatientsWithManyVisits) {
  auto store = create();
  // Patients 0..2 visit 150 times each, interleaved with others, over 60 blocks; audit entries
  // for patient 1 too.
  std::map<std::uint64_t, std::vector<std::pair<TxLocation, Digest>>> expected;
  for (std::uint64_t height = 1; height <= 60; ++height) {
    std::vector<Bytes> txs;
    std::vector<std::uint64_t> patients;
    for (std::uint32_t i = 0; i < 9; ++i) {
      std::uint64_t patient = (height * 9 + i) % 3 == 0 ? 3 + height : (height + i) % 3;
      patients.push_back(patient);
      txs.push_back(c.encode_signed_record(c.serial_of(patient), 0, 20 + i));
    }
    txs.push_back(c.audit_tx(c.serial_of(1), 1000 + height, "audit " + std::to_string(height)));
    patients.push_back(1);
    for (std::uint32_t i = 0; i < txs.size(); ++i) {
      expected[patients[i]].push_back({TxLocation{height, i}, transaction_id(txs[i])});
    }
    ASSERT_TRUE(store->commit_block(c.make_block(store->tip(), txs), {}).ok());
  }
  for (std::uint64_t patient : {0, 1, 2, 10, 62}) {
    auto got = store->transactions_by_serial(c.serial_of(patient));
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    const auto& want = expected[patient];
    ASSERT_EQ(got->size(), want.size()) << patient;
    for (std::size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ((*got)[k].location, want[k].first);
      EXPECT_EQ((*got)[k].tx_id, want[k].second);
      auto loc = store->find_transaction(want[k].second);
      ASSERT_TRUE(loc.ok() && loc->has_value());
      EXPECT_EQ(**loc, want[k].first);
    }
  }
  EXPECT_GE(expected[1].size(), 150u);
  auto hits = store->serial_hits(c.serial_of(1));
  ASSERT_TRUE(hits.ok());
  std::size_t audits = 0;
  for (const SerialHit& h : *hits) audits += h.kind == TxKind::kAccessAudit ? 1 : 0;
  EXPECT_EQ(audits, 60u);
  EXPECT_TRUE(store->transactions_by_serial(c.serial_of(999))->empty());
}

TEST_F(StoreTest, StateChangesAreStoredWithTheBlock) {
  auto store = create();
  StateChanges changes;
  changes.envelope_keys.push_back(EnvelopeKeyEntry{c.envelope_key_id(), testing::test_envelope_spki()});
  changes.registry.push_back(RegistryEntry{"hospital-a", Bytes(5, 9)});
  changes.new_epoch = EpochState{1, 1};
  changes.revocation_record = Bytes(7, 3);
  ASSERT_TRUE(store->commit_block(testing::deterministic_block(c, store->tip(), 1), changes).ok());
  EXPECT_EQ(**store->envelope_key(c.envelope_key_id()), testing::test_envelope_spki());
  EXPECT_EQ(**store->registry_entry("hospital-a"), Bytes(5, 9));
  EXPECT_FALSE(store->registry_entry("hospital-b")->has_value());
  EXPECT_EQ(*store->epoch_state(), (EpochState{1, 1}));
  auto revs = store->revocations();
  ASSERT_TRUE(revs.ok());
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_EQ((*revs)[0].first, 1u);
  EXPECT_EQ((*revs)[0].second, Bytes(7, 3));
}

}  // namespace
}  // namespace hc::chain
