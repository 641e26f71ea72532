// Issue 16, the node following the ledger's membership: the configuration of each height from
// the committed governance state (chain/consortium_configuration.h) before, at and after a
// change's boundary, after an exit and after a join, numbered as the engine's ConfigSchedule
// numbers them; the commit certificate of each block checked against its height's
// configuration, on commit and by `hc chain verify` (a chain through an exit verifies; a block
// above the boundary certified by the old configuration, or by a quorum that counts the
// departed member, is refused); the node's consensus verifier learning a joined member's key.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "chain/chain_verifier.h"
#include "chain/consensus_parameters.h"
#include "chain/consortium_configuration.h"
#include "chain/governance_rules.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "consensus/config.h"
#include "consensus/configuration.h"
#include "crypto/ed25519.h"
#include "node/member_keys.h"

namespace hc::chain::configuration_test {
namespace {

using testing::TempDir;
using testing::TestConsortium;
using Signer = TestConsortium::Signer;

Bytes signed_by(Transaction tx, const SecureBytes& seed) {
  HC_CHECK(sign_governance_tx(tx, seed).ok());
  return encode_transaction(tx);
}

struct Candidate {
  explicit Candidate(char fill) : seed(std::string(32, fill)) {
    key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
  }
  SecureBytes seed;
  Ed25519PublicKey key{};
};

bool contains(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

class ConsortiumConfigurationTest : public ::testing::Test {
 protected:
  void open_chain(std::uint32_t replicas) {
    c = std::make_unique<TestConsortium>(replicas);
    store = std::move(LedgerStore::create(dir.path(), c->genesis())).value();
    app = std::move(HealthchainApp::start(*store, c->group(), c->certificates())).value();
  }
  std::vector<Signer> genesis_signers(std::vector<std::uint32_t> ids) const {
    std::vector<Signer> out;
    for (std::uint32_t id : ids) out.push_back(Signer{id, &c->replica_seed(id)});
    return out;
  }
  // The next block, certified in configuration `config` by `signers`.
  Block block_by(std::vector<Bytes> txs, std::uint64_t config, const std::vector<Signer>& signers) const {
    Block b = c->make_block(store->tip(), std::move(txs));
    b.commit_certificate = c->certificate_in(b, config, signers);
    return b;
  }
  Status commit_by(std::vector<Bytes> txs, std::uint64_t config, const std::vector<Signer>& signers) {
    return app->commit_block(block_by(std::move(txs), config, signers)).status();
  }
  void commit_ok(std::vector<Bytes> txs, std::uint64_t config, const std::vector<Signer>& signers) {
    Status s = commit_by(std::move(txs), config, signers);
    ASSERT_TRUE(s.ok()) << "height " << store->tip().height + 1 << ": " << s.to_string();
  }
  ReplicaConfiguration config_at(std::uint64_t height) const {
    auto config = configuration_at(StoreTrusteeView(*store), height);
    HC_CHECK(config.ok());
    return std::move(config).value();
  }
  Bytes leave(std::uint32_t member) const {
    return signed_by(ExitAnnouncementTx{c->genesis_hash(), member, 0, {}}, c->replica_seed(member));
  }

  TempDir dir{"consortium-config"};
  std::unique_ptr<TestConsortium> c;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
};

TEST(ConsensusParametersTest, TheChainsBoundaryIsTheEnginesWithTheNodesConstants) {
  for (std::uint64_t h = 1; h <= 200; ++h) {
    EXPECT_EQ(membership_change_boundary(h), consensus::change_boundary(h, kCheckpointIntervalBlocks, kWindowBlocks));
  }
  EXPECT_EQ(membership_change_boundary(1), 80u);
  EXPECT_EQ(membership_change_boundary(16), 80u);
  EXPECT_EQ(membership_change_boundary(17), 96u);
  TestConsortium four;
  EXPECT_EQ(replica_id_space(four.genesis()), kReplicaIdSpace);
  TestConsortium many(70);
  EXPECT_EQ(replica_id_space(many.genesis()), 70u);
}

TEST_F(ConsortiumConfigurationTest, GenesisOnly) {
  open_chain(4);
  for (int i = 0; i < 3; ++i) commit_ok({}, 0, genesis_signers({0, 1, 2}));
  for (std::uint64_t h : {1u, 4u, 1000u}) {
    const ReplicaConfiguration config = config_at(h);
    EXPECT_EQ(config.number, 0u);
    EXPECT_EQ(config.members, (std::vector<std::uint32_t>{0, 1, 2, 3}));
    ASSERT_EQ(config.keys.size(), 4u);
    for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(config.keys[i], c->genesis().replicas[i].public_key);
  }
}

// An exit accepted at height 2 governs heights above its boundary 16 + 64 = 80: every block up
// to 80 is the 5 genesis replicas' (quorum 4), every later one the 4 remaining members' (quorum
// 3) under configuration number 1.
TEST_F(ConsortiumConfigurationTest, AfterAnExitTheRemainingMembersCertifyFromTheBoundaryOn) {
  open_chain(5);
  const auto five = genesis_signers({0, 1, 2, 3});
  commit_ok({}, 0, five);
  commit_ok({leave(4)}, 0, five);  // height 2 accepts the exit
  ASSERT_EQ(membership_change_boundary(2), 80u);
  for (std::uint64_t h : {3u, 79u, 80u}) {
    EXPECT_EQ(config_at(h).number, 0u) << h;
    EXPECT_EQ(config_at(h).members.size(), 5u) << h;
  }
  const ReplicaConfiguration after = config_at(81);
  EXPECT_EQ(after.number, 1u);
  EXPECT_EQ(after.members, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(after.keys[3], c->genesis().replicas[3].public_key);
  EXPECT_EQ(config_at(500), after);

  while (store->tip().height < 79) commit_ok({}, 0, five);
  // Height 80, the boundary, is still the old configuration's: 3 remaining members are not its quorum.
  EXPECT_TRUE(contains(commit_by({}, 1, genesis_signers({0, 1, 2})), "too few signatures"));
  EXPECT_TRUE(contains(commit_by({}, 0, genesis_signers({0, 1, 2})), "too few signatures"));
  commit_ok({}, 0, genesis_signers({1, 2, 3, 4}));  // the leaver still counts up to the boundary
  ASSERT_EQ(store->tip().height, 80u);
  // 81: the old configuration's certificate (its number in the signatures) is refused, even
  // signed by the 4 remaining members, and so is one that counts the departed member.
  EXPECT_TRUE(contains(commit_by({}, 0, genesis_signers({0, 1, 2, 3})), "bad signature"));
  EXPECT_TRUE(contains(commit_by({}, 1, genesis_signers({0, 1, 4})), "not a member"));
  EXPECT_TRUE(contains(commit_by({}, 1, genesis_signers({0, 1})), "too few signatures"));
  commit_ok({}, 1, genesis_signers({0, 2, 3}));
  EXPECT_EQ(store->tip().height, 81u);

  auto report = verify_chain(*store, c->certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->blocks_checked, 81u);
  // The light client's form knows the genesis only: the new configuration's block is refused.
  auto block81 = store->read_block(81).value();
  EXPECT_FALSE(c->certificates()
                   .verify(block81.header, block_hash(block81.header), transaction_ids(block81), block81.commit_certificate)
                   .ok());
}

// The attack on `hc chain verify`: after the exit, a block above the boundary whose certificate
// is a quorum of the genesis configuration counting the departed member (what a verifier that
// knows only the genesis accepted). Made into a ledger by a store that does not check
// certificates (written directly), it is refused at its height.
TEST_F(ConsortiumConfigurationTest, ChainVerifyRefusesABlockCertifiedWithTheDepartedMemberAfterTheBoundary) {
  open_chain(5);
  const auto five = genesis_signers({0, 1, 2, 3});
  commit_ok({}, 0, five);
  commit_ok({leave(4)}, 0, five);
  while (store->tip().height < 80) commit_ok({}, 0, five);
  // Height 81 certified by 0, 1, 2 and the departed 4 under the genesis configuration: a quorum
  // of the genesis, and what the genesis-only verifier accepted before this change.
  Block forged = block_by({}, 0, genesis_signers({0, 1, 2, 4}));
  EXPECT_TRUE(c->certificates()
                  .verify(forged.header, block_hash(forged.header), transaction_ids(forged), forged.commit_certificate)
                  .ok());
  EXPECT_FALSE(app->commit_block(forged).ok());
  // Nor does the departed member make up a quorum of the new configuration (3 of 4 needed).
  EXPECT_TRUE(contains(commit_by({}, 1, genesis_signers({0, 1, 4})), "not a member"));
  // Written past the application (as a tampered data directory would hold it).
  StateChanges changes = state_changes_of(check_block(forged).value(), forged.header.height);
  ASSERT_TRUE(store->commit_block(forged, changes).ok());
  auto report = verify_chain(*store, c->certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  ASSERT_TRUE(report->first_fault.has_value());
  EXPECT_EQ(report->first_fault->height, 81u);
  EXPECT_NE(report->first_fault->what.find("commit certificate"), std::string::npos) << report->first_fault->what;
}

// A join accepted at height 3 (4 -> 5 members, quorum 4): the joined member's key comes from
// consortium/member/4, and from height 81 it signs with the others.
TEST_F(ConsortiumConfigurationTest, AfterAJoinTheJoinedMembersKeyCountsFromTheBoundary) {
  open_chain(4);
  const Candidate alice('a');
  const auto four = genesis_signers({0, 1, 2});
  const Bytes request =
      signed_by(JoinRequestTx{c->genesis_hash(), alice.key, "hospital-e", "e.example:8443", "", 0, {}, ""}, alice.seed);
  commit_ok({request}, 0, four);
  std::vector<Bytes> approvals;
  for (std::uint32_t i = 0; i < 3; ++i) {
    approvals.push_back(signed_by(GovernanceApprovalTx{c->genesis_hash(), transaction_id(request), i, {}}, c->replica_seed(i)));
  }
  commit_ok(approvals, 0, four);  // height 2 accepts the join: replica 4
  EXPECT_EQ(config_at(80).number, 0u);
  const ReplicaConfiguration after = config_at(81);
  EXPECT_EQ(after.number, 1u);
  EXPECT_EQ(after.members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(after.keys[4], alice.key);

  // The node's consensus verifier learns the key when the join commits.
  std::vector<consensus::PublicKey> genesis_keys;
  for (const auto& r : c->genesis().replicas) genesis_keys.push_back(r.public_key);
  auto verifier = std::move(consensus::Ed25519Verifier::create(genesis_keys)).value();
  EXPECT_FALSE(verifier->knows(4));
  ASSERT_TRUE(node::learn_member_keys(StoreTrusteeView(*store), *verifier).ok());
  EXPECT_TRUE(verifier->knows(4));
  const Bytes msg = {'m', 's', 'g'};
  auto alice_key = crypto::Ed25519PrivateKey::from_seed(alice.seed).value();
  EXPECT_TRUE(verifier->verify(4, msg, alice_key.sign(msg)));
  EXPECT_FALSE(verifier->verify(3, msg, alice_key.sign(msg)));
  ASSERT_TRUE(node::learn_member_keys(StoreTrusteeView(*store), *verifier).ok());  // again: nothing changes

  while (store->tip().height < 80) commit_ok({}, 0, four);
  const std::vector<Signer> with_alice = {{0, &c->replica_seed(0)}, {1, &c->replica_seed(1)}, {2, &c->replica_seed(2)},
                                          {4, &alice.seed}};
  EXPECT_TRUE(contains(commit_by({}, 1, genesis_signers({0, 1, 2})), "too few signatures"));  // quorum of 5 is 4
  commit_ok({}, 1, with_alice);
  auto report = verify_chain(*store, c->certificates(), nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
}

// Two changes within one checkpoint interval share a boundary (the later list wins, one
// number); a later one gets the next number. Checked against the engine's ConfigSchedule.
TEST_F(ConsortiumConfigurationTest, NumbersAndListsAreTheEnginesSchedule) {
  open_chain(6);
  const auto six = genesis_signers({0, 1, 2, 3, 4});
  commit_ok({leave(5)}, 0, six);  // height 1: boundary 80
  commit_ok({leave(4)}, 0, six);  // height 2: boundary 80 too, the later list wins
  while (store->tip().height < 16) commit_ok({}, 0, six);
  // Height 18 accepts a join (boundary 32 + 64 = 96): configuration 2, the new id 6.
  const Candidate alice('a');
  const Bytes request =
      signed_by(JoinRequestTx{c->genesis_hash(), alice.key, "hospital-g", "g.example:8443", "", 0, {}, ""}, alice.seed);
  commit_ok({request}, 0, six);
  std::vector<Bytes> approvals;
  for (std::uint32_t i = 0; i < 3; ++i) {
    approvals.push_back(signed_by(GovernanceApprovalTx{c->genesis_hash(), transaction_id(request), i, {}}, c->replica_seed(i)));
  }
  commit_ok(approvals, 0, six);
  consensus::ConfigSchedule schedule(consensus::Configuration::genesis(6), kCheckpointIntervalBlocks, kWindowBlocks);
  auto changes = app->membership_changes(1);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 3u);
  for (const MembershipChange& change : *changes) {
    ASSERT_TRUE(schedule.add(consensus::AcceptedChange{change.height, change.members}));
  }
  for (std::uint64_t h = 1; h <= 200; ++h) {
    const ReplicaConfiguration ours = config_at(h);
    const consensus::Configuration& engine = schedule.at(h);
    EXPECT_EQ(ours.number, engine.number) << h;
    EXPECT_EQ(ours.members, engine.members) << h;
  }
  EXPECT_EQ(config_at(81).number, 1u);
  EXPECT_EQ(config_at(81).members, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(config_at(97).number, 2u);
  EXPECT_EQ(config_at(97).members, (std::vector<std::uint32_t>{0, 1, 2, 3, 6}));
  EXPECT_EQ(config_at(97).keys[4], alice.key);
}

// The ledger gives out no replica id the engine would ignore: joins stop at the chain's id space.
TEST(ConsortiumIdSpaceTest, ConfigurationsOfTheEngineFitTheChainsIdSpace) {
  TestConsortium c;
  consensus::ConsensusConfig config;
  config.replica_count = 4;
  config.replica_id_space = replica_id_space(c.genesis());
  config.checkpoint_interval_blocks = kCheckpointIntervalBlocks;
  config.window_blocks = kWindowBlocks;
  config.chain_id = c.genesis_hash();
  EXPECT_TRUE(config.validate().ok()) << config.validate().to_string();
  config.replica_id_space = 256;  // every id the chain's encodings allow: its budgets do not fit
  EXPECT_FALSE(config.validate().ok());
}

}  // namespace
}  // namespace hc::chain::configuration_test
