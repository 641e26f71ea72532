// A single-manager chain of genesis version 7 (issue 18 items 2 and 4): the genesis publishes
// the manager's BBS04-ElGamal opener key with a proof of knowledge; the chain's version-1
// records must carry BBS04-ElGamal signatures under it (plain BBS04 refused), which the real
// verifier checks in one batch per block and the fallback names a bad one; a revoked member's
// record is refused; older single-manager chains keep plain BBS04 (their history verifies).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "chain/bbs04_record_verifier.h"
#include "chain/chain_verifier.h"
#include "chain/forwarding_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/manager_opener_key.h"
#include "chain/record_signature_check.h"
#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "crypto/p256.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/store.h"
#include "common/file_io.h"

namespace hc::chain {
namespace {

namespace eg = groupsig::elgamal;
using testing::TempDir;
using testing::TestConsortium;

// Counts how the manager's records reach the real verifier: one by one or in batches.
class CountingVerifier final : public testing::ForwardingRecordVerifier {
 public:
  explicit CountingVerifier(Bbs04RecordVerifier& inner) : ForwardingRecordVerifier(inner) {}
  Status verify(std::uint64_t epoch, const Digest& digest, ByteSpan signature) const override {
    ++plain;
    return ForwardingRecordVerifier::verify(epoch, digest, signature);
  }
  std::vector<Status> verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const override {
    ++batches;
    batch_items += checks.size();
    return inner().verify_under_opener_keys(checks);
  }
  mutable std::atomic<std::size_t> plain{0}, batches{0}, batch_items{0};
};

class ManagerElGamalLedgerTest : public ::testing::Test {
 protected:
  ManagerElGamalLedgerTest() : group(groupsig::setup()), c(4, groupsig::encode_gpk(group.gpk)) {}

  void SetUp() override {
    for (const char* name : {"hospital-a", "hospital-b"}) {
      auto key = groupsig::enroll(group.issuer, group.gpk, group.registry, name);
      ASSERT_TRUE(key.ok()) << key.status().to_string();
      members.push_back(std::move(key).value());
    }
    fresh = eg::new_opener_key(group.gpk.u);
    Genesis g = c.genesis();
    ASSERT_TRUE(attach_manager_opener_key(g, fresh.opener).ok());
    c.use_manager_opener_key(*g.manager_opener_key);
    ASSERT_EQ(c.genesis().encoding_version(), kGenesisVersionManagerOpener);
    auto v = Bbs04RecordVerifier::create(c.genesis().group_public_key);
    ASSERT_TRUE(v.ok()) << v.status().to_string();
    verifier = std::move(v).value();
    counting = std::make_unique<CountingVerifier>(*verifier);
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    auto started = HealthchainApp::start(*store, *counting, c.certificates());
    ASSERT_TRUE(started.ok()) << started.status().to_string();
    app = std::move(started).value();
    ASSERT_TRUE(commit({c.publish_key_tx(testing::test_envelope_spki())}).ok());
  }

  RecordTx unsigned_record(std::uint64_t patient, std::uint64_t epoch) {
    RecordTx r = c.make_record(c.serial_of(patient), 0, 80);
    r.epoch = epoch;
    return r;
  }
  // A record signed BBS04-ElGamal under `h` by `member` (in its key's epoch).
  Bytes elgamal_record(const groupsig::MemberKey& member, std::uint64_t patient, const bls12_381::G1& h) {
    RecordTx r = unsigned_record(patient, member.gpk.epoch);
    auto key = eg::member_key_with_opener_key(member, h);
    HC_CHECK(key.ok());
    const Digest d = record_signing_digest(r);
    r.group_signature = eg::encode_signature(eg::sign(*key, span_of(d)));
    return encode_transaction(r);
  }
  Bytes plain_record(const groupsig::MemberKey& member, std::uint64_t patient) {
    RecordTx r = unsigned_record(patient, member.gpk.epoch);
    const Digest d = record_signing_digest(r);
    r.group_signature = groupsig::encode_signature(groupsig::sign(member, span_of(d)));
    return encode_transaction(r);
  }
  Result<Digest> commit(std::vector<Bytes> txs) { return app->commit_block(c.make_block(store->tip(), std::move(txs))); }
  Status validate(std::vector<Bytes> txs) { return app->validate_block(c.make_block(store->tip(), std::move(txs))); }

  groupsig::GroupSetup group;
  TestConsortium c;
  std::vector<groupsig::MemberKey> members;
  eg::FreshOpener fresh;
  TempDir dir{"manager-elgamal"};
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  std::unique_ptr<CountingVerifier> counting;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
};

TEST_F(ManagerElGamalLedgerTest, GenesisVersion7RoundTripsInBinaryAndJson) {
  const Genesis& g = c.genesis();
  auto decoded = decode_genesis(encode_genesis(g));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->manager_opener_key, g.manager_opener_key);
  EXPECT_EQ(genesis_hash(*decoded), genesis_hash(g));
  auto from_json = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(genesis_hash(*from_json), genesis_hash(g));
  EXPECT_EQ(genesis_to_json(g)["version"], 7);
  auto h = check_manager_opener_key(g);
  ASSERT_TRUE(h.ok()) << h.status().to_string();
  EXPECT_TRUE(*h == fresh.h);
  // The key changes the hash: a version-3 genesis of the same consortium is another chain.
  Genesis v3 = g;
  v3.manager_opener_key.reset();
  EXPECT_EQ(v3.encoding_version(), kGenesisVersionSingleManager);
  EXPECT_NE(genesis_hash(v3), genesis_hash(g));
}

TEST_F(ManagerElGamalLedgerTest, GenesisVersion7RefusalsIncludeABadProofOfKnowledge) {
  // A proof with one bit changed, a proof made for another chain, another h: refused.
  Genesis bad = c.genesis();
  bad.manager_opener_key->proof[40] ^= 1;
  EXPECT_EQ(check_manager_opener_key(bad).status().code(), ErrorCode::kInvalidInput);
  Genesis other = c.genesis();
  other.chain_name = "another-chain";
  EXPECT_EQ(check_manager_opener_key(other).status().code(), ErrorCode::kInvalidInput);
  Genesis swapped = c.genesis();
  swapped.manager_opener_key->h = eg::new_opener_key(group.gpk.u).h.to_compressed();
  EXPECT_EQ(check_manager_opener_key(swapped).status().code(), ErrorCode::kInvalidInput);
  Genesis garbage = c.genesis();
  garbage.manager_opener_key->h.fill(0x11);
  EXPECT_EQ(check_manager_opener_key(garbage).status().code(), ErrorCode::kInvalidInput);
  // A trustees genesis cannot carry it, in either form.
  Genesis trustees = c.genesis();
  trustees.access_mode = AccessMode::kTrustees;
  trustees.trustee_keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(1001)).encode());
  trustees.trustee_threshold = 1;
  EXPECT_FALSE(check_genesis(trustees).ok());
  Bytes encoded = encode_genesis(c.genesis());
  Bytes mode_two = encoded;
  // The access-mode byte follows the limits; it sits before the governance rules (5 bytes), h and proof.
  const std::size_t mode_at = encoded.size() - kManagerOpenerKeyProofBytes - kManagerOpenerKeyBytes - 5 - 1;
  ASSERT_EQ(encoded[mode_at], 1);
  mode_two[mode_at] = 2;
  EXPECT_FALSE(decode_genesis(mode_two).ok());
  Bytes truncated(encoded.begin(), encoded.end() - 1);
  EXPECT_FALSE(decode_genesis(truncated).ok());
  // A node (or hc chain verify) refuses to start on a genesis whose proof fails.
  auto v = Bbs04RecordVerifier::create(bad.group_public_key).value();
  TempDir bad_dir("manager-elgamal-bad");
  auto bad_store = LedgerStore::create(bad_dir.path(), bad).value();
  auto started = HealthchainApp::start(*bad_store, *v, c.certificates());
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.status().message().find("proof does not verify"), std::string::npos) << started.status().to_string();
}

TEST_F(ManagerElGamalLedgerTest, AVersion7ChainRefusesPlainBbs04AndAcceptsBbs04ElGamal) {
  const Bytes plain = plain_record(members[0], 1);
  const Status refused = app->check_tx_verified(plain);
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidInput) << refused.to_string();
  EXPECT_FALSE(validate({plain}).ok());
  const Bytes good = elgamal_record(members[0], 2, fresh.h);
  EXPECT_TRUE(app->check_tx_verified(good).ok());
  // Under an opener key that is not the manager's: refused by the signature check itself.
  const Bytes foreign = elgamal_record(members[1], 3, eg::new_opener_key(group.gpk.u).h);
  EXPECT_EQ(app->check_tx_verified(foreign).code(), ErrorCode::kAuthFailed);
  ASSERT_TRUE(commit({good}).ok());
  // The history verifies with a fresh verifier (hc chain verify's walk).
  auto walker = Bbs04RecordVerifier::create(c.genesis().group_public_key).value();
  auto report = verify_chain(*store, c.certificates(), walker.get());
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->group_signatures_checked, 1u);
}

TEST_F(ManagerElGamalLedgerTest, ABlockOf100RecordsIsBatchVerifiedAndABadOneIsNamed) {
  std::vector<Bytes> txs;
  for (std::uint64_t n = 0; n < 100; ++n) txs.push_back(elgamal_record(members[n % 2], 100 + n, fresh.h));
  counting->batches = 0;
  counting->batch_items = 0;
  counting->plain = 0;
  ASSERT_TRUE(validate(txs).ok());
  EXPECT_EQ(counting->plain.load(), 0u);
  EXPECT_EQ(counting->batch_items.load(), 100u);
  EXPECT_LE(counting->batches.load(), 2u);  // the 2-thread pool splits a block in at most two
  // One bad signature (under another opener key) at 37: the block is refused naming it.
  std::vector<Bytes> bad = txs;
  bad[37] = elgamal_record(members[1], 137, eg::new_opener_key(group.gpk.u).h);
  const RecordTx bad_record = std::get<RecordTx>(decode_transaction(bad[37]).value());
  const Status alone = verify_record_signature(*verifier, StoreTrusteeView(*store), bad_record);
  ASSERT_EQ(alone.code(), ErrorCode::kAuthFailed) << alone.to_string();
  const Status s = validate(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "transaction 37: " + alone.message()) << s.to_string();
  // verify_record_signatures on one thread: every other record ok, 37 named.
  std::vector<RecordTx> records;
  for (const Bytes& tx : bad) records.push_back(std::get<RecordTx>(decode_transaction(tx).value()));
  std::vector<const RecordTx*> pointers;
  for (const RecordTx& r : records) pointers.push_back(&r);
  const std::vector<Status> verdicts = verify_record_signatures(*verifier, StoreTrusteeView(*store), pointers);
  for (std::size_t i = 0; i < verdicts.size(); ++i) EXPECT_EQ(verdicts[i].ok(), i != 37) << i;
}

TEST_F(ManagerElGamalLedgerTest, ARevokedMembersRecordIsRefused) {
  auto revoked = groupsig::revoke(group.issuer, group.gpk, group.registry, "hospital-b");
  ASSERT_TRUE(revoked.ok()) << revoked.status().to_string();
  ASSERT_TRUE(commit({encode_transaction(c.signed_manager(RevocationTx{1, groupsig::encode_revocation(revoked->record), {}}))}).ok());
  EXPECT_EQ(app->epoch().epoch, 1u);
  auto updated = groupsig::update_member_key(members[0], revoked->record);
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(app->check_tx_verified(elgamal_record(*updated, 5, fresh.h)).ok());
  // hospital-b cannot update its key; its epoch-0 record is refused, and so is one it claims
  // in epoch 1 with its old key.
  EXPECT_FALSE(groupsig::update_member_key(members[1], revoked->record).ok());
  EXPECT_FALSE(app->check_tx_verified(elgamal_record(members[1], 6, fresh.h)).ok());
  groupsig::MemberKey forged = members[1];
  forged.gpk = revoked->gpk;
  EXPECT_FALSE(app->check_tx_verified(elgamal_record(forged, 7, fresh.h)).ok());
  ASSERT_TRUE(commit({elgamal_record(*updated, 8, fresh.h)}).ok());
}

// The manager opens a version-7 record with xi (ElGamal decryption) and proves it; a judge
// checks the proof against the epoch's registry; a proof naming another member fails.
TEST_F(ManagerElGamalLedgerTest, TheManagerOpensARecordWithAProofAJudgeAccepts) {
  const Bytes tx = elgamal_record(members[1], 9, fresh.h);
  const RecordTx record = std::get<RecordTx>(decode_transaction(tx).value());
  const auto sig = eg::decode_signature(record.group_signature).value();
  const auto key = eg::with_opener_key(eg::from_bbs04_view(group.gpk), fresh.h).value();
  const eg::PreparedKey prepared(key);
  const Digest d = record_signing_digest(record);
  auto opening = eg::open(prepared, fresh.opener, group.registry, span_of(d), sig);
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, "hospital-b");
  EXPECT_TRUE(eg::judge(prepared, group.registry, span_of(d), sig, opening->proof, "hospital-b").ok());
  EXPECT_FALSE(eg::judge(prepared, group.registry, span_of(d), sig, opening->proof, "hospital-a").ok());
  EXPECT_TRUE(eg::recover_signer_key(fresh.opener, sig) == members[1].a);
}

// The command line: `hc chain verify` on the version-7 ledger; `hc group open --genesis` opens a
// record's signature with the manager's elgamal-opener.key and writes the proof, which `hc
// group judge --genesis` accepts for that member and refuses for another.
struct CommandResult {
  int exit_code = -1;
  std::string out;
};
CommandResult run_hc(const std::string& args) {
  const std::string cmd = std::string(HC_BINARY_DIR) + "/bin/hc " + args + " 2>&1";
  CommandResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) r.out += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST_F(ManagerElGamalLedgerTest, TheCommandLineVerifiesTheChainAndOpensAndJudgesARecord) {
  const Bytes tx = elgamal_record(members[1], 11, fresh.h);
  ASSERT_TRUE(commit({tx}).ok());
  app.reset();
  store.reset();
  const CommandResult verified = run_hc("chain verify --data " + dir.path());
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_NE(verified.out.find("chain OK"), std::string::npos) << verified.out;

  TempDir files("manager-elgamal-cli");
  const std::filesystem::path root(files.path());
  const std::string passphrase = "manager passphrase";
  groupsig::GroupDir group_dir(root / "group");
  ASSERT_TRUE(group_dir.create(group.gpk, group.registry, group.issuer, group.opener, as_bytes(passphrase), {10, 8, 1}).ok());
  ASSERT_TRUE(eg::save_opener_key_file(group_dir.elgamal_opener_key(), fresh.opener, fresh.h, as_bytes(passphrase),
                                       {10, 8, 1}).ok());
  ASSERT_TRUE(write_text_file_atomic(root / "genesis.json", genesis_to_json(c.genesis()).dump(2)).ok());
  const RecordTx record = std::get<RecordTx>(decode_transaction(tx).value());
  const Digest d = record_signing_digest(record);
  ASSERT_TRUE(write_file_atomic(root / "message", span_of(d)).ok());
  ASSERT_TRUE(write_file_atomic(root / "sig", record.group_signature).ok());
  ::setenv("HC_PASSPHRASE", passphrase.c_str(), 1);
  const std::string r = root.string();
  const CommandResult opened = run_hc("group open --dir " + r + "/group --genesis " + r + "/genesis.json --in " + r +
                                      "/message --sig " + r + "/sig --proof-out " + r + "/proof");
  ::unsetenv("HC_PASSPHRASE");
  EXPECT_EQ(opened.exit_code, 0) << opened.out;
  EXPECT_EQ(opened.out, "hospital-b\n");
  const std::string judge = "group judge --genesis " + r + "/genesis.json --gpk " + r + "/group/epoch-0/gpk.bin --registry " +
                            r + "/group/epoch-0/registry.bin --in " + r + "/message --sig " + r + "/sig --proof " + r + "/proof";
  const CommandResult valid = run_hc(judge + " --member hospital-b");
  EXPECT_EQ(valid.exit_code, 0) << valid.out;
  EXPECT_NE(valid.out.find("valid"), std::string::npos) << valid.out;
  const CommandResult other = run_hc(judge + " --member hospital-a");
  EXPECT_EQ(other.exit_code, 1) << other.out;
  const CommandResult without_genesis = run_hc("group open --dir " + r + "/group --in " + r + "/message --sig " + r +
                                               "/sig --proof-out " + r + "/proof2");
  EXPECT_EQ(without_genesis.exit_code, 2) << without_genesis.out;
}

// History: a version-3 single-manager chain keeps plain BBS04 and refuses BBS04-ElGamal.
TEST(ManagerElGamalHistory, AVersion3ChainStillAcceptsPlainBbs04) {
  groupsig::GroupSetup group = groupsig::setup();
  TestConsortium c(4, groupsig::encode_gpk(group.gpk));
  ASSERT_EQ(c.genesis().encoding_version(), kGenesisVersionSingleManager);
  auto member = groupsig::enroll(group.issuer, group.gpk, group.registry, "hospital-a").value();
  auto verifier = Bbs04RecordVerifier::create(c.genesis().group_public_key).value();
  TempDir dir("manager-elgamal-v3");
  auto store = LedgerStore::create(dir.path(), c.genesis()).value();
  auto app = HealthchainApp::start(*store, *verifier, c.certificates()).value();
  ASSERT_TRUE(app->commit_block(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
  RecordTx r = c.make_record(c.serial_of(1), 0, 80);
  const Digest d = record_signing_digest(r);
  RecordTx plain = r;
  plain.group_signature = groupsig::encode_signature(groupsig::sign(member, span_of(d)));
  EXPECT_TRUE(app->check_tx_verified(encode_transaction(plain)).ok());
  RecordTx elgamal = c.make_record(c.serial_of(2), 0, 80);  // another content (not a replay of the first)
  const Digest d2 = record_signing_digest(elgamal);
  const auto h = eg::new_opener_key(group.gpk.u).h;
  elgamal.group_signature = eg::encode_signature(eg::sign(eg::member_key_with_opener_key(member, h).value(), span_of(d2)));
  EXPECT_EQ(app->check_tx_verified(encode_transaction(elgamal)).code(), ErrorCode::kInvalidInput);
  ASSERT_TRUE(app->commit_block(c.make_block(store->tip(), {encode_transaction(plain)})).ok());
  auto walker = Bbs04RecordVerifier::create(c.genesis().group_public_key).value();
  auto report = verify_chain(*store, c.certificates(), walker.get());
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->first_fault.has_value());
  EXPECT_EQ(report->group_signatures_checked, 1u);
}

}  // namespace
}  // namespace hc::chain
