// Issue 13 item 3, the reader policy: the manager lists readers (kind 17) who may then sign
// access requests (wire kind 18) for the rights they were listed with. A listed reader's
// request commits, an unlisted or removed one's is refused, rights are enforced, every bad
// policy change is refused with its reason, the same-block rule holds, and `hc chain verify`
// (verify_chain) accepts a chain with policy changes and refuses one whose replicas committed
// a request the policy did not allow.
#include <gtest/gtest.h>

#include "chain/formed_access_key.h"
#include "chain/chain_verifier.h"
#include "chain/limits.h"
#include "chain/proposed_block.h"
#include "chain/reader_policy.h"
#include "chain/transaction_json.h"
#include "chain/trustees_chain.h"
#include "crypto/ed25519.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {
namespace {

using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;

// A reader's Ed25519 key from a fixed seed.
struct TestReader {
  explicit TestReader(char fill) : seed(std::string(32, fill)) {
    key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
  }
  SecureBytes seed;
  Ed25519PublicKey key{};
};

// A chain of 4 trustees (t = 3) whose key epoch 0 formed, with one committed version-2 record
// of patient 1.
class ReaderPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = testing::form_trustee_keys(chain, 4, false);
    ASSERT_TRUE(keys.ok()) << keys.status().to_string();
    crypto::SerialNumber serial{};
    const Serial chain_serial = chain.c.serial_of(1);
    std::copy(chain_serial.begin(), chain_serial.end(), serial.begin());
    const Bytes visit = {'f', 'l', 'u'};
    record_tx = chain.record_v2_tx(crypto::seal_payload_v2_with(visit, serial, keys->access_key.group_key,
                                                                P256Scalar::random_nonzero(), crypto::GcmNonce{9})
                                       .value());
    ASSERT_TRUE(chain.commit({record_tx}).ok());
  }

  ReaderPolicyTx change(ReaderPolicyAction action, const TestReader& r, std::uint8_t rights, std::string name) const {
    const auto head = read_reader_policy_head(StoreTrusteeView(*chain.store)).value();
    ReaderPolicyTx p;
    p.chain_id = chain.chain_id();
    p.policy_version = head.version + 1;
    p.action = action;
    p.reader_key = r.key;
    p.rights = action == ReaderPolicyAction::kAdd ? rights : 0;
    p.name = action == ReaderPolicyAction::kAdd ? std::move(name) : std::string();
    return p;
  }
  Bytes add(const TestReader& r, std::uint8_t rights, const std::string& name) const {
    return chain.manager_signed(change(ReaderPolicyAction::kAdd, r, rights, name));
  }
  Bytes remove(const TestReader& r) const { return chain.manager_signed(change(ReaderPolicyAction::kRemove, r, 0, "")); }

  // An access request of patient 1's record signed by reader `r`.
  Bytes reader_request(const TestReader& r, bool decrypt, bool open, const char* purpose = "treatment") const {
    AccessRequestTx q = chain.request(chain.c.serial_of(1), chain.next_block_time());
    q.purpose = purpose;
    q.record_ids = {transaction_id(record_tx)};
    q.decrypt = decrypt;
    q.open = open;
    q.reader = r.key;
    Transaction tx(q);
    HC_CHECK(sign_manager_tx(tx, r.seed).ok());
    return encode_transaction(tx);
  }

  void expect_refused(const Bytes& tx, const std::string& why) {
    Status s = chain.app->check_tx(tx);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
    Status v = chain.validate({tx});
    EXPECT_FALSE(v.ok()) << why;
  }

  void expect_chain_verifies() {
    auto report = verify_chain(*chain.store, chain.c.certificates(), nullptr);
    ASSERT_TRUE(report.ok()) << report.status().to_string();
    EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->height << ": " << report->first_fault->what;
    EXPECT_EQ(report->blocks_checked, chain.height());
  }

  TrusteesChain chain{4, 3, "reader-policy"};
  Bytes record_tx;
  TestReader alice{'a'};
  TestReader bob{'b'};
};

TEST_F(ReaderPolicyTest, AListedReaderRequestsAndARemovedOneIsRefusedWhileItsHistoryStaysValid) {
  // Not listed yet: its signature verifies, the policy refuses it.
  expect_refused(reader_request(alice, true, false), "is not listed in the reader policy");

  const Bytes listing = add(alice, kReaderRightDecrypt, "Dr. Alice Müller (cardiology)");
  ASSERT_TRUE(chain.app->check_tx(listing).ok()) << chain.app->check_tx(listing).to_string();
  ASSERT_TRUE(chain.commit({listing}).ok());
  auto entry = read_reader(StoreTrusteeView(*chain.store), alice.key).value();
  ASSERT_TRUE(entry.has_value());
  EXPECT_TRUE(entry->listed);
  EXPECT_EQ(entry->rights, kReaderRightDecrypt);
  EXPECT_EQ(entry->name, "Dr. Alice Müller (cardiology)");
  EXPECT_EQ(entry->tx_id, transaction_id(listing));
  EXPECT_EQ(read_reader_policy_head(StoreTrusteeView(*chain.store)).value(), (ReaderPolicyHead{1, 1, 1}));

  const Bytes request = reader_request(alice, true, false);
  ASSERT_TRUE(chain.app->check_tx(request).ok()) << chain.app->check_tx(request).to_string();
  ASSERT_TRUE(chain.commit({request}).ok());
  auto q = chain.app->query("access_request/" + digest_hex(transaction_id(request)));
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ((*q)["request"]["reader_key"], to_hex(alice.key));

  ASSERT_TRUE(chain.commit({remove(alice)}).ok());
  expect_refused(reader_request(alice, true, false, "a second look"), "was removed from the reader policy");
  entry = read_reader(StoreTrusteeView(*chain.store), alice.key).value();
  ASSERT_TRUE(entry.has_value());
  EXPECT_FALSE(entry->listed);
  EXPECT_EQ(read_reader_policy_head(StoreTrusteeView(*chain.store)).value(), (ReaderPolicyHead{2, 0, 1}));
  // The manager still requests; the earlier request of the removed reader stays valid history.
  AccessRequestTx manager_request = chain.request(chain.c.serial_of(1), chain.next_block_time());
  ASSERT_TRUE(chain.commit({chain.manager_signed(manager_request)}).ok());
  expect_chain_verifies();

  // Re-listing reuses the entry; the list shows one entry per key.
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightsAll, "Alice")}).ok());
  auto readers = read_readers(StoreTrusteeView(*chain.store)).value();
  ASSERT_EQ(readers.size(), 1u);
  EXPECT_TRUE(readers[0].listed);
  EXPECT_EQ(readers[0].version, 3u);
  EXPECT_EQ(read_reader_policy_head(StoreTrusteeView(*chain.store)).value(), (ReaderPolicyHead{3, 1, 1}));
  auto listed = chain.app->query("reader_policy");
  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  EXPECT_EQ((*listed)["policy_version"], 3);
  ASSERT_EQ((*listed)["readers"].size(), 1u);
  EXPECT_EQ((*listed)["readers"][0]["rights"], "decrypt+open");
  expect_chain_verifies();
}

TEST_F(ReaderPolicyTest, RightsAreEnforced) {
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightDecrypt, "decrypt only")}).ok());
  ASSERT_TRUE(chain.commit({add(bob, kReaderRightOpen, "open only")}).ok());
  expect_refused(reader_request(alice, true, true), "may not open signatures (rights: decrypt)");
  expect_refused(reader_request(alice, false, true), "may not open signatures");
  expect_refused(reader_request(bob, true, false), "may not decrypt (rights: open)");
  expect_refused(reader_request(bob, true, true), "may not decrypt");
  EXPECT_TRUE(chain.commit({reader_request(alice, true, false), reader_request(bob, false, true)}).ok());
  expect_chain_verifies();
}

TEST_F(ReaderPolicyTest, ARequestIsJudgedOnThePolicyCommittedBeforeItsBlock) {
  // Listed in the same block: not yet.
  Status same_block = chain.validate({add(alice, kReaderRightDecrypt, "Alice"), reader_request(alice, true, false)});
  EXPECT_FALSE(same_block.ok());
  EXPECT_NE(same_block.message().find("is not listed"), std::string::npos) << same_block.to_string();
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightDecrypt, "Alice")}).ok());
  // Removed in the same block: still listed before it, so the request stands.
  ASSERT_TRUE(chain.commit({remove(alice), reader_request(alice, true, false)}).ok());
  expect_refused(reader_request(alice, true, false, "again"), "was removed");
  expect_chain_verifies();
}

TEST_F(ReaderPolicyTest, BadSignaturesAreRefused) {
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightDecrypt, "Alice")}).ok());
  // A policy change signed by another key than the admin key.
  Transaction forged(change(ReaderPolicyAction::kAdd, bob, kReaderRightsAll, "Bob"));
  ASSERT_TRUE(sign_manager_tx(forged, alice.seed).ok());
  EXPECT_EQ(chain.app->check_tx(encode_transaction(forged)).code(), ErrorCode::kAuthFailed);
  // A request naming Alice's key but signed by Bob's.
  AccessRequestTx q = chain.request(chain.c.serial_of(1), chain.next_block_time());
  q.reader = alice.key;
  Transaction impostor(q);
  ASSERT_TRUE(sign_manager_tx(impostor, bob.seed).ok());
  Status s = chain.app->check_tx(encode_transaction(impostor));
  EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << s.to_string();
  EXPECT_NE(s.message().find("the reader's signature does not verify"), std::string::npos) << s.to_string();
  // The admin key signing a request that names a reader is not that reader's signature either.
  EXPECT_EQ(chain.app->check_tx(chain.manager_signed(q)).code(), ErrorCode::kAuthFailed);
}

TEST_F(ReaderPolicyTest, BadPolicyChangesAreRefusedWithTheirReason) {
  const Bytes first = add(alice, kReaderRightDecrypt, "Alice");
  ASSERT_TRUE(chain.commit({first}).ok());
  // Replayed: the same bytes, or the same version re-signed.
  expect_refused(first, "already committed");
  ReaderPolicyTx stale = change(ReaderPolicyAction::kAdd, bob, kReaderRightDecrypt, "Bob");
  stale.policy_version = 1;
  expect_refused(chain.manager_signed(stale), "version 1 is not the next (2): a replayed or stale change");
  stale.policy_version = 3;
  expect_refused(chain.manager_signed(stale), "is not the next");
  // Listing twice, a name taken, the admin key, removing an unlisted key, another chain.
  expect_refused(add(alice, kReaderRightsAll, "Alice again"), "is already listed");
  expect_refused(add(bob, kReaderRightsAll, "Alice"), "a listed reader already has this name");
  TestReader admin_as_reader{'x'};
  admin_as_reader.key = chain.c.genesis().manager_admin_key;
  expect_refused(add(admin_as_reader, kReaderRightsAll, "the manager"), "cannot be listed as a reader");
  expect_refused(remove(bob), "is not listed");
  ReaderPolicyTx elsewhere = change(ReaderPolicyAction::kAdd, bob, kReaderRightDecrypt, "Bob");
  elsewhere.chain_id[0] ^= 1;
  expect_refused(chain.manager_signed(elsewhere), "names another chain");
  // Two changes in one block (the second with the next version) are refused as a block.
  ReaderPolicyTx second = change(ReaderPolicyAction::kAdd, bob, kReaderRightDecrypt, "Bob");
  second.policy_version += 1;
  Status two = chain.validate({add(bob, kReaderRightDecrypt, "Bob"), chain.manager_signed(second)});
  EXPECT_FALSE(two.ok());
  EXPECT_NE(two.message().find("at most one change per block"), std::string::npos) << two.to_string();
}

TEST_F(ReaderPolicyTest, NamesAndFieldsAreBounded) {
  auto fields = [&](ReaderPolicyTx p) { return check_transaction_fields(Transaction(p)); };
  ReaderPolicyTx p = change(ReaderPolicyAction::kAdd, bob, kReaderRightDecrypt, std::string(kMaxReaderNameBytes, 'n'));
  EXPECT_TRUE(fields(p).ok());
  p.name = std::string(kMaxReaderNameBytes + 1, 'n');
  EXPECT_EQ(fields(p).code(), ErrorCode::kTooLarge);
  p.name = "";
  EXPECT_NE(fields(p).message().find("reader name is shorter"), std::string::npos);
  p.name = "  \t";
  EXPECT_NE(fields(p).message().find("must not be blank"), std::string::npos);
  p.name = "bell\x07";
  EXPECT_NE(fields(p).message().find("not printable UTF-8"), std::string::npos);
  p.name = "\xc3\x28";
  EXPECT_NE(fields(p).message().find("not printable UTF-8"), std::string::npos);
  p.name = "Bob";
  p.rights = 0;
  EXPECT_NE(fields(p).message().find("rights must be 1 (decrypt), 2 (open) or 3"), std::string::npos);
  p.rights = 4;
  EXPECT_FALSE(fields(p).ok());
  p.rights = 1;
  p.policy_version = 0;
  EXPECT_NE(fields(p).message().find("version must be >= 1"), std::string::npos);
  ReaderPolicyTx r = change(ReaderPolicyAction::kRemove, bob, 0, "");
  EXPECT_TRUE(fields(r).ok());
  r.name = "Bob";
  EXPECT_NE(fields(r).message().find("a removal carries no rights and no name"), std::string::npos);
  r.name = "";
  r.rights = 1;
  EXPECT_FALSE(fields(r).ok());
}

TEST_F(ReaderPolicyTest, WireAndJsonFormsRoundTripAndAreCanonical) {
  const Bytes listing = add(alice, kReaderRightsAll, "Alice");
  EXPECT_EQ(listing[5], 17);  // "HCTX" | version | kind
  auto decoded = decode_transaction(listing);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(encode_transaction(*decoded), listing);
  auto from_json = transaction_from_json(transaction_to_json(*decoded));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(encode_transaction(*from_json), listing);
  const Bytes removal = remove(alice);
  EXPECT_EQ(encode_transaction(transaction_from_json(transaction_to_json(decode_transaction(removal).value())).value()),
            removal);

  for (bool decrypt : {true, false}) {
    for (bool open : {true, false}) {
      if (!decrypt && !open) continue;
      const Bytes request = reader_request(alice, decrypt, open);
      EXPECT_EQ(request[5], kAccessRequestByReaderWireKind);
      auto back = decode_transaction(request);
      ASSERT_TRUE(back.ok()) << back.status().to_string();
      EXPECT_EQ(encode_transaction(*back), request);
      EXPECT_EQ(encode_transaction(transaction_from_json(transaction_to_json(*back)).value()), request);
    }
  }
  // Offsets after the header: chain id 32, then (kind 17) version 8, action 1 / (kind 18) key
  // epoch 8, flags 1.
  const std::size_t after_header = 6 + 32;
  Bytes bad = listing;
  bad[after_header + 8] = 3;  // action
  EXPECT_NE(decode_transaction(bad).status().message().find("action must be 1 (add) or 2 (remove)"), std::string::npos);
  bad = remove(alice);
  bad[after_header + 8 + 1 + 32] = 1;  // rights on a removal
  EXPECT_NE(decode_transaction(bad).status().message().find("a removal carries no rights"), std::string::npos);
  bad = reader_request(alice, true, false);
  bad[after_header + 8] = 0;  // flags
  EXPECT_NE(decode_transaction(bad).status().message().find("flags must be 1 (decrypt), 2 (open) or 3"),
            std::string::npos);
  bad = listing;
  bad.push_back(0);
  EXPECT_FALSE(decode_transaction(bad).ok());
  bad = listing;
  bad.pop_back();
  EXPECT_FALSE(decode_transaction(bad).ok());
}

TEST(ReaderPolicySingleManagerTest, ASingleManagerChainHasNoReaderPolicy) {
  testing::TestConsortium c;
  testing::TempDir dir("reader-policy-single");
  auto store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  auto app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
  ReaderPolicyTx p;
  p.chain_id = c.genesis_hash();
  p.policy_version = 1;
  p.reader_key = TestReader('a').key;
  p.rights = kReaderRightDecrypt;
  p.name = "Alice";
  Status s = app->check_tx(encode_transaction(c.signed_manager(p)));
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(s.message().find("a single-manager chain has no reader policy"), std::string::npos) << s.to_string();
}

TEST_F(ReaderPolicyTest, ChainVerifyRefusesARequestThePolicyDidNotAllow) {
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightDecrypt, "Alice")}).ok());
  ASSERT_TRUE(chain.commit({reader_request(alice, true, false)}).ok());
  expect_chain_verifies();
  // Colluding replicas commit a block the application refuses: an unlisted reader's request.
  const Bytes doctored = reader_request(bob, true, false);
  EXPECT_FALSE(chain.validate({doctored}).ok());
  const Block block = chain.c.make_block(chain.store->tip(), {doctored});
  CheckedBlock checked = check_block(block).value();
  StateChanges changes = state_changes_of(checked, block.header.height);
  changes.trustee_entries = trustee_changes_of(StoreTrusteeView(*chain.store), checked, block.header.height).value();
  ASSERT_TRUE(chain.store->commit_block(block, changes).ok());
  auto report = verify_chain(*chain.store, chain.c.certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  ASSERT_TRUE(report->first_fault.has_value());
  EXPECT_EQ(report->first_fault->height, block.header.height);
  EXPECT_NE(report->first_fault->what.find("is not listed in the reader policy"), std::string::npos)
      << report->first_fault->what;
}

TEST_F(ReaderPolicyTest, ChainVerifyRefusesAPolicyChangeTheRulesRefuse) {
  ASSERT_TRUE(chain.commit({add(alice, kReaderRightDecrypt, "Alice")}).ok());
  // A stale version committed by colluding replicas.
  ReaderPolicyTx stale = change(ReaderPolicyAction::kAdd, bob, kReaderRightDecrypt, "Bob");
  stale.policy_version = 1;
  const Block block = chain.c.make_block(chain.store->tip(), {chain.manager_signed(stale)});
  CheckedBlock checked = check_block(block).value();
  StateChanges changes = state_changes_of(checked, block.header.height);
  changes.trustee_entries = trustee_changes_of(StoreTrusteeView(*chain.store), checked, block.header.height).value();
  ASSERT_TRUE(chain.store->commit_block(block, changes).ok());
  auto report = verify_chain(*chain.store, chain.c.certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  ASSERT_TRUE(report->first_fault.has_value());
  EXPECT_EQ(report->first_fault->height, block.header.height);
  EXPECT_NE(report->first_fault->what.find("is not the next"), std::string::npos) << report->first_fault->what;
}

// Regression: two policy changes for the next version were each valid against the committed
// state (at most one change per block), both were admitted and the block holding both was
// refused by every replica.
TEST_F(ReaderPolicyTest, RegressionTwoPendingChangesNeverShareAProposedBlock) {
  const Bytes first = add(alice, kReaderRightDecrypt, "Dr. Alice");
  const Bytes second = add(bob, kReaderRightDecrypt, "Dr. Bob");
  ASSERT_TRUE(chain.app->check_tx(first).ok());
  Status refused = chain.app->check_tx(second);
  EXPECT_TRUE(!refused.ok() && refused.code() == ErrorCode::kAlreadyExists) << refused.to_string();
  const std::vector<Bytes> block = testing::proposed_block(*chain.app, {first, second});
  Status committed = chain.commit(block).status();
  ASSERT_TRUE(committed.ok()) << committed.to_string();  // the block the primary built
  EXPECT_EQ(block.size(), 1u);
  // The other change, signed for the version now used, is refused as stale.
  EXPECT_NE(chain.app->check_tx(second).to_string().find("is not the next"), std::string::npos);
  EXPECT_TRUE(chain.app->check_tx(add(bob, kReaderRightDecrypt, "Dr. Bob")).ok());
}

}  // namespace
}  // namespace hc::chain
