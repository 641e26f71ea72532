// tests/vectors/envelope_v2_seal.json: envelope version 2 sealed by our C++ code
// (src/crypto/sealed_record_v2.h) with fixed ephemeral keys and nonces; P-256 point sums,
// scalar multiples and refused encodings computed by src/crypto/p256.h; trustee signatures
// (src/crypto/threshold/trustee_signature.h) made with a fixed nonce, and altered ones.
// tests/web/doctor_page_test.py checks the same file against the doctors' page (seal.js must
// give each record byte for byte; p256.js each sum, multiple and refusal; trustee_signature.js
// each verdict), so the page seals exactly as `hc record submit` does and checks the DKG's
// deals as hc's access_key_trust does.
//
// The file is this test's output: HC_WRITE_WEB_VECTORS=DIR writes what the code computes to
// DIR/envelope_v2_seal.json (how the file was made: DIR = tests/vectors); the test then requires the committed file to be exactly that,
// and independently opens every record with the access secret to get its visit back.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/check.h"
#include "crypto/p256.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/trustee_signature.h"
#include "crypto/visit.h"

namespace hc {
namespace {

using nlohmann::json;
using crypto::P256Point;
using crypto::P256Scalar;

template <std::size_t N>
std::array<std::uint8_t, N> fixed_bytes(std::string_view hex) {
  auto raw = from_hex(hex);
  HC_CHECK(raw.ok() && raw->size() == N);
  std::array<std::uint8_t, N> out{};
  std::copy(raw->begin(), raw->end(), out.begin());
  return out;
}

P256Scalar scalar(std::string_view hex) {
  auto s = P256Scalar::from_bytes(fixed_bytes<32>(hex));
  HC_CHECK(s.ok());
  return *s;
}

const char* const kAccessSecret = "5f2d8c0a7b1e93c46a0d2f8e1b7c5a3d9e6f0b2c4d8a1e7f3b5c9d0e2a4f6b8c";

struct SealCase {
  const char* note;
  const char* serial;
  const char* ephemeral_secret;
  const char* nonce;
  const char* time;
  std::string diagnosis;
  std::optional<std::string> fhir;
};

std::vector<SealCase> seal_cases() {
  return {
      {"a short visit, 1 KiB bucket", "9d4031a4f7470bcb5d6e8a7933340cb793dd7fede8b047b5dc6e74a6425afb8d",
       "2de8698e23af2341de08c4426c69a8dbdb5ba4c7552cfd6303f6c3b75af184b8", "13a0e251969957785a0a4289",
       "2026-11-29T08:15:00Z", "Tachycardia, beta blocker", std::nullopt},
      {"a visit with a FHIR resource and non-ASCII text", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "7a41c3e0b95d2f86104e7c3ab9d8e5f21c06b4a7d3e9f0825b1c6a4e8d7f3029", "000102030405060708090a0b",
       "2026-01-02T03:04:05+01:00", "Zoë: \"fièvre\"\nback\\slash",
       std::string(R"({"resourceType":"Observation","status":"final","valueQuantity":{"value":131.0,"unit":"/min"}})")},
      {"a long diagnosis, 2 KiB bucket", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
       "3c5e7a9b1d2f4e6a8c0b2d4f6e8a0c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a", "fedcba9876543210fedcba98",
       "2026-11-30T23:59:59Z", std::string(1500, 'x'), std::nullopt},
  };
}

json seal_vectors() {
  const P256Point access_key = P256Point::base_mul(scalar(kAccessSecret));
  json out = json::array();
  for (const SealCase& c : seal_cases()) {
    auto visit = crypto::make_visit(c.time, c.diagnosis, c.fhir);
    HC_CHECK(visit.ok());
    auto payload = crypto::encode_visit(*visit);
    HC_CHECK(payload.ok());
    const P256Scalar e = scalar(c.ephemeral_secret);
    auto record = crypto::seal_payload_v2_with(payload->span(), fixed_bytes<32>(c.serial), access_key, e,
                                               fixed_bytes<12>(c.nonce));
    HC_CHECK(record.ok());
    json v = {{"note", c.note},
              {"serial", c.serial},
              {"ephemeral_secret", c.ephemeral_secret},
              {"ephemeral_key", to_hex(P256Point::base_mul(e).encode())},
              {"nonce", c.nonce},
              {"time", c.time},
              {"diagnosis", c.diagnosis},
              {"padded_bytes", payload->size()},
              {"record", json::parse(crypto::sealed_record_v2_to_json(*record))}};
    if (c.fhir) v["fhir"] = *c.fhir;
    out.push_back(std::move(v));
  }
  return out;
}

// k*G for small k and a few fixed scalars; -P as (n-k)*G.
P256Point point(std::uint64_t k) { return P256Point::base_mul(P256Scalar::from_u64(k)); }
P256Point negated(std::uint64_t k) { return P256Point::base_mul(P256Scalar() - P256Scalar::from_u64(k)); }

json point_sum_vectors() {
  const P256Point a = P256Point::base_mul(scalar("c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c"));
  const P256Point b = P256Point::base_mul(scalar("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"));
  const std::vector<std::pair<const char*, std::vector<P256Point>>> cases = {
      {"one point", {point(1)}},
      {"a point added to itself (doubling)", {point(7), point(7)}},
      {"G + 2G + 3G", {point(1), point(2), point(3)}},
      {"four DKG-like commitments", {a, b, point(12345), point(987654321)}},
      {"P + (-P) is the point at infinity", {point(5), negated(5)}},
      {"a sum through infinity and back", {point(9), negated(9), a}},
  };
  json out = json::array();
  for (const auto& [note, points] : cases) {
    json hex_points = json::array();
    std::optional<P256Point> sum;
    for (const P256Point& p : points) {
      hex_points.push_back(to_hex(p.encode()));
      sum = sum ? *sum + p : p;
    }
    out.push_back({{"note", note}, {"points", hex_points}, {"sum", sum->is_infinity() ? json(nullptr) : json(to_hex(sum->encode()))}});
  }
  return out;
}

json bad_point_vectors() {
  const std::string g = to_hex(P256Point::generator().encode());
  const std::string p_hex = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";
  std::string y_plus_one = g;
  y_plus_one.back() = y_plus_one.back() == 'f' ? '0' : static_cast<char>(y_plus_one.back() + 1);
  return json::array({
      {{"note", "compressed prefix 02 on 65 bytes"}, {"point", "02" + g.substr(2)}},
      {{"note", "33-byte compressed form"}, {"point", "03" + g.substr(2, 64)}},
      {{"note", "x equal to the field prime"}, {"point", "04" + p_hex + g.substr(66)}},
      {{"note", "y + 1: off the curve"}, {"point", y_plus_one}},
      {{"note", "(0, 0)"}, {"point", "04" + std::string(128, '0')}},
      {{"note", "64 bytes"}, {"point", g.substr(0, 128)}},
  });
}

json scalar_mult_vectors() {
  const P256Point a = P256Point::base_mul(scalar("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"));
  const std::vector<std::pair<P256Point, P256Scalar>> cases = {
      {P256Point::generator(), P256Scalar::from_u64(1)},
      {P256Point::generator(), P256Scalar::from_u64(2)},
      {P256Point::generator(), P256Scalar() - P256Scalar::from_u64(1)},  // n - 1: -G
      {a, scalar("c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c")},
      {a, scalar("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550")},
  };
  json out = json::array();
  for (const auto& [p, k] : cases) {
    out.push_back({{"point", to_hex(p.encode())}, {"scalar", to_hex(k.bytes())}, {"product", to_hex(p.mul(k).encode())}});
  }
  return out;
}

// A trustee signature as sign_as_trustee makes it, with the nonce r given (so the file is
// reproducible): c = hash_to_scalar("HC-DLEQ-v1", LP(domain) || LP(message) || G || A || A ||
// R || R), z = r + c*x (docs/threshold.md). TrusteeSignaturesAsOurCodeVerifies checks that
// verify_trustee_signature agrees with every verdict, so this construction is ours.
std::string schnorr_signature(ByteSpan message, const P256Scalar& x, const P256Scalar& r) {
  const P256Point a = P256Point::base_mul(x);
  const P256Point big_r = P256Point::base_mul(r);
  Bytes transcript;
  append_length_prefixed(transcript, as_bytes(std::string_view("HC-TRUSTEE-SIGNING-v1")));
  append_length_prefixed(transcript, message);
  append_bytes(transcript, P256Point::generator().encode());
  append_bytes(transcript, a.encode());
  append_bytes(transcript, a.encode());
  append_bytes(transcript, big_r.encode());
  append_bytes(transcript, big_r.encode());
  const P256Scalar c = crypto::hash_to_p256_scalar("HC-DLEQ-v1", transcript);
  const P256Scalar z = r + c * x;
  return to_hex(c.bytes()) + to_hex(z.bytes());
}

json trustee_signature_vectors() {
  const P256Scalar x = scalar("3c5e7a9b1d2f4e6a8c0b2d4f6e8a0c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a");
  const P256Scalar other = scalar("7a41c3e0b95d2f86104e7c3ab9d8e5f21c06b4a7d3e9f0825b1c6a4e8d7f3029");
  const std::string key = to_hex(P256Point::base_mul(x).encode());
  const std::string message = to_hex(as_bytes(std::string_view("HCTX\x01\x06 a deal transaction before its signature")));
  auto flipped = [](std::string hex, std::size_t at) {
    hex[at] = hex[at] == '0' ? '1' : '0';
    return hex;
  };
  const std::string good = schnorr_signature(*from_hex(message), x, scalar("2de8698e23af2341de08c4426c69a8dbdb5ba4c7552cfd6303f6c3b75af184b8"));
  const std::string n_hex = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
  return json::array({
      {{"note", "a valid signature"}, {"key", key}, {"message", message}, {"signature", good}, {"valid", true}},
      {{"note", "another message"}, {"key", key}, {"message", flipped(message, 3)}, {"signature", good}, {"valid", false}},
      {{"note", "another trustee's key"}, {"key", to_hex(P256Point::base_mul(other).encode())}, {"message", message}, {"signature", good}, {"valid", false}},
      {{"note", "c altered"}, {"key", key}, {"message", message}, {"signature", flipped(good, 10)}, {"valid", false}},
      {{"note", "z altered"}, {"key", key}, {"message", message}, {"signature", flipped(good, 100)}, {"valid", false}},
      {{"note", "z = 0"}, {"key", key}, {"message", message}, {"signature", good.substr(0, 64) + std::string(64, '0')}, {"valid", false}},
      {{"note", "z = n (not canonical)"}, {"key", key}, {"message", message}, {"signature", good.substr(0, 64) + n_hex}, {"valid", false}},
  });
}

json compute_vectors() {
  const P256Point access_key = P256Point::base_mul(scalar(kAccessSecret));
  return {{"version", 1},
          {"about", "Envelope version 2 (docs/record-format.md) sealed by src/crypto/sealed_record_v2.h with fixed "
                    "ephemeral secrets and nonces; P-256 point sums, scalar multiples and refused point encodings "
                    "from src/crypto/p256.h; trustee signatures (docs/threshold.md) with a fixed nonce and altered "
                    "ones, 'valid' as verify_trustee_signature says; written by tests/web/envelope_v2_vectors_test.cpp "
                    "(HC_WRITE_WEB_VECTORS=DIR), checked by it and by the doctors' page in "
                    "tests/web/doctor_page_test.py. 'sum' null is the point at infinity."},
          {"access_secret", kAccessSecret},
          {"access_key", to_hex(access_key.encode())},
          {"key_id", to_hex(crypto::access_key_id(access_key))},
          {"seal", seal_vectors()},
          {"point_sums", point_sum_vectors()},
          {"scalar_mults", scalar_mult_vectors()},
          {"bad_points", bad_point_vectors()},
          {"trustee_signatures", trustee_signature_vectors()}};
}

json load_vectors() {
  std::ifstream in(std::string(HC_SOURCE_DIR) + "/tests/vectors/envelope_v2_seal.json");
  EXPECT_TRUE(in.good());
  return json::parse(in, nullptr, false);
}

TEST(WebEnvelopeV2Vectors, TheFileIsWhatOurCodeComputes) {
  const json computed = compute_vectors();
  if (const char* dir = std::getenv("HC_WRITE_WEB_VECTORS")) {
    std::ofstream(std::string(dir) + "/envelope_v2_seal.json") << computed.dump(1) << "\n";
  }
  const json file = load_vectors();
  ASSERT_FALSE(file.is_discarded());
  EXPECT_EQ(file, computed);
}

TEST(WebEnvelopeV2Vectors, EveryRecordOpensToItsVisit) {
  const json file = load_vectors();
  ASSERT_GE(file.at("seal").size(), 3u);
  for (const json& c : file.at("seal")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    auto record = crypto::sealed_record_v2_from_json(c.at("record").dump());
    ASSERT_TRUE(record.ok()) << record.status().message();
    EXPECT_EQ(to_hex(record->key_id), file.at("key_id").get<std::string>());
    EXPECT_EQ(to_hex(record->ephemeral_key), c.at("ephemeral_key").get<std::string>());
    EXPECT_EQ(record->ciphertext.size(), c.at("padded_bytes").get<std::size_t>() + 16);
    auto visit = crypto::open_record_v2(*record, scalar(file.at("access_secret").get<std::string>()));
    ASSERT_TRUE(visit.ok()) << visit.status().message();
    EXPECT_EQ(visit->time, c.at("time").get<std::string>());
    EXPECT_EQ(visit->diagnosis, c.at("diagnosis").get<std::string>());
    EXPECT_EQ(visit->fhir_json.has_value(), c.contains("fhir"));
  }
}

TEST(WebEnvelopeV2Vectors, BadPointsAreRefused) {
  const json file = load_vectors();
  ASSERT_GE(file.at("bad_points").size(), 5u);
  for (const json& c : file.at("bad_points")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    auto raw = from_hex(c.at("point").get<std::string>());
    ASSERT_TRUE(raw.ok());
    EXPECT_FALSE(P256Point::decode(*raw).ok());
  }
}

TEST(WebEnvelopeV2Vectors, TrusteeSignaturesAsOurCodeVerifies) {
  const json file = load_vectors();
  ASSERT_GE(file.at("trustee_signatures").size(), 5u);
  int valid = 0;
  for (const json& c : file.at("trustee_signatures")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    auto key = P256Point::decode(*from_hex(c.at("key").get<std::string>()));
    ASSERT_TRUE(key.ok());
    auto sig = from_hex(c.at("signature").get<std::string>());
    ASSERT_TRUE(sig.ok() && sig->size() == crypto::threshold::kTrusteeSignatureBytes);
    crypto::threshold::TrusteeSignature signature{};
    std::copy(sig->begin(), sig->end(), signature.begin());
    EXPECT_EQ(crypto::threshold::verify_trustee_signature(*from_hex(c.at("message").get<std::string>()), *key, signature),
              c.at("valid").get<bool>());
    valid += c.at("valid").get<bool>() ? 1 : 0;
  }
  EXPECT_EQ(valid, 1);
}

}  // namespace
}  // namespace hc
