#include "crypto/sealed_record.h"

#include <gtest/gtest.h>

#include "support/envelope_key.h"
#include "support/temp_dir.h"

namespace hc::crypto {
namespace {

class SealedRecordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = &test::shared_envelope_key(); }
  void SetUp() override {
    Bytes pseudonym_key(32, 9);
    serial_ = *compute_serial(pseudonym_key, "Ada Lovelace", "AB123");
    other_serial_ = *compute_serial(pseudonym_key, "Charles Babbage", "CB1");
    visit_ = *make_visit("2026-11-24T09:30:00Z", "Influenza A",
                         std::string(R"({"resourceType":"Observation","status":"final"})"));
  }
  static const EnvelopePrivateKey* key_;
  SerialNumber serial_{}, other_serial_{};
  Visit visit_;
};
const EnvelopePrivateKey* SealedRecordTest::key_ = nullptr;

void expect_rejected(const SealedRecord& record, const EnvelopePrivateKey& key, const std::string& what) {
  auto r = open_record(record, key);
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_TRUE(r.status().code() == ErrorCode::kAuthFailed || r.status().code() == ErrorCode::kNotFound)
      << what << ": " << r.status().to_string();
}

TEST_F(SealedRecordTest, RoundTrip) {
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->key_id, key_->public_key().key_id());
  EXPECT_EQ(rec->wrapped_key.size(), kWrappedKeyBytes);
  auto opened = open_record(*rec, *key_);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, visit_);
  auto parsed = sealed_record_from_json(sealed_record_to_json(*rec));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, *rec);
}

TEST_F(SealedRecordTest, FreshKeyAndNonceEveryRecord) {
  auto a = seal_record(visit_, serial_, key_->public_key());
  auto b = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->nonce, b->nonce);
  EXPECT_NE(a->ciphertext, b->ciphertext);
  EXPECT_NE(a->wrapped_key, b->wrapped_key);
}

TEST_F(SealedRecordTest, EverySingleByteAlterationIsRejected) {
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  for (std::size_t i = 0; i < rec->nonce.size(); ++i) {
    SealedRecord bad = *rec;
    bad.nonce[i] ^= 0x80;
    expect_rejected(bad, *key_, "nonce byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < rec->ciphertext.size(); ++i) {  // includes the 16 tag bytes
    SealedRecord bad = *rec;
    bad.ciphertext[i] ^= 0x01;
    expect_rejected(bad, *key_, "ciphertext/tag byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < rec->wrapped_key.size(); ++i) {
    SealedRecord bad = *rec;
    bad.wrapped_key[i] ^= 0x01;
    expect_rejected(bad, *key_, "wrapped key byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < rec->serial.size(); ++i) {
    SealedRecord bad = *rec;
    bad.serial[i] ^= 0x01;
    expect_rejected(bad, *key_, "serial byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < rec->key_id.size(); ++i) {
    SealedRecord bad = *rec;
    bad.key_id[i] ^= 0x01;
    expect_rejected(bad, *key_, "key id byte " + std::to_string(i));
  }
}

TEST_F(SealedRecordTest, SwappedSerialIsRejected) {
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  SealedRecord moved = *rec;
  moved.serial = other_serial_;
  auto r = open_record(moved, *key_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
}

TEST_F(SealedRecordTest, KeyIdPicksTheKeyAndUnknownIdsFail) {
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  PrivateKeyLookup lookup = [&](const KeyId& id) -> Result<EnvelopePrivateKey> {
    if (id == key_->public_key().key_id()) return *key_;
    return Status::error(ErrorCode::kNotFound, "unknown key id " + to_hex(id));
  };
  EXPECT_TRUE(open_record(*rec, lookup).ok());
  SealedRecord bad = *rec;
  bad.key_id[0] ^= 1;
  auto r = open_record(bad, lookup);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
}

TEST_F(SealedRecordTest, JsonRejectsMalformedForms) {
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  std::string good = sealed_record_to_json(*rec);
  auto json_with = [&](const std::string& field, const std::string& value) {
    std::string text = good;
    std::size_t at = text.find("\"" + field + "\"");
    std::size_t colon = text.find(':', at);
    std::size_t end = text.find_first_of(",\n}", colon + 2);
    if (text[colon + 2] == '"') end = text.find('"', colon + 3) + 1;
    return text.substr(0, colon + 2) + value + text.substr(end);
  };
  EXPECT_FALSE(sealed_record_from_json("").ok());
  EXPECT_FALSE(sealed_record_from_json("{").ok());
  EXPECT_FALSE(sealed_record_from_json("[]").ok());
  EXPECT_FALSE(sealed_record_from_json(good.substr(0, good.size() / 2)).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("version", "2")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("version", "\"1\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("serial", "\"abcd\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("key_id", "\"" + std::string(64, 'z') + "\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("nonce", "\"AAAA\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("nonce", "\"!!!!!!!!!!!!!!!!\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("wrapped_key", "\"AAAA\"")).ok());
  EXPECT_FALSE(sealed_record_from_json(json_with("ciphertext", "\"AAAA\"")).ok());  // shorter than tag
  EXPECT_FALSE(sealed_record_from_json(json_with("ciphertext", "17")).ok());
  std::string extra = good;
  extra.insert(1, "\"hospital\":\"St Mary\",");
  auto r = sealed_record_from_json(extra);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown field"), std::string::npos);
  EXPECT_EQ(sealed_record_from_json(std::string(kMaxSealedRecordFileBytes + 1, ' ')).status().code(),
            ErrorCode::kTooLarge);
}

TEST_F(SealedRecordTest, OversizedVisitIsRefused) {
  std::string big_fhir = R"({"resourceType":"Observation","note":")" + std::string(600 * 1024, 'x') + "\"}";
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "x", big_fhir).ok());
}

TEST_F(SealedRecordTest, FileRoundTrip) {
  test::TempDir dir;
  auto rec = seal_record(visit_, serial_, key_->public_key());
  ASSERT_TRUE(rec.ok());
  ASSERT_TRUE(write_sealed_record(dir / "r.json", *rec).ok());
  auto back = read_sealed_record(dir / "r.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *rec);
  EXPECT_EQ(read_sealed_record(dir / "missing.json").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hc::crypto
