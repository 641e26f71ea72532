// Issue 14, item 4: a sealed record's ciphertext length must tell only its padding bucket
// (docs/record-format.md, "Padding"), in both envelope versions: diagnoses of different
// lengths inside one bucket give equal ciphertext sizes, one byte over a bucket goes to the
// next. Before the padding, the ciphertext was the JSON's length plus 16.
#include <gtest/gtest.h>

#include "crypto/p256.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"
#include "support/envelope_key.h"

namespace hc::crypto {
namespace {

Visit record_size_test_visit(std::size_t diagnosis_bytes) {
  return *make_visit("2026-11-24T09:30:00Z", std::string(diagnosis_bytes, 'd'), std::nullopt);
}

SerialNumber record_size_test_serial() {
  SerialNumber serial{};
  serial.fill(7);
  return serial;
}

// The JSON of a visit with an empty diagnosis, and the 5-byte padding header (marker, length).
constexpr std::size_t kRecordSizeTestOverhead =
    std::string_view(R"({"diagnosis":"","time":"2026-11-24T09:30:00Z","version":2})").size() + 5;

TEST(RecordSizePadding, EnvelopeVersion1CiphertextsShareTheBucketSize) {
  const EnvelopePrivateKey& key = test::shared_envelope_key();
  auto short_one = seal_record(record_size_test_visit(3), record_size_test_serial(), key.public_key());
  auto long_one = seal_record(record_size_test_visit(800), record_size_test_serial(), key.public_key());
  auto full = seal_record(record_size_test_visit(1024 - kRecordSizeTestOverhead), record_size_test_serial(),
                          key.public_key());
  auto next = seal_record(record_size_test_visit(1024 - kRecordSizeTestOverhead + 1), record_size_test_serial(),
                          key.public_key());
  ASSERT_TRUE(short_one.ok() && long_one.ok() && full.ok() && next.ok());
  EXPECT_EQ(short_one->ciphertext.size(), 1024u + kGcmTagBytes);
  EXPECT_EQ(long_one->ciphertext.size(), short_one->ciphertext.size());
  EXPECT_EQ(full->ciphertext.size(), short_one->ciphertext.size());
  EXPECT_EQ(next->ciphertext.size(), 2048u + kGcmTagBytes);
  auto opened = open_record(*long_one, key);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->diagnosis, std::string(800, 'd'));
}

TEST(RecordSizePadding, EnvelopeVersion2CiphertextsShareTheBucketSize) {
  const P256Scalar secret = P256Scalar::random_nonzero();
  const P256Point access = P256Point::base_mul(secret);
  auto short_one = seal_record_v2(record_size_test_visit(3), record_size_test_serial(), access);
  auto long_one = seal_record_v2(record_size_test_visit(800), record_size_test_serial(), access);
  auto next = seal_record_v2(record_size_test_visit(1024 - kRecordSizeTestOverhead + 1), record_size_test_serial(),
                             access);
  ASSERT_TRUE(short_one.ok() && long_one.ok() && next.ok());
  EXPECT_EQ(short_one->ciphertext.size(), 1024u + kGcmTagBytes);
  EXPECT_EQ(long_one->ciphertext.size(), short_one->ciphertext.size());
  EXPECT_EQ(next->ciphertext.size(), 2048u + kGcmTagBytes);
  auto opened = open_record_v2(*long_one, secret);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->diagnosis, std::string(800, 'd'));
}

// A FHIR resource (its presence was visible before) lands in the same bucket as a bare visit.
TEST(RecordSizePadding, AFhirResourceDoesNotShowInTheSize) {
  const EnvelopePrivateKey& key = test::shared_envelope_key();
  auto with_fhir = make_visit("2026-11-24T09:30:00Z", "x",
                              std::string(R"({"resourceType":"Observation","status":"final"})"));
  ASSERT_TRUE(with_fhir.ok());
  auto a = seal_record(*with_fhir, record_size_test_serial(), key.public_key());
  auto b = seal_record(record_size_test_visit(1), record_size_test_serial(), key.public_key());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ciphertext.size(), b->ciphertext.size());
}

}  // namespace
}  // namespace hc::crypto
