// Issue 16, clients follow configuration changes: a client verifies the consortium's
// membership changes from the genesis (client/configuration_history.h) with the proofs a node
// serves (chain/change_proof.h, GET /v1/consortium/changes), then checks certificates above a
// change's boundary against them (client/following_certificates.h). A real ledger is built in
// process: a join accepted at height 2 and an exit at height 3 (one boundary, 80: configuration
// 1 is {0, 1, 2, 4}), then a second join accepted at height 82 and certified by configuration
// 1 (boundary 160: configuration 2 is {0, 1, 2, 4, 5}), up to height 161. Refused: altered
// state-change bytes, a certificate by the wrong configuration, a gap, a successor that is not
// the next block, malformed or oversized JSON and state-change bytes (one-line errors).
#include <gtest/gtest.h>

#include <string>

#include "chain/chain_verifier.h"
#include "chain/change_proof.h"
#include "chain/governance_rules.h"
#include "chain/healthchain_app.h"
#include "chain/state_changes.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "client/configuration_history.h"
#include "client/following_certificates.h"
#include "crypto/ed25519.h"

namespace hc::client {
namespace {

using chain::testing::TempDir;
using chain::testing::TestConsortium;
using Signer = TestConsortium::Signer;

struct Candidate {
  explicit Candidate(char fill) : seed(std::string(32, fill)) {
    key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
  }
  SecureBytes seed;
  chain::Ed25519PublicKey key{};
};

Bytes signed_by(chain::Transaction tx, const SecureBytes& seed) {
  HC_CHECK(chain::sign_governance_tx(tx, seed).ok());
  return chain::encode_transaction(tx);
}

bool one_line_containing(const Status& s, const std::string& text) {
  return !s.ok() && s.message().find(text) != std::string::npos && s.message().find('\n') == std::string::npos;
}

// The chain of the file comment, built once for every test (about 160 blocks).
class History {
 public:
  History() {
    c = std::make_unique<TestConsortium>(4);
    store = std::move(chain::LedgerStore::create(dir.path(), c->genesis())).value();
    app = std::move(chain::HealthchainApp::start(*store, c->group(), c->certificates())).value();
    const auto genesis_four = genesis_signers({0, 1, 2});
    const Bytes alice_request = join_request(alice, "hospital-e");
    commit({alice_request}, 0, genesis_four);                          // 1
    commit(approvals(alice_request, {0, 1, 2}), 0, genesis_four);      // 2: alice is replica 4
    commit({signed_by(chain::ExitAnnouncementTx{c->genesis_hash(), 3, 0, {}}, c->replica_seed(3))}, 0,
           genesis_four);                                              // 3: replica 3 leaves
    while (store->tip().height < 80) commit({}, 0, genesis_four);
    const std::vector<Signer> config1 = {{0, &c->replica_seed(0)}, {1, &c->replica_seed(1)}, {4, &alice.seed}};
    const Bytes bob_request = join_request(bob, "hospital-f");
    commit({bob_request}, 1, config1);                                 // 81
    commit(approvals(bob_request, {0, 1, 2}), 1, config1);             // 82: bob is replica 5
    proofs_at_82 = chain::change_proofs_from_store(*store).value().size();
    while (store->tip().height < 160) commit({}, 1, config1);
    const std::vector<Signer> config2 = {{0, &c->replica_seed(0)}, {1, &c->replica_seed(1)}, {4, &alice.seed},
                                         {5, &bob.seed}};
    commit({}, 2, config2);  // 161
  }

  std::vector<Signer> genesis_signers(std::vector<std::uint32_t> ids) const {
    std::vector<Signer> out;
    for (std::uint32_t id : ids) out.push_back(Signer{id, &c->replica_seed(id)});
    return out;
  }
  Bytes join_request(const Candidate& who, const std::string& name) const {
    return signed_by(chain::JoinRequestTx{c->genesis_hash(), who.key, name, name + ".example:8443", "", 0, {}, ""}, who.seed);
  }
  std::vector<Bytes> approvals(const Bytes& request, std::vector<std::uint32_t> by) const {
    std::vector<Bytes> out;
    for (std::uint32_t i : by) {
      out.push_back(signed_by(chain::GovernanceApprovalTx{c->genesis_hash(), chain::transaction_id(request), i, {}},
                              c->replica_seed(i)));
    }
    return out;
  }
  void commit(std::vector<Bytes> txs, std::uint64_t config, const std::vector<Signer>& signers) {
    chain::Block b = c->make_block(store->tip(), std::move(txs));
    b.commit_certificate = c->certificate_in(b, config, signers);
    auto committed = app->commit_block(b);
    HC_CHECK(committed.ok());
  }
  chain::CertifiedHeader certified(std::uint64_t height) const {
    chain::Block b = store->read_block(height).value();
    return chain::CertifiedHeader{b.header, chain::transaction_ids(b), b.commit_certificate};
  }
  std::vector<chain::ChangeProof> proofs() const { return chain::change_proofs_from_store(*store).value(); }

  TempDir dir{"configuration-history"};
  Candidate alice{'a'};
  Candidate bob{'b'};
  std::unique_ptr<TestConsortium> c;
  std::unique_ptr<chain::LedgerStore> store;
  std::unique_ptr<chain::HealthchainApp> app;
  std::size_t proofs_at_82 = 0;
};

class ConfigurationHistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new History(); }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }
  const History& h() const { return *chain_; }
  Status extend(const std::vector<chain::ChangeProof>& proofs) const {
    ConfigurationHistory history(h().c->genesis());
    return history.extend(proofs, h().c->certificates());
  }
  static History* chain_;
};
History* ConfigurationHistoryTest::chain_ = nullptr;

TEST_F(ConfigurationHistoryTest, TheNodeListsEachChangeOnceItsSuccessorIsCommitted) {
  // At height 82 the second join was at the tip: listed only once block 83 carried its app hash.
  EXPECT_EQ(h().proofs_at_82, 2u);
  const auto proofs = h().proofs();
  ASSERT_EQ(proofs.size(), 3u);
  EXPECT_EQ(proofs[0].height, 2u);
  EXPECT_EQ(proofs[1].height, 3u);
  EXPECT_EQ(proofs[2].height, 82u);
  // Kept for the accepting blocks only, outside the hashed state.
  EXPECT_TRUE(h().store->membership_change_state(2).value().has_value());
  EXPECT_FALSE(h().store->membership_change_state(1).value().has_value());
  EXPECT_FALSE(h().store->membership_change_state(83).value().has_value());
  // The JSON round trip is exact.
  auto back = chain::change_proofs_from_json(nlohmann::json::parse(chain::change_proofs_to_json(proofs).dump()));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, proofs);
}

TEST_F(ConfigurationHistoryTest, AnHonestHistoryOfJoinsAndAnExitVerifiesAndThenABlockAboveTheBoundary) {
  const chain::CertifiedHeader top = h().certified(161);
  const chain::Digest hash = chain::block_hash(top.header);
  // The genesis-only check refuses it (what hc did before).
  EXPECT_FALSE(h().c->certificates().verify(top.header, hash, top.tx_ids, top.certificate).ok());
  ConfigurationHistory history(h().c->genesis());
  ASSERT_TRUE(history.extend(h().proofs(), h().c->certificates()).ok());
  EXPECT_EQ(history.verified_changes(), 3u);
  EXPECT_TRUE(h().c->certificates().verify_in_chain(top.header, hash, top.tx_ids, top.certificate, history.view()).ok());
  // Extending again with the same list (a later fetch) is a no-op.
  EXPECT_TRUE(history.extend(h().proofs(), h().c->certificates()).ok());
  EXPECT_EQ(history.verified_changes(), 3u);
}

TEST_F(ConfigurationHistoryTest, TheFollowingVerifierFetchesOnlyWhenACertificateNeedsIt) {
  auto verifier = FollowingCertificateVerifier::create(h().c->genesis()).value();
  int fetches = 0;
  const nlohmann::json answer = chain::change_proofs_to_json(h().proofs());
  verifier->set_fetcher([&]() -> Result<nlohmann::json> {
    ++fetches;
    return answer;
  });
  const chain::CertifiedHeader low = h().certified(50);
  EXPECT_TRUE(verifier->verify(low.header, chain::block_hash(low.header), low.tx_ids, low.certificate).ok());
  EXPECT_EQ(fetches, 0);
  for (std::uint64_t height : {81u, 161u, 120u}) {
    const chain::CertifiedHeader c = h().certified(height);
    EXPECT_TRUE(verifier->verify(c.header, chain::block_hash(c.header), c.tx_ids, c.certificate).ok()) << height;
  }
  EXPECT_EQ(fetches, 1);
  EXPECT_EQ(verifier->verified_changes(), 3u);
}

TEST_F(ConfigurationHistoryTest, ANodeWithholdingTheLastChangeOnlyMakesTheClientRefuseNewerCertificates) {
  auto proofs = h().proofs();
  proofs.pop_back();
  auto verifier = FollowingCertificateVerifier::create(h().c->genesis()).value();
  verifier->set_fetcher([&]() -> Result<nlohmann::json> { return chain::change_proofs_to_json(proofs); });
  const chain::CertifiedHeader top = h().certified(161);
  Status s = verifier->verify(top.header, chain::block_hash(top.header), top.tx_ids, top.certificate);
  EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << s.to_string();
  EXPECT_TRUE(one_line_containing(s, "after the 2 membership changes the node proves")) << s.to_string();
  EXPECT_EQ(verifier->verified_changes(), 2u);
}

TEST_F(ConfigurationHistoryTest, AlteredStateChangeBytesBreakTheAppHashLink) {
  auto proofs = h().proofs();
  proofs[0].state_changes.back() ^= 0x01;
  EXPECT_TRUE(one_line_containing(extend(proofs), "do not give the app hash")) << extend(proofs).to_string();
}

TEST_F(ConfigurationHistoryTest, ACertificateOfTheWrongConfigurationIsRefused) {
  auto proofs = h().proofs();
  // Block 82 is above the first boundary: a quorum of the genesis configuration (the departed
  // replica 3 among them) signing it under configuration 0 does not certify it.
  const chain::Block block = h().store->read_block(82).value();
  proofs[2].accepting.certificate = h().c->certificate_in(block, 0, h().genesis_signers({0, 1, 2, 3}));
  Status s = extend(proofs);
  EXPECT_TRUE(one_line_containing(s, "accepting block's commit certificate")) << s.to_string();
  EXPECT_EQ(s.code(), ErrorCode::kAuthFailed);
}

TEST_F(ConfigurationHistoryTest, AGapInTheChangesIsDetected) {
  auto proofs = h().proofs();
  proofs.erase(proofs.begin());  // the exit at 3 without the join at 2 (both certified by the genesis)
  Status s = extend(proofs);
  EXPECT_TRUE(one_line_containing(s, "a change is missing")) << s.to_string();
}

TEST_F(ConfigurationHistoryTest, ASuccessorThatIsNotTheNextBlockIsRefused) {
  auto proofs = h().proofs();
  proofs[0].successor = h().certified(4);
  EXPECT_TRUE(one_line_containing(extend(proofs), "not of the next height"));
  // The right height but not extending the accepting block.
  proofs = h().proofs();
  proofs[0].successor.header.previous_hash[0] ^= 0x01;
  EXPECT_TRUE(one_line_containing(extend(proofs), "does not extend"));
  // Out of order.
  proofs = h().proofs();
  std::swap(proofs[0], proofs[1]);
  EXPECT_FALSE(extend(proofs).ok());
}

// A ledger written before the proofs were kept (made here by deleting one): the node's answer
// names the height and the remedy; the chain verifier's replay gives the same bytes, which
// `hc chain restore-change-proofs` writes back after checking them against the app hash.
TEST(ChangeProofRestoreTest, AMissingProofIsUnavailableAndTheReplayRestoresIt) {
  TempDir dir("change-proof-restore");
  TestConsortium c(5);
  auto store = std::move(chain::LedgerStore::create(dir.path(), c.genesis())).value();
  auto app = std::move(chain::HealthchainApp::start(*store, c.group(), c.certificates())).value();
  std::vector<Signer> signers;
  for (std::uint32_t i = 0; i < 4; ++i) signers.push_back({i, &c.replica_seed(i)});
  auto commit = [&](std::vector<Bytes> txs) {
    chain::Block b = c.make_block(store->tip(), std::move(txs));
    b.commit_certificate = c.certificate_in(b, 0, signers);
    ASSERT_TRUE(app->commit_block(b).ok());
  };
  commit({signed_by(chain::ExitAnnouncementTx{c.genesis_hash(), 4, 0, {}}, c.replica_seed(4))});  // 1
  commit({});
  const Bytes kept = store->membership_change_state(1).value().value();
  Bytes key = {'c', 'h', 'a', 'n', 'g', 'e', '-', 's', 't', 'a', 't', 'e', '/'};
  append_u64_be(key, 1);
  ASSERT_TRUE(store->kv_for_testing().delete_for_testing(chain::Column::kMetadata, key).ok());
  auto missing = chain::change_proofs_from_store(*store);
  EXPECT_EQ(missing.status().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(one_line_containing(missing.status(), "membership change at height 1")) << missing.status().to_string();
  EXPECT_TRUE(one_line_containing(missing.status(), "docs/ledger.md")) << missing.status().to_string();

  auto report = chain::verify_chain(*store, c.certificates(), nullptr);
  ASSERT_TRUE(report.ok() && !report->first_fault.has_value());
  ASSERT_EQ(report->membership_change_states.size(), 1u);
  EXPECT_EQ(report->membership_change_states[0].first, 1u);
  EXPECT_EQ(report->membership_change_states[0].second, kept);
  Bytes altered = kept;
  altered.back() ^= 0x01;
  EXPECT_TRUE(one_line_containing(store->restore_membership_change_state(1, altered), "do not give the app hash"));
  EXPECT_FALSE(store->restore_membership_change_state(2, kept).ok());  // no block 3 yet
  ASSERT_TRUE(store->restore_membership_change_state(1, kept).ok());
  EXPECT_EQ(store->membership_change_state(1).value().value(), kept);
  auto proofs = chain::change_proofs_from_store(*store);
  ASSERT_TRUE(proofs.ok()) << proofs.status().to_string();
  EXPECT_EQ(proofs->size(), 1u);
}

TEST_F(ConfigurationHistoryTest, MalformedOrOversizedAnswersGetOneLineErrors) {
  using nlohmann::json;
  const json good = chain::change_proofs_to_json(h().proofs());
  auto refused = [](const json& j, ErrorCode code) {
    auto r = chain::change_proofs_from_json(j);
    return !r.ok() && r.status().code() == code && r.status().message().find('\n') == std::string::npos;
  };
  EXPECT_TRUE(refused(json::array(), ErrorCode::kInvalidInput));
  EXPECT_TRUE(refused(json{{"changes", 5}}, ErrorCode::kInvalidInput));
  json missing = good;
  missing["changes"][0].erase("next_certificate");
  EXPECT_TRUE(refused(missing, ErrorCode::kInvalidInput));
  json not_hex = good;
  not_hex["changes"][1]["state_changes"] = "zz";
  EXPECT_TRUE(refused(not_hex, ErrorCode::kInvalidInput));
  json bad_header = good;
  bad_header["changes"][0]["header"] = "00";
  EXPECT_TRUE(refused(bad_header, ErrorCode::kInvalidInput));
  json bad_height = good;
  bad_height["changes"][0]["height"] = -1;
  EXPECT_TRUE(refused(bad_height, ErrorCode::kInvalidInput));
  json huge_cert = good;
  huge_cert["changes"][0]["certificate"] = std::string(2 * chain::kMaxCommitCertificateBytes + 2, 'a');
  EXPECT_TRUE(refused(huge_cert, ErrorCode::kTooLarge));
  json too_many = json{{"changes", json::array()}};
  for (std::size_t i = 0; i <= chain::kMaxChangeProofs; ++i) too_many["changes"].push_back(json::object());
  EXPECT_TRUE(refused(too_many, ErrorCode::kTooLarge));
}

TEST_F(ConfigurationHistoryTest, StateChangeBytesDecodeOnlyInTheirCanonicalBoundedForm) {
  const Bytes good = h().proofs()[0].state_changes;
  auto decoded = chain::decode_state_changes(good);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(chain::encode_state_changes(*decoded), good);
  EXPECT_FALSE(decoded->trustee_entries.empty());
  auto fails = [](const Bytes& b) {
    auto r = chain::decode_state_changes(b);
    return !r.ok() && r.status().message().find('\n') == std::string::npos;
  };
  EXPECT_TRUE(fails(Bytes{}));
  EXPECT_TRUE(fails(Bytes(good.begin(), good.end() - 1)));  // truncated
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_TRUE(fails(trailing));
  // An empty trailing entry section (count 0) is not how the encoder writes no entries.
  chain::StateChanges none;
  Bytes empty_section = chain::encode_state_changes(none);
  append_u32_be(empty_section, 0);
  EXPECT_TRUE(fails(empty_section));
  // A count far beyond the bytes.
  Bytes lying = chain::encode_state_changes(none);
  append_u32_be(lying, 0xffffffffu);
  EXPECT_TRUE(fails(lying));
  Bytes wrong_tag = good;
  wrong_tag[0] = 'X';
  EXPECT_TRUE(fails(wrong_tag));
}

}  // namespace
}  // namespace hc::client
