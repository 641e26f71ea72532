// Envelope version 2: round trips, a tamper test for every byte of a sealed record, and the
// JSON decoder's bad inputs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/sealed_record_v2.h"

namespace hc::crypto {
namespace {

struct Fixture {
  P256Scalar access_secret = P256Scalar::random_nonzero();
  P256Point access = P256Point::base_mul(access_secret);
  SerialNumber serial{};
  Visit visit = make_visit("2026-11-29T09:30:00Z", "angina", std::nullopt).value();
  SealedRecordV2 record;
  Fixture() {
    serial.fill(0x5a);
    record = seal_record_v2(visit, serial, access).value();
  }
};

TEST(EnvelopeV2, SealThenOpenWithTheSecretAndWithTheSharedPoint) {
  Fixture f;
  auto opened = open_record_v2(f.record, f.access_secret);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, f.visit);
  P256Point shared = P256Point::decode(f.record.ephemeral_key)->mul(f.access_secret);
  auto by_shared = open_record_v2_with_shared_point(f.record, shared);
  ASSERT_TRUE(by_shared.ok());
  EXPECT_EQ(*by_shared, f.visit);
}

TEST(EnvelopeV2, TwoSealsOfOneVisitDiffer) {
  Fixture f;
  auto again = seal_record_v2(f.visit, f.serial, f.access).value();
  EXPECT_NE(again.ephemeral_key, f.record.ephemeral_key);
  EXPECT_NE(again.ciphertext, f.record.ciphertext);
}

TEST(EnvelopeV2, WrongKeyIsNotFoundAndWrongSharedPointFailsAuthentication) {
  Fixture f;
  P256Scalar other = P256Scalar::random_nonzero();
  EXPECT_EQ(open_record_v2(f.record, other).status().code(), ErrorCode::kNotFound);
  P256Point wrong_shared = P256Point::decode(f.record.ephemeral_key)->mul(other);
  EXPECT_EQ(open_record_v2_with_shared_point(f.record, wrong_shared).status().code(),
            ErrorCode::kAuthFailed);
}

// Every byte of every field, one bit at a time: nothing opens.
TEST(EnvelopeV2, TamperingWithAnyByteIsDetected) {
  Fixture f;
  P256Point shared = P256Point::decode(f.record.ephemeral_key)->mul(f.access_secret);
  auto expect_refused = [&](const SealedRecordV2& altered, const std::string& where) {
    EXPECT_FALSE(open_payload_v2_with_shared_point(altered, shared).ok()) << where;
    EXPECT_FALSE(open_payload_v2(altered, f.access_secret).ok()) << where;
  };
  for (std::size_t i = 0; i < f.record.serial.size(); ++i) {
    for (std::uint8_t bit : {0x01, 0x80}) {
      SealedRecordV2 r = f.record;
      r.serial[i] ^= bit;
      expect_refused(r, "serial byte " + std::to_string(i));
    }
  }
  for (std::size_t i = 0; i < f.record.key_id.size(); ++i) {
    SealedRecordV2 r = f.record;
    r.key_id[i] ^= 0x01;
    expect_refused(r, "key_id byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < f.record.ephemeral_key.size(); ++i) {
    SealedRecordV2 r = f.record;
    r.ephemeral_key[i] ^= 0x01;
    expect_refused(r, "ephemeral byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < f.record.nonce.size(); ++i) {
    SealedRecordV2 r = f.record;
    r.nonce[i] ^= 0x01;
    expect_refused(r, "nonce byte " + std::to_string(i));
  }
  for (std::size_t i = 0; i < f.record.ciphertext.size(); ++i) {
    SealedRecordV2 r = f.record;
    r.ciphertext[i] ^= 0x01;
    expect_refused(r, "ciphertext byte " + std::to_string(i));
  }
  SealedRecordV2 truncated = f.record;
  truncated.ciphertext.pop_back();
  expect_refused(truncated, "truncated ciphertext");
  SealedRecordV2 v1 = f.record;
  v1.version = 1;
  EXPECT_EQ(open_payload_v2(v1, f.access_secret).status().code(), ErrorCode::kInvalidInput);
}

// The same ephemeral key moved to another record (another serial) does not open it.
TEST(EnvelopeV2, EphemeralKeyCannotBeSplicedIntoAnotherRecord) {
  Fixture f;
  SerialNumber other_serial{};
  other_serial.fill(0x11);
  auto other = seal_record_v2(f.visit, other_serial, f.access).value();
  SealedRecordV2 spliced = other;
  spliced.ephemeral_key = f.record.ephemeral_key;
  EXPECT_FALSE(open_payload_v2(spliced, f.access_secret).ok());
}

TEST(EnvelopeV2Json, RoundTrip) {
  Fixture f;
  auto back = sealed_record_v2_from_json(sealed_record_v2_to_json(f.record));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, f.record);
}

TEST(EnvelopeV2Json, BadInputsAreRefusedWithAReason) {
  Fixture f;
  const std::string good = sealed_record_v2_to_json(f.record);
  auto with = [&](const std::string& field, const nlohmann::json& value) {
    auto doc = nlohmann::json::parse(good);
    if (value.is_null()) {
      doc.erase(field);
    } else {
      doc[field] = value;
    }
    return sealed_record_v2_from_json(doc.dump());
  };
  EXPECT_FALSE(sealed_record_v2_from_json("").ok());
  EXPECT_FALSE(sealed_record_v2_from_json("[]").ok());
  EXPECT_FALSE(sealed_record_v2_from_json(std::string(kMaxSealedRecordFileBytes + 1, ' ')).ok());
  EXPECT_FALSE(with("version", 1).ok());
  EXPECT_FALSE(with("version", "2").ok());
  EXPECT_FALSE(with("extra", "x").ok());
  for (const char* field : {"version", "serial", "key_id", "ephemeral_key", "nonce", "ciphertext"}) {
    EXPECT_FALSE(with(field, nullptr).ok()) << field;
    EXPECT_FALSE(with(field, 7.5).ok()) << field;
  }
  EXPECT_FALSE(with("serial", "00").ok());
  EXPECT_FALSE(with("key_id", std::string(64, 'g')).ok());
  Bytes not_on_curve(65, 0x01);
  not_on_curve[0] = 0x04;
  auto r = with("ephemeral_key", to_base64(not_on_curve));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not on the curve"), std::string::npos);
  Bytes compressed(f.record.ephemeral_key.begin(), f.record.ephemeral_key.begin() + 33);
  compressed[0] = 0x02;
  EXPECT_FALSE(with("ephemeral_key", to_base64(compressed)).ok());
  EXPECT_FALSE(with("nonce", to_base64(Bytes(11, 0))).ok());
  EXPECT_FALSE(with("ciphertext", to_base64(Bytes(15, 0))).ok());
  EXPECT_EQ(with("ciphertext", to_base64(Bytes(kMaxRecordCiphertextBytes + 1, 0))).status().code(),
            ErrorCode::kTooLarge);
  EXPECT_FALSE(with("ciphertext", "not base64!").ok());
}

TEST(EnvelopeV2, OversizedPayloadIsRefused) {
  Fixture f;
  Bytes payload(kMaxVisitPayloadBytes + 1, 'a');
  GcmNonce nonce{};
  auto r = seal_payload_v2_with(payload, f.serial, f.access, P256Scalar::from_u64(7), nonce);
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
  EXPECT_FALSE(seal_payload_v2_with(Bytes{}, f.serial, f.access, P256Scalar(), nonce).ok());
}

}  // namespace
}  // namespace hc::crypto
