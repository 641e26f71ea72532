// Issue 16 item 1, consortium governance on the chain: the encodings of the four governance
// kinds (round trip, bad bytes, signatures bound to the chain), the genesis's governance rules
// (old genesis files unchanged, version 5 for other rules), every acceptance rule and refusal
// of the application, the membership changes it reports to the engine (also after reopening
// the store, and through the node's LedgerApplication) and `hc chain verify`'s replay of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "chain/chain_verifier.h"
#include "chain/governance_rules.h"
#include "chain/healthchain_app.h"
#include "chain/proposed_block.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "node/ledger_bridge.h"

namespace hc::chain {
namespace {

using testing::proposed_block;
using testing::TempDir;
using testing::TestConsortium;

struct Candidate {
  explicit Candidate(char fill) : seed(std::string(32, fill)) {
    key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
  }
  SecureBytes seed;
  Ed25519PublicKey key{};
};

Bytes signed_by(Transaction tx, const SecureBytes& seed) {
  HC_CHECK(sign_governance_tx(tx, seed).ok());
  return encode_transaction(tx);
}

bool contains(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

// ---- Encodings ----

TEST(GovernanceEncodingTest, EveryKindRoundTripsWithItsWireKind) {
  const Candidate cand('j');
  const ChainId chain = sha256(as_bytes("chain"));
  JoinRequestTx join{chain, cand.key, "hospital-e", "10.0.0.5:8443", "-----BEGIN CERTIFICATE-----\nAAAA\n", 7, {}, ""};
  GovernanceApprovalTx approval{chain, sha256(as_bytes("proposal")), 2, {}};
  ExitAnnouncementTx exit_tx{chain, 3, 1, {}};
  VoteOutProposalTx vote{chain, 1, 3, 2, {}};
  const std::vector<std::pair<Transaction, std::uint8_t>> cases = {
      {join, 19}, {approval, 20}, {exit_tx, 21}, {vote, 22}};
  for (const auto& [tx, wire] : cases) {
    Bytes encoded = signed_by(tx, cand.seed);
    EXPECT_EQ(encoded[5], wire);
    auto back = decode_transaction(encoded);
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(encode_transaction(*back), encoded);
    EXPECT_TRUE(is_governance_tx(*back));
    EXPECT_FALSE(is_manager_tx(*back));
    EXPECT_TRUE(verify_governance_signature(*back, cand.key).ok());
    // Truncated or extended bytes never decode.
    Bytes shorter(encoded.begin(), encoded.end() - 1);
    EXPECT_EQ(decode_transaction(shorter).status().code(), ErrorCode::kInvalidInput);
    Bytes longer = encoded;
    longer.push_back(0);
    EXPECT_EQ(decode_transaction(longer).status().code(), ErrorCode::kInvalidInput);
  }
}

TEST(GovernanceEncodingTest, BadFieldsAreRefusedWithTheirName) {
  const Candidate cand('j');
  JoinRequestTx join{ChainId{}, cand.key, "bad name", "host:1", "", 0, {}, ""};
  EXPECT_TRUE(contains(check_transaction_fields(join), "name"));
  join.name = "ok";
  join.api_address = "";
  EXPECT_TRUE(contains(check_transaction_fields(join), "API address"));
  join.api_address = "host:1";
  join.tls_ca_pem = "not pem";
  EXPECT_TRUE(contains(check_transaction_fields(join), "TLS CA"));
  EXPECT_TRUE(contains(check_transaction_fields(VoteOutProposalTx{ChainId{}, 2, 2, 0, {}}), "exit announcement"));
  EXPECT_FALSE(check_transaction_fields(GovernanceApprovalTx{ChainId{}, Digest{}, 256, {}}).ok());
  EXPECT_TRUE(check_transaction_fields(GovernanceApprovalTx{ChainId{}, Digest{}, kAdminApprover, {}}).ok());
  // A bad name inside otherwise well-framed bytes is refused by the decoder too.
  join.tls_ca_pem = "";
  Bytes encoded = signed_by(join, cand.seed);
  const std::size_t name_at = 4 + 1 + 1 + 32 + 32 + 1;
  encoded[name_at] = ' ';
  EXPECT_EQ(decode_transaction(encoded).status().code(), ErrorCode::kInvalidInput);
}

TEST(GovernanceEncodingTest, SignatureCoversTheChainIdAndEveryField) {
  const Candidate cand('j');
  GovernanceApprovalTx a{sha256(as_bytes("chain A")), sha256(as_bytes("p")), 1, {}};
  Transaction signed_tx = a;
  ASSERT_TRUE(sign_governance_tx(signed_tx, cand.seed).ok());
  ASSERT_TRUE(verify_governance_signature(signed_tx, cand.key).ok());
  auto moved = std::get<GovernanceApprovalTx>(signed_tx);
  moved.chain_id = sha256(as_bytes("chain B"));
  EXPECT_EQ(verify_governance_signature(moved, cand.key).code(), ErrorCode::kAuthFailed);
  moved = std::get<GovernanceApprovalTx>(signed_tx);
  moved.proposal_id = sha256(as_bytes("another"));
  EXPECT_EQ(verify_governance_signature(moved, cand.key).code(), ErrorCode::kAuthFailed);
  // The manager's scheme does not accept it (another domain tag).
  EXPECT_FALSE(manager_signing_message(signed_tx).ok());
}

// A join request naming its peer address: wire kind 23, the address signed, and the rules of
// parse_peer_address; without one it keeps kind 19's bytes (the round trip above).
TEST(GovernanceEncodingTest, AJoinRequestWithAPeerAddressIsKind23AndSignsIt) {
  const Candidate cand('j');
  JoinRequestTx join{sha256(as_bytes("chain")), cand.key, "hospital-f", "10.0.0.6:8443", "", 9, {}, "10.0.0.6:7000"};
  Bytes encoded = signed_by(join, cand.seed);
  EXPECT_EQ(encoded[5], kJoinRequestWithPeerWireKind);
  auto back = decode_transaction(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(std::get<JoinRequestTx>(*back).peer_address, "10.0.0.6:7000");
  EXPECT_EQ(encode_transaction(*back), encoded);
  EXPECT_STREQ(tx_kind_name(kind_of(*back)), "join_request");
  EXPECT_TRUE(verify_governance_signature(*back, cand.key).ok());
  JoinRequestTx moved = std::get<JoinRequestTx>(*back);
  moved.peer_address = "10.0.0.66:7000";
  EXPECT_EQ(verify_governance_signature(moved, cand.key).code(), ErrorCode::kAuthFailed);
  Bytes shorter(encoded.begin(), encoded.end() - 1);
  EXPECT_EQ(decode_transaction(shorter).status().code(), ErrorCode::kInvalidInput);
  // Kind 23 with an empty address would be a second spelling of kind 19: refused.
  Bytes no_peer = signed_by(JoinRequestTx{join.chain_id, cand.key, "hospital-f", "10.0.0.6:8443", "", 9, {}, ""},
                            cand.seed);
  Bytes empty_peer(no_peer.begin(), no_peer.end() - kEd25519SignatureBytes);
  empty_peer[5] = kJoinRequestWithPeerWireKind;
  empty_peer.push_back(0);
  empty_peer.insert(empty_peer.end(), no_peer.end() - kEd25519SignatureBytes, no_peer.end());
  EXPECT_EQ(decode_transaction(empty_peer).status().code(), ErrorCode::kInvalidInput);

  for (const char* bad : {"host", ":7000", "host:", "host:0", "host:65536", "host:07000", "host:7o00", "ho st:7000",
                          "host:123456"}) {
    join.peer_address = bad;
    EXPECT_TRUE(contains(check_transaction_fields(join), "peer address must be host:port")) << bad;
  }
  join.peer_address = std::string(251, 'h') + ":7000";  // 256 bytes: one over
  EXPECT_FALSE(check_transaction_fields(join).ok());
  auto parsed = parse_peer_address("[::1]:7000");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host, "[::1]");
  EXPECT_EQ(parsed->port, 7000);
}

TEST(GovernanceEncodingTest, TheFuzzCorpusSeedsDecode) {
  // fuzz/corpus/chain_transaction holds one seed per governance kind (fuzz/seeds/chain_seeds.cpp).
  for (const char* name : {"join_request", "governance_approval", "exit_announcement", "vote_out_proposal"}) {
    auto text = read_text_file(std::string(HC_SOURCE_DIR) + "/fuzz/corpus/chain_transaction/" + name, 4096);
    ASSERT_TRUE(text.ok()) << name << ": " << text.status().to_string();
    auto tx = decode_transaction(as_bytes(*text));
    ASSERT_TRUE(tx.ok()) << name << ": " << tx.status().to_string();
    EXPECT_STREQ(tx_kind_name(kind_of(*tx)), name);
  }
}

// ---- Genesis ----

TEST(GovernanceGenesisTest, DefaultRulesKeepVersion3And4AndOtherRulesAreVersion5) {
  TestConsortium c;
  const Digest before = c.genesis_hash();
  EXPECT_EQ(c.genesis().encoding_version(), kGenesisVersionSingleManager);
  c.use_governance(GovernanceRules{});
  EXPECT_EQ(c.genesis_hash(), before);  // old genesis files keep their hash
  c.use_governance(GovernanceRules{true, 50});
  EXPECT_EQ(c.genesis().encoding_version(), kGenesisVersionGovernance);
  auto decoded = decode_genesis(encode_genesis(c.genesis()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->governance, (GovernanceRules{true, 50}));
  auto from_json = genesis_from_json(genesis_to_json(c.genesis()));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(genesis_hash(*from_json), c.genesis_hash());
  // Version 5 that says the defaults is refused: one value, one encoding.
  auto j = genesis_to_json(c.genesis());
  j["governance"] = {{"admin_approves", false}, {"proposal_expiry_blocks", kDefaultProposalExpiryBlocks}};
  EXPECT_TRUE(contains(genesis_from_json(j).status(), "default governance"));
  j["governance"]["proposal_expiry_blocks"] = 0;
  EXPECT_FALSE(genesis_from_json(j).ok());
  Bytes bytes = encode_genesis(c.genesis());
  bytes[bytes.size() - 5] = 0;  // admin approves: false
  bytes[bytes.size() - 4] = 0;
  bytes[bytes.size() - 3] = 0;
  bytes[bytes.size() - 2] = 0;
  bytes[bytes.size() - 1] = static_cast<std::uint8_t>(kDefaultProposalExpiryBlocks);
  EXPECT_TRUE(contains(decode_genesis(bytes).status(), "default governance"));
}

// ---- Application rules ----

class GovernanceAppTest : public ::testing::Test {
 protected:
  void open_chain(const GovernanceRules& rules = {}) {
    c.use_governance(rules);
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    start();
  }
  void start() {
    app.reset();
    app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
  }
  Result<Digest> commit(std::vector<Bytes> txs) { return app->commit_block(c.make_block(store->tip(), std::move(txs))); }
  void commit_ok(std::vector<Bytes> txs) {
    auto r = commit(std::move(txs));
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  Status admit(const Bytes& tx) { return app->check_tx(tx); }

  Bytes join(const Candidate& cand, const std::string& name, std::uint64_t nonce = 0) const {
    return signed_by(JoinRequestTx{c.genesis_hash(), cand.key, name, name + ".example:8443", "", nonce, {}, ""}, cand.seed);
  }
  Bytes approve(const Digest& proposal, std::uint32_t approver, const SecureBytes* seed = nullptr) const {
    const SecureBytes& s = seed != nullptr ? *seed : c.replica_seed(approver);
    return signed_by(GovernanceApprovalTx{c.genesis_hash(), proposal, approver, {}}, s);
  }
  Bytes leave(std::uint32_t member, const SecureBytes& seed) const {
    return signed_by(ExitAnnouncementTx{c.genesis_hash(), member, 0, {}}, seed);
  }
  Bytes vote_out(std::uint32_t proposer, std::uint32_t target, const SecureBytes& seed) const {
    return signed_by(VoteOutProposalTx{c.genesis_hash(), proposer, target, 0, {}}, seed);
  }
  std::vector<std::uint32_t> members() const { return read_consortium_head(StoreTrusteeView(*store)).value().members; }
  Proposal proposal(const Bytes& tx) const {
    return read_proposal(StoreTrusteeView(*store), transaction_id(tx)).value().value();
  }
  // Candidate `cand` joins with approvals of replicas 0..2 (3 of 4, more than two thirds).
  void grow_with(const Candidate& cand, const std::string& name) {
    Bytes request = join(cand, name);
    commit_ok({request});
    const auto n = members().size();
    std::vector<Bytes> approvals;
    for (std::uint32_t i = 0; i < approvals_needed(n); ++i) approvals.push_back(approve(transaction_id(request), members()[i]));
    commit_ok(approvals);
  }

  TempDir dir{"governance"};
  TestConsortium c;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  const Candidate alice{'a'};
  const Candidate bob{'b'};
};

TEST_F(GovernanceAppTest, JoinNeedsMoreThanTwoThirdsAndGetsTheNextId) {
  open_chain();
  EXPECT_EQ(approvals_needed(4), 3u);
  EXPECT_EQ(approvals_needed(5), 4u);
  EXPECT_EQ(approvals_needed(7), 5u);
  const Bytes request = join(alice, "hospital-e");
  ASSERT_TRUE(admit(request).ok()) << admit(request).to_string();
  commit_ok({request});  // height 1
  const Digest id = transaction_id(request);
  EXPECT_EQ(proposal(request).status, ProposalStatus::kOpen);
  commit_ok({approve(id, 0), approve(id, 1)});  // 2 of 4: not enough
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_TRUE(app->membership_changes(1).value().empty());
  EXPECT_FALSE(app->wants_block());
  commit_ok({approve(id, 3)});  // height 3: 3 of 4
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(proposal(request).status, ProposalStatus::kAccepted);
  EXPECT_EQ(proposal(request).subject, 4u);
  auto changes = app->membership_changes(1).value();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], (MembershipChange{3, {0, 1, 2, 3, 4}}));
  EXPECT_TRUE(app->membership_changes(4).value().empty());
  auto member = read_member(StoreTrusteeView(*store), 4).value();
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->key, alice.key);
  EXPECT_EQ(member->name, "hospital-e");
  EXPECT_EQ(member->joined_height, 3u);
  EXPECT_EQ(member->peer_address, "");
}

// The peer address a join request names reaches the member's record (what later joiners dial),
// and a record without one keeps the first format's bytes (so chains from before it verify).
TEST_F(GovernanceAppTest, AJoinsPeerAddressIsRecordedWithTheMember) {
  open_chain();
  const Bytes request =
      signed_by(JoinRequestTx{c.genesis_hash(), alice.key, "hospital-e", "e.example:8443", "", 0, {}, "e.example:7000"},
                alice.seed);
  ASSERT_TRUE(admit(request).ok()) << admit(request).to_string();
  commit_ok({request});
  EXPECT_EQ(proposal(request).peer_address, "e.example:7000");
  const Digest id = transaction_id(request);
  commit_ok({approve(id, 0), approve(id, 1), approve(id, 2)});
  auto member = read_member(StoreTrusteeView(*store), 4).value();
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->peer_address, "e.example:7000");

  ConsortiumMember without{5, bob.key, "hospital-f", "f:1", "", 12, ""};
  const auto entries = joined_member_entries(without);
  const auto record = std::find_if(entries.begin(), entries.end(),
                                   [](const TrusteeStateEntry& e) {
                                     return std::string(e.key.begin(), e.key.end()).rfind("consortium/member/", 0) == 0;
                                   });
  ASSERT_NE(record, entries.end());
  EXPECT_EQ(record->value.size(), 32u + 1 + 10 + 1 + 3 + 2 + 0 + 8);  // key, name, API, TLS CA, joined height
}

TEST_F(GovernanceAppTest, RefusesAJoinWithAKeyInUse) {
  open_chain();
  // A genesis replica's key (signed by it, so possession is proven).
  const Bytes again = signed_by(JoinRequestTx{c.genesis_hash(), c.genesis().replicas[0].public_key, "again", "a:1", "", 0, {}, ""},
                                c.replica_seed(0));
  EXPECT_TRUE(contains(admit(again), "already in use by replica 0"));
  // The key of an open join request, under a new nonce.
  const Bytes first = join(alice, "hospital-e");
  commit_ok({first});
  EXPECT_TRUE(contains(admit(join(alice, "hospital-e", 1)), "already in use by the open join request"));
  // Twice in one block.
  EXPECT_TRUE(contains(commit({join(bob, "b", 1), join(bob, "b", 2)}).status(), "earlier in the block"));
  // A joined member's key.
  commit_ok({approve(transaction_id(first), 0), approve(transaction_id(first), 1), approve(transaction_id(first), 2)});
  EXPECT_TRUE(contains(admit(join(alice, "hospital-e", 3)), "already in use by replica 4"));
  // A key the request does not prove possession of.
  JoinRequestTx forged{c.genesis_hash(), bob.key, "bob", "b:1", "", 0, {}, ""};
  EXPECT_EQ(admit(signed_by(forged, alice.seed)).code(), ErrorCode::kAuthFailed);
}

TEST_F(GovernanceAppTest, RefusesApprovalsFromNonMembersReplayedOrRepeated) {
  open_chain();
  const Bytes request = join(alice, "hospital-e");
  commit_ok({request});
  const Digest id = transaction_id(request);
  // Replica 9 does not exist; the candidate itself is not a member yet.
  EXPECT_TRUE(contains(admit(approve(id, 9, &bob.seed)), "replica 9 is not a member"));
  // A member id with another key: the signature is not that member's.
  EXPECT_EQ(admit(approve(id, 1, &bob.seed)).code(), ErrorCode::kAuthFailed);
  // The admin may not approve unless the genesis says so.
  EXPECT_TRUE(contains(admit(approve(id, kAdminApprover, &c.admin_seed())), "does not let the admin approve"));
  // An approval replayed for another proposal: its signature names the first one.
  const Bytes other = join(bob, "hospital-f");
  commit_ok({other, approve(id, 0)});
  auto replayed = std::get<GovernanceApprovalTx>(decode_transaction(approve(id, 0)).value());
  replayed.proposal_id = transaction_id(other);
  EXPECT_TRUE(contains(admit(encode_transaction(replayed)), "made for another proposal"));
  // The same approval twice.
  EXPECT_TRUE(contains(admit(approve(id, 0)), "already committed"));
  EXPECT_FALSE(commit({approve(id, 1), approve(id, 1)}).ok());
  // An approval of something that is not a proposal.
  EXPECT_TRUE(contains(admit(approve(sha256(as_bytes("nothing")), 0)), "not a committed join request"));
}

TEST_F(GovernanceAppTest, RefusesAChangeThatLeavesFewerThanFourReplicas) {
  open_chain();
  EXPECT_TRUE(contains(admit(leave(3, c.replica_seed(3))), "at least 4 needed"));
  EXPECT_TRUE(contains(admit(vote_out(0, 3, c.replica_seed(0))), "at least 4 needed"));
  EXPECT_TRUE(contains(admit(vote_out(0, 7, c.replica_seed(0))), "replica 7 is not a member"));
  EXPECT_TRUE(contains(admit(leave(2, c.replica_seed(1))), "not signed by the leaving member"));
}

TEST_F(GovernanceAppTest, RefusesAWrongChainId) {
  open_chain();
  JoinRequestTx elsewhere{sha256(as_bytes("another chain")), alice.key, "a", "a:1", "", 0, {}, ""};
  EXPECT_TRUE(contains(admit(signed_by(elsewhere, alice.seed)), "another chain"));
}

TEST_F(GovernanceAppTest, ProposalsExpireAfterTheGenesisWindow) {
  open_chain(GovernanceRules{false, 3});
  const Bytes request = join(alice, "hospital-e");
  commit_ok({request});  // height 1: expires after height 4
  const Digest id = transaction_id(request);
  commit_ok({approve(id, 0)});  // 2
  commit_ok({});                // 3
  commit_ok({approve(id, 1)});  // 4: the last height it may be approved at
  EXPECT_TRUE(contains(commit({approve(id, 2)}).status(), "expired at height 4"));
  // An expired request no longer holds its key: the candidate may ask again.
  commit_ok({});  // 5 prunes it
  EXPECT_TRUE(read_consortium_head(StoreTrusteeView(*store)).value().open.empty());
  EXPECT_TRUE(admit(join(alice, "hospital-e", 1)).ok());
}

TEST_F(GovernanceAppTest, TheAdminAloneSufficesOnlyIfTheGenesisSaysSo) {
  open_chain(GovernanceRules{true, kDefaultProposalExpiryBlocks});
  const Bytes request = join(alice, "hospital-e");
  commit_ok({request});
  commit_ok({approve(transaction_id(request), kAdminApprover, &c.admin_seed())});
  EXPECT_EQ(members().size(), 5u);
}

TEST_F(GovernanceAppTest, ExitAndVoteOutAfterGrowthAndTheNewMembershipJudges) {
  open_chain();
  grow_with(alice, "hospital-e");  // id 4, 5 members
  ASSERT_EQ(members().size(), 5u);
  // The new member counts: a vote-out of replica 1 by 0, approved by 2, 3 and the new member 4.
  const Bytes vote = vote_out(0, 1, c.replica_seed(0));
  commit_ok({vote});
  const Digest id = transaction_id(vote);
  commit_ok({approve(id, 2), approve(id, 4, &alice.seed)});  // 3 of 5: not enough
  EXPECT_EQ(members().size(), 5u);
  commit_ok({approve(id, 3)});  // 4 of 5
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 2, 3, 4}));
  // The departed replica can no longer approve or propose.
  const Bytes request = join(bob, "hospital-f");
  commit_ok({request});
  EXPECT_TRUE(contains(admit(approve(transaction_id(request), 1)), "replica 1 is not a member"));
  // With 5 members again, a member may announce its exit; it takes effect at its block.
  commit_ok({approve(transaction_id(request), 0), approve(transaction_id(request), 2), approve(transaction_id(request), 3)});
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 2, 3, 4, 5}));
  const Bytes exit_tx = leave(4, alice.seed);
  commit_ok({exit_tx});
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 2, 3, 5}));
  auto changes = app->membership_changes(1).value();
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes.back().members, (std::vector<std::uint32_t>{0, 2, 3, 5}));
}

TEST_F(GovernanceAppTest, AtMostOneChangePerBlockTheOtherIsJudgedAgainstTheNewMembers) {
  open_chain();
  const Bytes a = join(alice, "hospital-e");
  const Bytes b = join(bob, "hospital-f");
  commit_ok({a, b});
  std::vector<Bytes> approvals;
  for (std::uint32_t i = 0; i < 3; ++i) {
    approvals.push_back(approve(transaction_id(a), i));
    approvals.push_back(approve(transaction_id(b), i));
  }
  commit_ok(approvals);  // both have 3 of 4: only the older is accepted
  EXPECT_EQ(members().size(), 5u);
  EXPECT_EQ(proposal(a).status, ProposalStatus::kAccepted);
  EXPECT_EQ(proposal(b).status, ProposalStatus::kOpen);
  // 3 of the 5 members now is not enough: nothing is ready.
  EXPECT_FALSE(app->wants_block());
  commit_ok({});
  EXPECT_EQ(members().size(), 5u);
  commit_ok({approve(transaction_id(b), 3)});  // 4 of 5
  EXPECT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  auto changes = app->membership_changes(1).value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].height, 2u);
  EXPECT_EQ(changes[1].height, 4u);
}

TEST_F(GovernanceAppTest, AReadyProposalWaitingForABlockAsksForOne) {
  open_chain(GovernanceRules{true, kDefaultProposalExpiryBlocks});
  const Bytes a = join(alice, "hospital-e");
  const Bytes b = join(bob, "hospital-f");
  commit_ok({a, b});
  commit_ok({approve(transaction_id(a), kAdminApprover, &c.admin_seed()),
             approve(transaction_id(b), kAdminApprover, &c.admin_seed())});  // height 2: both ready, one accepted
  EXPECT_EQ(members().size(), 5u);
  EXPECT_EQ(proposal(b).status, ProposalStatus::kOpen);
  EXPECT_TRUE(app->wants_block());
  commit_ok({});  // height 3 accepts the other
  EXPECT_EQ(proposal(b).status, ProposalStatus::kAccepted);
  EXPECT_EQ(proposal(b).subject, 5u);
  EXPECT_FALSE(app->wants_block());
  auto changes = app->membership_changes(1).value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1], (MembershipChange{3, {0, 1, 2, 3, 4, 5}}));
}

TEST_F(GovernanceAppTest, BoundsTheOpenProposals) {
  open_chain();
  std::vector<Bytes> requests;
  for (std::size_t i = 0; i < kMaxOpenProposals; ++i) {
    requests.push_back(join(Candidate(static_cast<char>('A' + i)), "h" + std::to_string(i)));
  }
  commit_ok(requests);
  EXPECT_TRUE(contains(admit(join(Candidate('z'), "one-more")), "proposals are open already"));
}

TEST_F(GovernanceAppTest, AcceptedChangesSurviveReopeningTheStore) {
  open_chain();
  grow_with(alice, "hospital-e");
  const auto before = app->membership_changes(1).value();
  ASSERT_EQ(before.size(), 1u);
  app.reset();
  store.reset();
  store = std::move(LedgerStore::open(dir.path())).value();
  start();
  EXPECT_EQ(app->membership_changes(1).value(), before);
  // What the engine asks the node's application (kGenesisOnly reports none; hc-node uses kFromLedger).
  EXPECT_TRUE(node::LedgerApplication(*store, *app).accepted_changes(1).empty());
  node::LedgerApplication engine_app(*store, *app, node::MembershipReports::kFromLedger);
  auto reported = engine_app.accepted_changes(1);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].height, before[0].height);
  EXPECT_EQ(reported[0].members, (std::vector<consensus::ReplicaId>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(engine_app.accepted_changes(before[0].height + 1).empty());
}

TEST_F(GovernanceAppTest, ChainVerifyReplaysGovernance) {
  open_chain();
  grow_with(alice, "hospital-e");
  commit_ok({vote_out(0, 4, c.replica_seed(0))});
  auto report = verify_chain(*store, c.certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
  EXPECT_EQ(report->blocks_checked, 3u);
}

// ---- Regression: conflicting pending pairs (a Byzantine outsider halted the chain) ----

// Two join requests naming one key were each valid against the committed state, both were
// admitted and every block the primaries built held both: every replica refused it.
TEST_F(GovernanceAppTest, RegressionTwoJoinRequestsWithOneKeyNeverShareAProposedBlock) {
  open_chain();
  const Bytes first = join(alice, "hospital-e", 1);
  const Bytes second = join(alice, "hospital-e", 2);
  ASSERT_TRUE(admit(first).ok());
  Status refused = admit(second);
  EXPECT_TRUE(!refused.ok() && refused.code() == ErrorCode::kAlreadyExists) << refused.to_string();
  EXPECT_NE(refused.to_string().find("already pending"), std::string::npos) << refused.to_string();
  const std::vector<Bytes> block = proposed_block(*app, {first, second});
  commit_ok(block);  // every replica accepts the block the primary built
  EXPECT_EQ(block.size(), 1u);
  EXPECT_EQ(read_consortium_head(StoreTrusteeView(*store)).value().open.size(), 1u);
  // Committed, the claim is gone and the committed rule answers.
  EXPECT_NE(admit(second).to_string().find("open join request"), std::string::npos);
}

// With one proposal slot left, two join requests with different keys were each valid alone and
// the block holding both opened one too many.
TEST_F(GovernanceAppTest, RegressionTwoProposalsForTheLastSlotNeverShareAProposedBlock) {
  open_chain();
  std::vector<Bytes> requests;
  for (std::size_t i = 0; i + 1 < kMaxOpenProposals; ++i) {
    requests.push_back(join(Candidate(static_cast<char>('A' + i)), "h" + std::to_string(i)));
  }
  commit_ok(requests);
  const Bytes last = join(Candidate('x'), "last");
  const Bytes one_more = join(Candidate('y'), "one-more");
  ASSERT_TRUE(admit(last).ok());
  Status refused = admit(one_more);
  EXPECT_TRUE(!refused.ok() && refused.code() == ErrorCode::kUnavailable) << refused.to_string();
  const std::vector<Bytes> block = proposed_block(*app, {last, one_more});
  commit_ok(block);  // every replica accepts the block the primary built
  EXPECT_EQ(block.size(), 1u);
  EXPECT_NE(admit(one_more).to_string().find("proposals are open already"), std::string::npos);
}

}  // namespace
}  // namespace hc::chain
