// Envelope version 2 against known answers computed independently with Python's
// `cryptography` package (scripts/envelope_v2_kat.py; vectors/envelope_v2.json): padded
// payloads (one just filling the 1 KiB bucket, one a byte over) and one legacy unpadded one.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/file_io.h"
#include "crypto/hkdf.h"
#include "crypto/p256_kem.h"
#include "crypto/sealed_record_v2.h"

namespace hc::crypto {
namespace {

using nlohmann::json;

json load_vectors() {
  auto text = read_text_file(std::string(HC_SOURCE_DIR) + "/tests/crypto/threshold/vectors/envelope_v2.json",
                             1 << 20);
  EXPECT_TRUE(text.ok()) << text.status().to_string();
  json doc = json::parse(text.value());
  EXPECT_GE(doc["vectors"].size(), 3u);
  return doc["vectors"];
}

Bytes hex(const json& v, const char* field) {
  auto bytes = from_hex(v[field].get<std::string>());
  EXPECT_TRUE(bytes.ok()) << field;
  return bytes.value();
}

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(const json& v, const char* field) {
  Bytes b = hex(v, field);
  EXPECT_EQ(b.size(), N) << field;
  std::array<std::uint8_t, N> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

P256Scalar scalar(const json& v, const char* field) { return P256Scalar::from_bytes(hex(v, field)).value(); }

TEST(EnvelopeV2Kat, KeyIdAndSpkiMatchThePythonEncoding) {
  for (const json& v : load_vectors()) {
    P256Point access = P256Point::base_mul(scalar(v, "access_secret"));
    const P256PointBytes encoded = access.encode();
    EXPECT_EQ(Bytes(encoded.begin(), encoded.end()), hex(v, "access_public"));
    EXPECT_EQ(access_key_spki_der(access), hex(v, "access_spki_der"));
    EXPECT_EQ(to_hex(access_key_id(access)), v["key_id"].get<std::string>());
  }
}

TEST(EnvelopeV2Kat, KdfInputsAndOutputMatch) {
  for (const json& v : load_vectors()) {
    P256Point access = P256Point::base_mul(scalar(v, "access_secret"));
    auto serial = hex_array<32>(v, "serial");
    KeyId key_id = access_key_id(access);
    auto eph = hex_array<65>(v, "ephemeral_public");
    EXPECT_EQ(kem_info(record_v2_kem_context(serial, key_id), eph), hex(v, "kem_info"));
    EXPECT_EQ(record_v2_aad(serial, key_id, eph), hex(v, "aad"));
    P256Point shared = P256Point::base_mul(scalar(v, "ephemeral_secret")).mul(scalar(v, "access_secret"));
    auto x = shared.x_coordinate();
    EXPECT_EQ(Bytes(x.begin(), x.end()), hex(v, "shared_x"));
    auto key = kem_key_from_shared_point(shared, record_v2_kem_context(serial, key_id), eph);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(Bytes(key->span().begin(), key->span().end()), hex(v, "aes_key"));
  }
}

TEST(EnvelopeV2Kat, SealingWithTheVectorsRandomnessGivesTheExpectedBytes) {
  for (const json& v : load_vectors()) {
    P256Point access = P256Point::base_mul(scalar(v, "access_secret"));
    auto sealed = seal_payload_v2_with(hex(v, "payload"), hex_array<32>(v, "serial"), access,
                                       scalar(v, "ephemeral_secret"), hex_array<12>(v, "nonce"));
    ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
    EXPECT_EQ(sealed->ephemeral_key, (hex_array<65>(v, "ephemeral_public")));
    EXPECT_EQ(to_hex(sealed->key_id), v["key_id"].get<std::string>());
    EXPECT_EQ(sealed->ciphertext, hex(v, "ciphertext")) << v["name"];
  }
}

TEST(EnvelopeV2Kat, OpeningThePythonCiphertextGivesThePayloadAndVisit) {
  for (const json& v : load_vectors()) {
    SealedRecordV2 record;
    record.serial = hex_array<32>(v, "serial");
    record.key_id = hex_array<32>(v, "key_id");
    record.ephemeral_key = hex_array<65>(v, "ephemeral_public");
    record.nonce = hex_array<12>(v, "nonce");
    record.ciphertext = hex(v, "ciphertext");
    auto payload = open_payload_v2(record, scalar(v, "access_secret"));
    ASSERT_TRUE(payload.ok()) << payload.status().to_string();
    EXPECT_EQ(Bytes(payload->span().begin(), payload->span().end()), hex(v, "payload"));
    auto visit = open_record_v2(record, scalar(v, "access_secret"));
    ASSERT_TRUE(visit.ok()) << visit.status().to_string();
    EXPECT_EQ(visit->time, "2026-11-29T09:30:00Z");
    EXPECT_EQ(visit->diagnosis, v["diagnosis"].get<std::string>());
  }
}

// The padding (docs/record-format.md, "Padding") as Python computed it from the document: our
// encoding of the same visit is the vector's payload byte for byte, bucket included. The
// legacy vector (an unpadded version 1 payload) is only read, above.
TEST(EnvelopeV2Kat, EncodingTheVisitGivesThePythonPaddedPayload) {
  std::size_t padded_vectors = 0;
  for (const json& v : load_vectors()) {
    if (v["legacy"].get<bool>()) continue;
    ++padded_vectors;
    auto visit = make_visit("2026-11-29T09:30:00Z", v["diagnosis"].get<std::string>(), std::nullopt);
    ASSERT_TRUE(visit.ok()) << visit.status().to_string();
    auto payload = encode_visit(*visit);
    ASSERT_TRUE(payload.ok()) << payload.status().to_string();
    EXPECT_EQ(Bytes(payload->span().begin(), payload->span().end()), hex(v, "payload")) << v["name"];
  }
  EXPECT_GE(padded_vectors, 5u);
}

// RFC 5869 test case 1, so the HKDF adapter is checked on its own as well.
TEST(Hkdf, Rfc5869TestCase1) {
  Bytes ikm(22, 0x0b);
  Bytes salt = from_hex("000102030405060708090a0b0c").value();
  Bytes info = from_hex("f0f1f2f3f4f5f6f7f8f9").value();
  auto okm = hkdf_sha256(salt, ikm, info, 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(to_hex(okm->span()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

}  // namespace
}  // namespace hc::crypto
