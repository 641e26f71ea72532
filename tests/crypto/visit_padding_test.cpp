// Size padding of the visit payload (issue 14, item 4; docs/record-format.md, "Padding"):
// diagnoses of one bucket encode to one size, one byte over a bucket goes to the next, a
// wrong padding is refused (also inside a validly encrypted payload, in both envelope
// versions: as malformed, never a crash), and unpadded version 1 payloads (records sealed
// before the padding) still read. The envelopes' sizes: record_size_padding_test.cpp.
#include "crypto/visit_padding.h"

#include <gtest/gtest.h>

#include "crypto/p256.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"
#include "support/envelope_key.h"

namespace hc::crypto {
namespace {

constexpr const char* kPaddingTestTime = "2026-11-24T09:30:00Z";

Visit padding_test_visit(std::size_t diagnosis_bytes, char fill = 'd') {
  return *make_visit(kPaddingTestTime, std::string(diagnosis_bytes, fill), std::nullopt);
}

// The JSON bytes of a visit with an empty diagnosis: a diagnosis of n ASCII letters adds n.
std::size_t padding_test_json_overhead() {
  return std::string(R"({"diagnosis":"","time":"2026-11-24T09:30:00Z","version":2})").size();
}

SerialNumber padding_test_serial() {
  SerialNumber serial{};
  serial.fill(7);
  return serial;
}

TEST(VisitPadding, BucketsAreTheDocumentedOnes) {
  EXPECT_EQ(kVisitPaddingBuckets.front(), 1024u);
  for (std::size_t i = 1; i + 1 < kVisitPaddingBuckets.size(); ++i) {
    EXPECT_EQ(kVisitPaddingBuckets[i], 2 * kVisitPaddingBuckets[i - 1]);
  }
  EXPECT_EQ(kVisitPaddingBuckets.back(), kMaxVisitPayloadBytes);
  EXPECT_EQ(visit_padding_bucket(0), 1024u);
  EXPECT_EQ(visit_padding_bucket(1019), 1024u);
  EXPECT_EQ(visit_padding_bucket(1020), 2048u);
  EXPECT_EQ(visit_padding_bucket(kMaxVisitPayloadBytes - 5), kMaxVisitPayloadBytes);
  EXPECT_FALSE(visit_padding_bucket(kMaxVisitPayloadBytes - 4).has_value());
  EXPECT_TRUE(is_padded_record_ciphertext_size(1040));
  EXPECT_TRUE(is_padded_record_ciphertext_size(kMaxVisitPayloadBytes + 16));
  EXPECT_FALSE(is_padded_record_ciphertext_size(1024));
  EXPECT_FALSE(is_padded_record_ciphertext_size(1041));
  EXPECT_FALSE(is_padded_record_ciphertext_size(0));
}

TEST(VisitPadding, DiagnosesOfOneBucketEncodeToOneSize) {
  for (std::size_t n : {1, 10, 300, 900}) {
    auto payload = encode_visit(padding_test_visit(n));
    ASSERT_TRUE(payload.ok()) << payload.status().to_string();
    EXPECT_EQ(payload->size(), 1024u) << n;
    auto back = decode_visit(payload->span());
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(back->diagnosis.size(), n);
  }
  // With a FHIR resource, still one of the buckets.
  auto with_fhir = make_visit(kPaddingTestTime, "x", std::string(R"({"resourceType":"Observation","status":"final"})"));
  ASSERT_TRUE(with_fhir.ok());
  EXPECT_EQ(encode_visit(*with_fhir)->size(), 1024u);
}

TEST(VisitPadding, OneByteOverABucketGoesToTheNext) {
  const std::size_t fills_1k = 1024 - kPaddedVisitHeaderBytes - padding_test_json_overhead();
  EXPECT_EQ(encode_visit(padding_test_visit(fills_1k))->size(), 1024u);
  EXPECT_EQ(encode_visit(padding_test_visit(fills_1k + 1))->size(), 2048u);
  const std::size_t fills_64k = 64 * 1024 - kPaddedVisitHeaderBytes - padding_test_json_overhead();
  EXPECT_EQ(encode_visit(padding_test_visit(fills_64k))->size(), 64u * 1024);
  // The largest diagnosis (64 KiB) goes to the 128 KiB bucket.
  EXPECT_EQ(encode_visit(padding_test_visit(kMaxDiagnosisBytes))->size(), 128u * 1024);
}

// What a padded payload must be: anything else is refused with a reason.
TEST(VisitPadding, WrongPaddingIsRefused) {
  auto good = encode_visit(padding_test_visit(20));
  ASSERT_TRUE(good.ok());
  const Bytes valid(good->span().begin(), good->span().end());
  ASSERT_TRUE(decode_visit(valid).ok());
  auto refused = [](const Bytes& payload, const std::string& why) {
    auto r = decode_visit(payload);
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << why;
  };
  Bytes nonzero = valid;
  nonzero.back() = 0x80;
  refused(nonzero, "a non-zero padding byte");
  Bytes longer_length = valid;
  longer_length[4] = static_cast<std::uint8_t>(longer_length[4] + 1);
  refused(longer_length, "a length one byte past the JSON");
  Bytes beyond = valid;
  beyond[1] = 0xff;
  refused(beyond, "a length beyond the end");
  Bytes cut = valid;
  cut.pop_back();
  refused(cut, "a size that is not a bucket");
  Bytes too_big = valid;
  too_big.resize(2048, 0);
  refused(too_big, "a bucket larger than the smallest that holds it");
  refused(Bytes{kPaddedVisitMarker}, "the marker alone");
  // Version 1 JSON inside the padding, version 2 JSON without it: neither is a valid form.
  std::string v1_json = R"({"diagnosis":"x","time":"2026-11-24T09:30:00Z","version":1})";
  auto padded_v1 = pad_visit_json(as_bytes(v1_json));
  ASSERT_TRUE(padded_v1.ok());
  refused(Bytes(padded_v1->span().begin(), padded_v1->span().end()), "version 1 inside the padding");
  std::string v2_json = R"({"diagnosis":"x","time":"2026-11-24T09:30:00Z","version":2})";
  refused(Bytes(v2_json.begin(), v2_json.end()), "version 2 without the padding");
}

TEST(VisitPadding, LegacyUnpaddedPayloadsStillRead) {
  std::string legacy = R"({"diagnosis":"Influenza A","time":"2026-11-24T09:30:00Z","version":1})";
  auto visit = decode_visit(as_bytes(legacy));
  ASSERT_TRUE(visit.ok()) << visit.status().to_string();
  EXPECT_EQ(visit->diagnosis, "Influenza A");
}

// A sealer that pads wrongly: the payload decrypts (the tag is good) and is refused as
// malformed, in both envelope versions.
TEST(VisitPadding, BadPaddingInsideAValidCiphertextIsRefused) {
  auto good = encode_visit(padding_test_visit(20));
  ASSERT_TRUE(good.ok());
  Bytes bad(good->span().begin(), good->span().end());
  bad.back() = 0x01;

  const EnvelopePrivateKey& key = test::shared_envelope_key();
  SealedRecord v1;
  v1.serial = padding_test_serial();
  v1.key_id = key.public_key().key_id();
  Bytes aes_key(kAesKeyBytes, 0x42);
  v1.nonce.fill(3);
  v1.wrapped_key = *key.public_key().wrap(aes_key);
  v1.ciphertext = *aes256gcm_seal(aes_key, v1.nonce, record_aad(v1.version, v1.serial, v1.key_id), bad);
  auto opened_v1 = open_record(v1, key);
  ASSERT_FALSE(opened_v1.ok());
  EXPECT_EQ(opened_v1.status().code(), ErrorCode::kCorrupt) << opened_v1.status().to_string();
  EXPECT_NE(opened_v1.status().message().find("padding"), std::string::npos) << opened_v1.status().to_string();

  const P256Scalar secret = P256Scalar::random_nonzero();
  GcmNonce nonce{};
  nonce.fill(5);
  auto v2 = seal_payload_v2_with(bad, padding_test_serial(), P256Point::base_mul(secret), P256Scalar::random_nonzero(),
                                 nonce);
  ASSERT_TRUE(v2.ok()) << v2.status().to_string();
  auto opened_v2 = open_record_v2(*v2, secret);
  ASSERT_FALSE(opened_v2.ok());
  EXPECT_EQ(opened_v2.status().code(), ErrorCode::kCorrupt) << opened_v2.status().to_string();
}

}  // namespace
}  // namespace hc::crypto
