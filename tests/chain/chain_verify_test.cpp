// verify_chain() and `hc chain verify`: a good chain verifies; one altered byte anywhere in a
// stored block (header, transaction, certificate) is found, at that block.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sys/wait.h>

#include "chain/chain_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/merkle.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

using testing::TempDir;
using testing::TestConsortium;

class ChainVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LedgerStore::create(dir.path(), c.genesis());
    ASSERT_TRUE(s.ok());
    store = std::move(s).value();
    auto a = HealthchainApp::start(*store, c.group(), c.certificates());
    ASSERT_TRUE(a.ok());
    app = std::move(a).value();
    commit({c.publish_key_tx(testing::test_envelope_spki()), c.enrollment_tx("hospital-a")});
    commit({c.encode_signed_record(c.serial_of(1), 0, 24), c.audit_tx(c.serial_of(1), 9, "care")});
    commit({c.revocation_tx(1)});
    commit({c.encode_signed_record(c.serial_of(2), 1, 24)});
  }
  void commit(std::vector<Bytes> txs) {
    auto r = app->commit_block(c.make_block(store->tip(), std::move(txs)));
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  ChainReport verify() {
    testing::FakeGroupVerifier group(c.genesis().group_public_key);
    auto r = verify_chain(*store, c.certificates(), &group);
    HC_CHECK(r.ok());
    return *r;
  }

  TempDir dir{"verify"};
  TestConsortium c;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
};

TEST_F(ChainVerifyTest, AGoodChainVerifiesCompletely) {
  ChainReport report = verify();
  EXPECT_FALSE(report.first_fault.has_value()) << report.first_fault->what;
  EXPECT_EQ(report.blocks_checked, 4u);
  EXPECT_EQ(report.transactions_checked, 6u);
  EXPECT_EQ(report.manager_signatures_checked, 4u);
  EXPECT_EQ(report.group_signatures_checked, 2u);
}

TEST_F(ChainVerifyTest, EveryAlteredByteOfAStoredBlockIsFoundAtThatBlock) {
  const Bytes original = *store->read_block_bytes(2);
  KvStore& kv = store->kv_for_testing();
  for (std::size_t pos = 0; pos < original.size(); ++pos) {
    Bytes altered = original;
    altered[pos] ^= 0x01;
    ASSERT_TRUE(kv.put_for_testing(Column::kBlocks, height_key(2), altered).ok());
    ChainReport report = verify();
    ASSERT_TRUE(report.first_fault.has_value()) << "byte " << pos << " not found";
    EXPECT_EQ(report.first_fault->height, 2u) << "byte " << pos << ": " << report.first_fault->what;
  }
  ASSERT_TRUE(kv.put_for_testing(Column::kBlocks, height_key(2), original).ok());
  EXPECT_FALSE(verify().first_fault.has_value());
}

TEST_F(ChainVerifyTest, FaultsNameWhatIsWrong) {
  KvStore& kv = store->kv_for_testing();
  Block b = *store->read_block(4);
  Block bad_sig = b;
  auto rec = decode_transaction(bad_sig.transactions[0]);
  std::get<RecordTx>(*rec).group_signature[0] ^= 1;
  bad_sig.transactions[0] = encode_transaction(*rec);
  bad_sig.header.merkle_root = merkle_root(transaction_ids(bad_sig));
  bad_sig.commit_certificate = c.certificate_for(bad_sig, 3);
  ASSERT_TRUE(kv.put_for_testing(Column::kBlocks, height_key(4), encode_block(bad_sig)).ok());
  ChainReport report = verify();
  ASSERT_TRUE(report.first_fault.has_value());
  EXPECT_EQ(report.first_fault->height, 4u);
  EXPECT_NE(report.first_fault->what.find("group signature"), std::string::npos);
  // Without a group verifier, the same chain passes the other checks but the tip is stale.
  auto no_group = verify_chain(*store, c.certificates(), nullptr);
  ASSERT_TRUE(no_group.ok());
  EXPECT_TRUE(no_group->group_signatures_skipped);
  ASSERT_TRUE(no_group->first_fault.has_value());
  EXPECT_EQ(no_group->first_fault->height, 0u);
}

// A chain written straight into a store (bypassing the application's rules), as an older or
// faulty node could have written it.
class RawChain {
 public:
  explicit RawChain(TestConsortium& consortium) : c(consortium) {
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  }
  void write(std::vector<Bytes> txs) {
    Block b = c.make_block(store->tip(), std::move(txs));
    auto checked = check_block(b);
    HC_CHECK(checked.ok());
    HC_CHECK(store->commit_block(b, state_changes_of(*checked, b.header.height)).ok());
  }
  ChainReport verify() {
    testing::FakeGroupVerifier group(c.genesis().group_public_key);
    auto r = verify_chain(*store, c.certificates(), &group);
    HC_CHECK(r.ok());
    return *r;
  }

  TestConsortium& c;
  TempDir dir{"raw-chain"};
  std::unique_ptr<LedgerStore> store;
};

// Regression: verify did not recheck that a record's epoch was current at its height, so
// old-epoch records let in after a revocation (by a grace window, or in the revocation's own
// block) passed.
TEST(ChainVerifyRules, ARecordOfAnEpochNoLongerCurrentIsAFault) {
  TestConsortium c;
  RawChain late(c);
  late.write({c.publish_key_tx(testing::test_envelope_spki())});
  late.write({c.revocation_tx(1)});
  late.write({c.encode_signed_record(c.serial_of(1), 0, 24)});
  ChainReport report = late.verify();
  ASSERT_TRUE(report.first_fault.has_value());
  EXPECT_EQ(report.first_fault->height, 3u);
  EXPECT_NE(report.first_fault->what.find("epoch 0"), std::string::npos) << report.first_fault->what;

  TestConsortium c2;
  RawChain same_block(c2);
  same_block.write({c2.encode_signed_record(c2.serial_of(1), 0, 24), c2.revocation_tx(1)});
  ChainReport mixed = same_block.verify();
  ASSERT_TRUE(mixed.first_fault.has_value());
  EXPECT_EQ(mixed.first_fault->height, 1u);
  EXPECT_NE(mixed.first_fault->what.find("revocation"), std::string::npos) << mixed.first_fault->what;
}

// Regression: a replayed sealed record (same content, another group signature) was committed
// and verified as a second visit.
TEST(ChainVerifyRules, AReplayedSealedRecordIsAFault) {
  TestConsortium c;
  RawChain chain(c);
  RecordTx original = c.make_record(c.serial_of(1), 0, 24);
  RecordTx replay = original;
  replay.group_signature = c.group().sign(0, record_signing_digest(replay), 7);
  chain.write({encode_transaction(original)});
  chain.write({encode_transaction(replay)});
  ChainReport report = chain.verify();
  ASSERT_TRUE(report.first_fault.has_value());
  EXPECT_EQ(report.first_fault->height, 2u);
  EXPECT_NE(report.first_fault->what.find("replay"), std::string::npos) << report.first_fault->what;
}

// Runs `hc chain verify --data DIR`; returns (exit code, stdout).
std::pair<int, std::string> run_cli(const std::string& data_dir) {
  std::string cmd = std::string(HC_BINARY_DIR) + "/bin/hc chain verify --data " + data_dir + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  HC_CHECK(pipe != nullptr);
  std::string out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(ChainVerifyTest, CliReportsOkAndTheFirstBadBlock) {
  const Bytes original = *store->read_block_bytes(2);
  store.reset();  // the CLI opens the database itself
  app.reset();
  auto [ok_code, ok_out] = run_cli(dir.path());
  EXPECT_EQ(ok_code, 0) << ok_out;
  EXPECT_NE(ok_out.find("chain OK"), std::string::npos) << ok_out;
  EXPECT_NE(ok_out.find("checked 4 blocks"), std::string::npos) << ok_out;
  {
    auto reopened = LedgerStore::open(dir.path());
    ASSERT_TRUE(reopened.ok());
    Bytes altered = original;
    altered[original.size() - 10] ^= 0x80;  // inside the commit certificate
    ASSERT_TRUE((*reopened)->kv_for_testing().put_for_testing(Column::kBlocks, height_key(2), altered).ok());
  }
  auto [bad_code, bad_out] = run_cli(dir.path());
  EXPECT_EQ(bad_code, 1) << bad_out;  // a verification said no (3 is kept for local failures)
  EXPECT_NE(bad_out.find("FIRST BAD: block 2: commit certificate"), std::string::npos) << bad_out;
}

Bytes file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every file under `dir` (relative name -> SHA-256 of its bytes, size and mtime).
std::map<std::string, std::string> fingerprint(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const auto mtime = entry.last_write_time().time_since_epoch().count();
    out[std::filesystem::relative(entry.path(), dir).string()] =
        digest_hex(sha256(file_bytes(entry.path()))) + " " + std::to_string(entry.file_size()) + " " +
        std::to_string(mtime);
  }
  return out;
}

// The largest write-ahead log file of the RocksDB database in `dir`.
std::filesystem::path wal_file(const std::string& dir) {
  std::filesystem::path best;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".log") continue;
    if (best.empty() || entry.file_size() > std::filesystem::file_size(best)) best = entry.path();
  }
  return best;
}

TEST_F(ChainVerifyTest, CliNeverWritesIntoTheCopyItChecks) {
  store.reset();
  app.reset();
  const auto before = fingerprint(dir.path());
  auto [code, out] = run_cli(dir.path());
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(fingerprint(dir.path()), before) << "hc chain verify changed files in " << dir.path();
}

TEST_F(ChainVerifyTest, CliReportsAFlippedWalByteAsDamage) {
  for (std::uint64_t patient = 10; patient < 40; ++patient) commit({c.encode_signed_record(c.serial_of(patient), 1, 24)});
  store.reset();
  app.reset();
  const std::filesystem::path wal = wal_file(dir.path());
  ASSERT_FALSE(wal.empty());
  Bytes log = file_bytes(wal);
  ASSERT_GT(log.size(), 4096u);
  log[log.size() / 2] ^= 0x01;
  {
    std::ofstream outf(wal, std::ios::binary | std::ios::trunc);
    outf.write(reinterpret_cast<const char*>(log.data()), static_cast<std::streamsize>(log.size()));
  }
  auto [code, out] = run_cli(dir.path());
  EXPECT_EQ(code, 1) << out;
  EXPECT_EQ(out.find("chain OK"), std::string::npos) << out;
  EXPECT_NE(out.find("write-ahead log"), std::string::npos) << out;
}

TEST_F(ChainVerifyTest, CliChecksAStoreThatALiveNodeHoldsOpen) {
  // `store` keeps the database open read-write (and locked), as a running hc-node does.
  auto [code, out] = run_cli(dir.path());
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("checked 4 blocks"), std::string::npos) << out;
  // The node keeps committing while and after the checker runs.
  commit({c.encode_signed_record(c.serial_of(50), 1, 24)});
  auto [again, again_out] = run_cli(dir.path());
  EXPECT_EQ(again, 0) << again_out;
  EXPECT_NE(again_out.find("checked 5 blocks"), std::string::npos) << again_out;
}

TEST_F(ChainVerifyTest, CliAcceptsTheNodeDataDirectory) {
  TempDir node_dir("verify-node");
  {
    auto s = LedgerStore::create(node_dir.path() + "/ledger", c.genesis());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    testing::FakeGroupVerifier group(c.genesis().group_public_key);
    auto a = HealthchainApp::start(**s, group, c.certificates());
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->commit_block(c.make_block((*s)->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
  }
  auto [code, out] = run_cli(node_dir.path());
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("checked 1 blocks"), std::string::npos) << out;
  auto [ledger_code, ledger_out] = run_cli(node_dir.path() + "/ledger");
  EXPECT_EQ(ledger_code, 0) << ledger_out;
}

}  // namespace
}  // namespace hc::chain
