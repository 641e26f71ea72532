// Issue 13: records sealed with envelope version 2 on the ledger. A trustees-mode chain accepts
// a version-2 record sealed to an access key its DKG formed and refuses version 1, a key id no
// epoch formed, a record sealed before any key formed and an ephemeral key off the curve; a
// single-manager chain refuses version 2. The wire and JSON forms of a version-2 record.
#include <gtest/gtest.h>

#include "chain/chain_verifier.h"
#include "chain/formed_access_key.h"
#include "chain/limits.h"
#include "chain/sealed_record_conversion.h"
#include "chain/transaction_json.h"
#include "chain/trustees_chain.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;

const Bytes kRecordsTestVisit = {'v', 'i', 's', 'i', 't'};

crypto::SerialNumber client_serial_of(const Serial& s) {
  crypto::SerialNumber out{};
  std::copy(s.begin(), s.end(), out.begin());
  return out;
}

// Forms key epoch 0's access key on `chain` with every trustee dealing (formed_access_key.h).
th::DkgOutcome formed_outcome(TrusteesChain& chain) {
  auto formed = testing::form_access_key(chain);
  HC_CHECK(formed.ok());
  return formed->outcome;
}

crypto::SealedRecordV2 seal_to(const Serial& serial, const P256Point& access_key) {
  return crypto::seal_payload_v2_with(kRecordsTestVisit, client_serial_of(serial), access_key,
                                      P256Scalar::random_nonzero(), crypto::GcmNonce{7})
      .value();
}

void expect_refused(const Status& s, const std::string& why) {
  if (s.ok()) {
    ADD_FAILURE() << "accepted, but should be refused: " << why;
    return;
  }
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << s.to_string();
  EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
}

TEST(TrusteesRecords, AVersion2RecordSealedToTheFormedKeyIsCommittedAndVerified) {
  TrusteesChain chain{4, 3, "records-v2-ok"};
  const th::DkgOutcome outcome = formed_outcome(chain);
  const Serial serial = chain.c.serial_of(1);
  const crypto::SealedRecordV2 sealed = seal_to(serial, outcome.key.group_key);
  const Bytes tx = chain.record_v2_tx(sealed);
  ASSERT_TRUE(chain.app->check_tx(tx).ok()) << chain.app->check_tx(tx).to_string();
  ASSERT_TRUE(chain.commit({tx}).ok());

  // Read back from the store, it is the same record, and opens with the whole secret.
  auto loc = chain.store->find_transaction(transaction_id(tx)).value();
  ASSERT_TRUE(loc.has_value());
  auto stored = decode_transaction(chain.store->read_block(loc->height).value().transactions[loc->index]).value();
  auto back = client_record_v2_of(std::get<RecordTx>(stored).sealed).value();
  EXPECT_EQ(back, sealed);
  auto report = verify_chain(*chain.store, chain.c.certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->what;
}

TEST(TrusteesRecords, ATrusteesChainRefusesVersion1AndRecordsNotSealedToAFormedKey) {
  TrusteesChain chain{4, 3, "records-v2-refused"};
  const Serial serial = chain.c.serial_of(1);
  const P256Point stray_key = P256Point::base_mul(P256Scalar::from_u64(0x5eed));
  // Before any key formed, no key id is one.
  expect_refused(chain.app->check_tx(chain.record_v2_tx(seal_to(serial, stray_key))),
                 "is not the id of an access key formed on this chain");
  const th::DkgOutcome outcome = formed_outcome(chain);
  // Version 1, even to a published envelope key.
  ASSERT_TRUE(chain.commit({chain.c.publish_key_tx(testing::test_envelope_spki())}).ok());
  expect_refused(chain.app->check_tx(chain.c.encode_signed_record(serial, 0)),
                 "envelope version 1 (sealed to the manager's RSA key) is refused on a trustees-mode chain");
  // Version 2 to a key the DKG did not form.
  expect_refused(chain.app->check_tx(chain.record_v2_tx(seal_to(serial, stray_key))),
                 "is not the id of an access key formed on this chain");
  // The formed key's id with an ephemeral key that is not a curve point.
  crypto::SealedRecordV2 off_curve = seal_to(serial, outcome.key.group_key);
  off_curve.ephemeral_key[64] ^= 1;
  expect_refused(chain.app->check_tx(chain.record_v2_tx(off_curve)), "the ephemeral key is not a point of P-256");
  // The same refusals hold in a block.
  expect_refused(chain.validate({chain.c.encode_signed_record(serial, 0)}), "refused on a trustees-mode chain");
  // And a good one still passes.
  EXPECT_TRUE(chain.app->check_tx(chain.record_v2_tx(seal_to(serial, outcome.key.group_key))).ok());
}

TEST(TrusteesRecords, ASingleManagerChainRefusesVersion2) {
  testing::TempDir dir{"records-v2-single"};
  testing::TestConsortium c;
  auto store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  auto app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
  ASSERT_TRUE(app->commit_block(c.make_block(store->tip(), {c.publish_key_tx(testing::test_envelope_spki())})).ok());
  const Serial serial = c.serial_of(1);
  RecordTx r;
  r.sealed = chain_record_of(seal_to(serial, P256Point::base_mul(P256Scalar::from_u64(3)))).value();
  r.sealed.key_id = c.envelope_key_id();  // even naming a published envelope key
  r.group_signature = c.group().sign(0, record_signing_digest(r));
  expect_refused(app->check_tx(encode_transaction(r)),
                 "envelope version 2 (sealed to a trustees' access key) is refused on a single-manager chain");
  EXPECT_TRUE(app->check_tx(c.encode_signed_record(serial, 0)).ok());
}

TEST(TrusteesRecords, Version2WireAndJsonForms) {
  RecordTx r;
  r.sealed = chain_record_of(seal_to(Serial{1}, P256Point::base_mul(P256Scalar::from_u64(9)))).value();
  r.epoch = 3;
  r.group_signature = Bytes(350, 0x42);
  const Bytes wire = encode_transaction(r);
  // "HCTX" | version 1 | wire kind 12 | serial | key id | E 65 | nonce | ...
  ASSERT_GT(wire.size(), 6u + 32 + 32 + 65);
  EXPECT_EQ(wire[5], kRecordV2WireKind);
  EXPECT_TRUE(std::equal(r.sealed.ephemeral_key.begin(), r.sealed.ephemeral_key.end(), wire.begin() + 6 + 64));
  EXPECT_EQ(wire.size(), 6u + 32 + 32 + 65 + 12 + 4 + r.sealed.ciphertext.size() + 8 + 2 + 350);
  auto decoded = decode_transaction(wire);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(encode_transaction(*decoded), wire);
  EXPECT_EQ(std::get<RecordTx>(*decoded).sealed.envelope_version, kRecordEnvelopeV2);
  auto from_json = transaction_from_json(transaction_to_json(*decoded));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(encode_transaction(*from_json), wire);
  EXPECT_EQ(transaction_to_json(*decoded).at("envelope_version"), "2");

  // Content digests of the two versions never coincide, and cover the ephemeral key.
  SealedRecord as_v1 = r.sealed;
  as_v1.envelope_version = kRecordEnvelopeV1;
  as_v1.ephemeral_key = {};
  EXPECT_NE(record_content_digest(as_v1), record_content_digest(r.sealed));
  SealedRecord other_e = r.sealed;
  other_e.ephemeral_key = P256Point::base_mul(P256Scalar::from_u64(10)).encode();
  EXPECT_NE(record_content_digest(other_e), record_content_digest(r.sealed));

  // One value, one encoding: the other version's key field must be zero; unknown versions refused.
  RecordTx mixed = r;
  mixed.sealed.wrapped_key[0] = 1;
  EXPECT_FALSE(check_transaction_fields(mixed).ok());
  RecordTx v1_with_e = r;
  v1_with_e.sealed.envelope_version = kRecordEnvelopeV1;
  EXPECT_FALSE(check_transaction_fields(v1_with_e).ok());
  RecordTx v3 = r;
  v3.sealed.envelope_version = 3;
  EXPECT_FALSE(check_transaction_fields(v3).ok());
  // A compressed-point prefix does not decode.
  Bytes compressed = wire;
  compressed[6 + 64] = 0x02;
  EXPECT_FALSE(decode_transaction(compressed).ok());
}

}  // namespace
}  // namespace hc::chain

namespace hc::chain {
namespace {

// What a node's POST /v1/records takes: the record file of either version.
TEST(TrusteesRecords, ARecordFileOfEitherVersionBecomesTheLedgerRecordOfThatVersion) {
  const crypto::SealedRecordV2 v2 = crypto::seal_payload_v2_with(
      Bytes{'x'}, crypto::SerialNumber{3}, crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(5)),
      crypto::P256Scalar::from_u64(6), crypto::GcmNonce{1}).value();
  auto from_v2 = chain_record_from_file_json(crypto::sealed_record_v2_to_json(v2));
  ASSERT_TRUE(from_v2.ok()) << from_v2.status().to_string();
  EXPECT_EQ(from_v2->envelope_version, kRecordEnvelopeV2);
  EXPECT_EQ(client_record_v2_of(*from_v2).value(), v2);

  crypto::SealedRecord v1;
  v1.serial = crypto::SerialNumber{4};
  v1.wrapped_key = Bytes(kWrappedKeyBytes, 7);
  v1.ciphertext = Bytes(20, 8);
  auto from_v1 = chain_record_from_file_json(crypto::sealed_record_to_json(v1));
  ASSERT_TRUE(from_v1.ok()) << from_v1.status().to_string();
  EXPECT_EQ(from_v1->envelope_version, kRecordEnvelopeV1);
  EXPECT_EQ(client_record_v1_of(*from_v1).value(), v1);
  EXPECT_FALSE(client_record_v2_of(*from_v1).ok());

  // A version-2 file with a bad field gets version 2's error; anything else version 1's.
  std::string broken = crypto::sealed_record_v2_to_json(v2);
  broken.replace(broken.find("\"ephemeral_key\""), 15, "\"ephemeral_kee\"");
  auto bad_v2 = chain_record_from_file_json(broken);
  ASSERT_FALSE(bad_v2.ok());
  EXPECT_EQ(bad_v2.status().message().find("version must be"), std::string::npos) << bad_v2.status().to_string();
  auto garbage = chain_record_from_file_json("{\"version\": 3}");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("version must be 1"), std::string::npos) << garbage.status().to_string();
}

}  // namespace
}  // namespace hc::chain
