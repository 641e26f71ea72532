// Issue 16 item 3, enrollment on the chain: the join request that names its enrollment key
// (wire kind 24) and the enrollment that carries the member key boxed to it (wire kind 25):
// round trips, canonical refusals and signatures; the box's binding to its chain, member, epoch
// and key; the application's acceptance rules and refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "chain/enrollment_box.h"
#include "chain/governance_rules.h"
#include "chain/governance_state.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "chain/transaction_json.h"
#include "common/check.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "crypto/p256.h"
#include "crypto/p256_kem.h"

namespace hc::chain {
namespace enrollment_tests {  // named: the governance_test binary is a unity build

using testing::TempDir;
using testing::TestConsortium;

bool contains(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

// A joining hospital: its replica key and the P-256 key its member key is boxed to.
struct Joiner {
  explicit Joiner(char fill) : seed(std::string(32, fill)), box_secret(crypto::P256Scalar::random_nonzero()) {
    key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
    box_key = crypto::P256Point::base_mul(box_secret).encode();
  }
  SecureBytes seed;
  Ed25519PublicKey key{};
  crypto::P256Scalar box_secret;
  crypto::P256PointBytes box_key{};
};

Bytes governance_signed(Transaction tx, const SecureBytes& seed) {
  HC_CHECK(sign_governance_tx(tx, seed).ok());
  return encode_transaction(tx);
}

JoinRequestTx join_with_key(const Digest& chain, const Joiner& who, const std::string& name) {
  JoinRequestTx join{chain, who.key, name, name + ".example:8443", "", 3, {}, name + ".example:7000"};
  join.enrollment_key = who.box_key;
  return join;
}

// An enrollment of `name` as member `id` boxed to `recipient`, unsigned.
EnrollmentTx boxed_enrollment(const Digest& chain, std::uint32_t id, const std::string& name,
                              const crypto::P256PointBytes& recipient, std::uint64_t epoch = 0,
                              const Bytes& member_key = Bytes(120, 0x4d)) {
  EnrollmentTx e;
  e.member_name = name;
  e.registry_entry = Bytes(96, static_cast<std::uint8_t>(0x20 + id));
  e.boxed = BoxedMemberKey{chain, id, epoch, recipient, {}};
  HC_CHECK(seal_member_key(e, member_key).ok());
  return e;
}

// ---- Encodings ----

TEST(EnrollmentEncodingTest, AJoinRequestWithAnEnrollmentKeyIsKind24AndSignsIt) {
  const Joiner who('j');
  const JoinRequestTx join = join_with_key(sha256(as_bytes("chain")), who, "hospital-f");
  const Bytes encoded = governance_signed(join, who.seed);
  EXPECT_EQ(encoded[5], kJoinRequestWithEnrollmentKeyWireKind);
  auto back = decode_transaction(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(std::get<JoinRequestTx>(*back).enrollment_key, who.box_key);
  EXPECT_EQ(std::get<JoinRequestTx>(*back).peer_address, "hospital-f.example:7000");
  EXPECT_EQ(encode_transaction(*back), encoded);
  EXPECT_STREQ(tx_kind_name(kind_of(*back)), "join_request");
  EXPECT_TRUE(verify_governance_signature(*back, who.key).ok());
  // The key is signed: another key under the same signature does not verify.
  JoinRequestTx swapped = std::get<JoinRequestTx>(*back);
  swapped.enrollment_key = Joiner('k').box_key;
  EXPECT_EQ(verify_governance_signature(swapped, who.key).code(), ErrorCode::kAuthFailed);
  // Truncated or with a trailing byte: refused.
  EXPECT_FALSE(decode_transaction(Bytes(encoded.begin(), encoded.end() - 1)).ok());
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_transaction(longer).ok());
  // A key that is not a point: refused by the field rules and by the decoder.
  JoinRequestTx bad = join;
  bad.enrollment_key->at(10) ^= 0x01;
  EXPECT_TRUE(contains(check_transaction_fields(bad), "not an uncompressed P-256 point"));
  Bytes bad_point = encoded;
  const std::size_t key_at = encoded.size() - kEd25519SignatureBytes - crypto::kP256PointBytes;
  bad_point[key_at + 10] ^= 0x01;
  EXPECT_EQ(decode_transaction(bad_point).status().code(), ErrorCode::kInvalidInput);
  // An enrollment key needs a peer address (kind 24 is kind 23's body plus the key).
  JoinRequestTx no_peer = join;
  no_peer.peer_address.clear();
  EXPECT_TRUE(contains(check_transaction_fields(no_peer), "needs a peer address"));
}

TEST(EnrollmentEncodingTest, Kinds19And23AreUnchangedByteForByte) {
  // The committed seeds of kinds 19 and 23 (written before kind 24 existed) decode to requests
  // without an enrollment key and re-encode to the same bytes.
  for (const char* name : {"join_request", "join_request_with_peer"}) {
    auto text = read_text_file(std::string(HC_SOURCE_DIR) + "/fuzz/corpus/chain_transaction/" + name, 4096);
    ASSERT_TRUE(text.ok()) << name << ": " << text.status().to_string();
    auto tx = decode_transaction(as_bytes(*text));
    ASSERT_TRUE(tx.ok()) << name << ": " << tx.status().to_string();
    EXPECT_FALSE(std::get<JoinRequestTx>(*tx).enrollment_key.has_value()) << name;
    EXPECT_EQ(encode_transaction(*tx), Bytes(text->begin(), text->end())) << name;
  }
  auto seed = read_text_file(std::string(HC_SOURCE_DIR) + "/fuzz/corpus/chain_transaction/enrollment", 4096);
  ASSERT_TRUE(seed.ok()) << seed.status().to_string();
  auto kind4 = decode_transaction(as_bytes(*seed));
  ASSERT_TRUE(kind4.ok()) << kind4.status().to_string();
  EXPECT_FALSE(std::get<EnrollmentTx>(*kind4).boxed.has_value());
  EXPECT_EQ(encode_transaction(*kind4), Bytes(seed->begin(), seed->end()));
}

TEST(EnrollmentEncodingTest, TheNewKindsHaveFuzzCorpusSeeds) {
  for (const char* name : {"join_request_with_enrollment_key", "enrollment_with_box"}) {
    auto text = read_text_file(std::string(HC_SOURCE_DIR) + "/fuzz/corpus/chain_transaction/" + name, 8192);
    ASSERT_TRUE(text.ok()) << name << ": " << text.status().to_string();
    auto tx = decode_transaction(as_bytes(*text));
    ASSERT_TRUE(tx.ok()) << name << ": " << tx.status().to_string();
    EXPECT_EQ(encode_transaction(*tx), Bytes(text->begin(), text->end())) << name;
  }
}

TEST(EnrollmentEncodingTest, AnEnrollmentWithABoxIsKind25SignedByTheAdmin) {
  TestConsortium c;
  const Joiner who('a');
  const Transaction tx = c.signed_manager(boxed_enrollment(c.genesis_hash(), 4, "hospital-e", who.box_key, 2));
  const Bytes encoded = encode_transaction(tx);
  EXPECT_EQ(encoded[5], kEnrollmentWithBoxWireKind);
  auto back = decode_transaction(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(std::get<EnrollmentTx>(*back).boxed, std::get<EnrollmentTx>(tx).boxed);
  EXPECT_EQ(encode_transaction(*back), encoded);
  EXPECT_STREQ(tx_kind_name(kind_of(*back)), "enrollment");
  EXPECT_TRUE(is_manager_tx(*back));
  EXPECT_TRUE(verify_manager_tx(*back, c.genesis().manager_admin_key).ok());
  // Every boxed field is under the admin's signature.
  for (int field = 0; field < 4; ++field) {
    Transaction changed = *back;
    BoxedMemberKey& b = *std::get<EnrollmentTx>(changed).boxed;
    if (field == 0) b.member_id = 5;
    if (field == 1) b.group_epoch = 3;
    if (field == 2) b.chain_id[0] ^= 1;
    if (field == 3) b.box.back() ^= 1;
    EXPECT_EQ(verify_manager_tx(changed, c.genesis().manager_admin_key).code(), ErrorCode::kAuthFailed) << field;
  }
  // The JSON form carries it too and reads back to the same transaction.
  auto from_json = transaction_from_json(transaction_to_json(*back));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(encode_transaction(*from_json), encoded);
  // Truncated, a trailing byte, a box below the KEM's overhead, a member id out of range.
  EXPECT_FALSE(decode_transaction(Bytes(encoded.begin(), encoded.end() - 1)).ok());
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_transaction(longer).ok());
  EnrollmentTx short_box = std::get<EnrollmentTx>(*back);
  short_box.boxed->box.resize(crypto::kBoxOverheadBytes);
  EXPECT_TRUE(contains(check_transaction_fields(short_box), "boxed member key"));
  EnrollmentTx far = std::get<EnrollmentTx>(*back);
  far.boxed->member_id = 256;
  EXPECT_TRUE(contains(check_transaction_fields(far), "member id"));
  EnrollmentTx not_a_point = std::get<EnrollmentTx>(*back);
  not_a_point.boxed->recipient_key[0] = 0x02;
  EXPECT_TRUE(contains(check_transaction_fields(not_a_point), "recipient key"));
}

// ---- The box ----

TEST(EnrollmentBoxTest, OpensOnlyForItsMemberItsChainItsEpochAndUnaltered) {
  const Digest chain = sha256(as_bytes("chain"));
  const Joiner a('a');
  const Joiner b('b');
  const Bytes member_key(150, 0x6b);
  const EnrollmentTx for_a = boxed_enrollment(chain, 4, "hospital-e", a.box_key, 1, member_key);
  auto opened = open_member_key(for_a, a.box_secret);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(Bytes(opened->span().begin(), opened->span().end()), member_key);

  // A's box does not open with B's secret, nor as B's enrollment (B's id, name and key).
  EXPECT_EQ(open_member_key(for_a, b.box_secret).status().code(), ErrorCode::kAuthFailed);
  EnrollmentTx moved = for_a;
  moved.member_name = "hospital-f";
  moved.boxed->member_id = 5;
  moved.boxed->recipient_key = b.box_key;
  EXPECT_EQ(open_member_key(moved, b.box_secret).status().code(), ErrorCode::kAuthFailed);
  // Any one field of the context changed: refused even with A's secret.
  for (int field = 0; field < 5; ++field) {
    EnrollmentTx changed = for_a;
    if (field == 0) changed.boxed->chain_id[31] ^= 1;
    if (field == 1) changed.boxed->member_id = 7;
    if (field == 2) changed.boxed->group_epoch = 2;
    if (field == 3) changed.member_name = "hospital-x";
    if (field == 4) changed.registry_entry.back() ^= 1;
    EXPECT_EQ(open_member_key(changed, a.box_secret).status().code(), ErrorCode::kAuthFailed) << field;
  }
  // Tampered box bytes (in the ciphertext, the tag, the ephemeral key): refused.
  for (std::size_t at : {std::size_t{70}, for_a.boxed->box.size() - 1}) {
    EnrollmentTx tampered = for_a;
    tampered.boxed->box[at] ^= 0x01;
    EXPECT_EQ(open_member_key(tampered, a.box_secret).status().code(), ErrorCode::kAuthFailed) << at;
  }
  EnrollmentTx bad_ephemeral = for_a;
  bad_ephemeral.boxed->box[1] ^= 0x01;
  EXPECT_FALSE(open_member_key(bad_ephemeral, a.box_secret).ok());
  // The context starts with the versioned domain tag.
  const Bytes context = enrollment_box_context(for_a);
  EXPECT_EQ(context[0], kEnrollmentBoxTag.size());
  EXPECT_EQ(std::string(context.begin() + 1, context.begin() + 1 + kEnrollmentBoxTag.size()), "HC-ENROLLMENT-BOX-v1");
  // Two seals of one key differ (fresh ephemeral each time).
  EXPECT_NE(boxed_enrollment(chain, 4, "hospital-e", a.box_key, 1, member_key).boxed->box, for_a.boxed->box);
}

// ---- Application rules ----

class EnrollmentAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c.use_governance(GovernanceRules{});
    store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
  }
  void commit_ok(std::vector<Bytes> txs) {
    auto r = app->commit_block(c.make_block(store->tip(), std::move(txs)));
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  Status admit(const Bytes& tx) { return app->check_tx(tx); }
  std::vector<std::uint32_t> members() const { return read_consortium_head(StoreTrusteeView(*store)).value().members; }
  // `join` is accepted with the approvals of the first members (more than two thirds).
  void accept(const JoinRequestTx& join, const SecureBytes& seed) {
    const Bytes request = governance_signed(join, seed);
    commit_ok({request});
    std::vector<Bytes> approvals;
    const auto current = members();
    for (std::size_t i = 0; i < approvals_needed(current.size()); ++i) {
      approvals.push_back(governance_signed(
          GovernanceApprovalTx{c.genesis_hash(), transaction_id(request), current[i], {}}, c.replica_seed(current[i])));
    }
    commit_ok(approvals);
  }
  Bytes signed_enrollment(const EnrollmentTx& e) const { return encode_transaction(c.signed_manager(e)); }

  TempDir dir{"enrollment"};
  TestConsortium c;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  const Joiner alice{'a'};
  const Joiner bob{'b'};
};

TEST_F(EnrollmentAppTest, AcceptsOneEnrollmentOfAnAcceptedMemberWithItsKey) {
  accept(join_with_key(c.genesis_hash(), alice, "hospital-e"), alice.seed);
  ASSERT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  auto member = read_member(StoreTrusteeView(*store), 4).value();
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->enrollment_key, alice.box_key);

  const Bytes enroll = signed_enrollment(boxed_enrollment(c.genesis_hash(), 4, "hospital-e", alice.box_key));
  ASSERT_TRUE(admit(enroll).ok()) << admit(enroll).to_string();
  commit_ok({enroll});
  auto entry = store->registry_entry("hospital-e").value();
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(*entry, Bytes(96, 0x24));
  // Once: a second enrollment of the member (a fresh box) and the same one again are refused.
  const Bytes again = signed_enrollment(boxed_enrollment(c.genesis_hash(), 4, "hospital-e", alice.box_key));
  EXPECT_TRUE(contains(admit(again), "already enrolled"));
  EXPECT_FALSE(admit(enroll).ok());
}

TEST_F(EnrollmentAppTest, RefusesNonMembersWrongKeysChainsEpochsAndOtherMembersBoxes) {
  accept(join_with_key(c.genesis_hash(), alice, "hospital-e"), alice.seed);
  accept(join_with_key(c.genesis_hash(), bob, "hospital-f"), bob.seed);
  ASSERT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  const Digest chain = c.genesis_hash();
  // Never a member; a genesis replica (enrolled at genesis).
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 9, "hospital-z", alice.box_key))),
                       "not a member accepted by governance"));
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 0, "hospital-e", alice.box_key))),
                       "not a member accepted by governance"));
  // Boxed to a key its join request did not name.
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 4, "hospital-e", bob.box_key))),
                       "not to the key its join request named"));
  // Another chain's id.
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(sha256(as_bytes("elsewhere")), 4, "hospital-e",
                                                                alice.box_key))),
                       "another chain"));
  // Not the current group epoch.
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 4, "hospital-e", alice.box_key, 1))),
                       "is not the current 0"));
  // Alice's enrollment replayed as Bob's (Bob's id, Alice's name and key): refused.
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 5, "hospital-e", alice.box_key))),
                       "is not the member's"));
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(chain, 5, "hospital-f", alice.box_key))),
                       "not to the key its join request named"));
  // Signed by someone other than the admin.
  Transaction forged = boxed_enrollment(chain, 4, "hospital-e", alice.box_key);
  ASSERT_TRUE(sign_manager_tx(forged, SecureBytes(std::string(32, 'z'))).ok());
  EXPECT_EQ(admit(encode_transaction(forged)).code(), ErrorCode::kAuthFailed);
  // Both proper ones are accepted, in one block.
  const Bytes for_alice = signed_enrollment(boxed_enrollment(chain, 4, "hospital-e", alice.box_key));
  const Bytes for_bob = signed_enrollment(boxed_enrollment(chain, 5, "hospital-f", bob.box_key));
  EXPECT_TRUE(admit(for_alice).ok()) << admit(for_alice).to_string();
  commit_ok({for_alice, for_bob});
}

TEST_F(EnrollmentAppTest, RefusesAMemberWhoseJoinNamedNoKeyOrWhoLeft) {
  JoinRequestTx keyless = join_with_key(c.genesis_hash(), alice, "hospital-e");
  keyless.enrollment_key.reset();  // kind 23
  accept(keyless, alice.seed);
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(c.genesis_hash(), 4, "hospital-e", alice.box_key))),
                       "named no enrollment key"));
  // The wire kind 4 enrollment (the key handed over out of band) still works for it.
  EXPECT_TRUE(admit(c.enrollment_tx("hospital-e")).ok());

  accept(join_with_key(c.genesis_hash(), bob, "hospital-f"), bob.seed);
  ASSERT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  commit_ok({governance_signed(ExitAnnouncementTx{c.genesis_hash(), 5, 0, {}}, bob.seed)});
  commit_ok({});
  ASSERT_EQ(members(), (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(contains(admit(signed_enrollment(boxed_enrollment(c.genesis_hash(), 5, "hospital-f", bob.box_key))),
                       "no longer a member"));
}

}  // namespace enrollment_tests
}  // namespace hc::chain
