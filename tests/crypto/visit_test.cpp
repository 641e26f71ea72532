#include "crypto/visit.h"

#include <gtest/gtest.h>

namespace hc::crypto {
namespace {

TEST(VisitTest, Rfc3339) {
  for (const char* ok : {"2026-11-24T09:30:00Z", "2024-02-29T23:59:60Z", "2026-01-01T00:00:00.123+01:00",
                         "2026-01-01t00:00:00z", "2026-12-31T10:00:00-05:30"}) {
    EXPECT_TRUE(validate_rfc3339(ok).ok()) << ok;
  }
  for (const char* bad : {"2026-11-24", "2026-11-24 09:30:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                          "2026-11-24T24:00:00Z", "2026-11-24T09:30:00", "2026-11-24T09:30:00.Z",
                          "2026-11-24T09:30:00+0100", "2026-11-24T09:30:00Zjunk", ""}) {
    EXPECT_FALSE(validate_rfc3339(bad).ok()) << bad;
  }
}

TEST(VisitTest, EncodeDecodeRoundTrip) {
  auto v = make_visit("2026-11-24T09:30:00Z", "Influenza A, oseltamivir 75 mg",
                      std::string(R"({"resourceType": "Observation", "status": "final"})"));
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(*v->fhir_json, R"({"resourceType":"Observation","status":"final"})");
  auto bytes = encode_visit(*v);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->view(),
            R"({"diagnosis":"Influenza A, oseltamivir 75 mg","fhir":{"resourceType":"Observation","status":"final"},)"
            R"("time":"2026-11-24T09:30:00Z","version":1})");
  auto back = decode_visit(bytes->span());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, *v);
}

TEST(VisitTest, RejectsBadFields) {
  EXPECT_FALSE(make_visit("yesterday", "x", std::nullopt).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "", std::nullopt).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", std::string(64 * 1024 + 1, 'x'), std::nullopt).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "bad\xff", std::nullopt).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "x", std::string("{not json")).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "x", std::string("[1,2]")).ok());
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "x", std::string(R"({"status":"final"})")).ok());
  auto patient = make_visit("2026-11-24T09:30:00Z", "x", std::string(R"({"resourceType":"Patient"})"));
  ASSERT_FALSE(patient.ok());
  EXPECT_NE(patient.status().message().find("identifies"), std::string::npos);
  EXPECT_FALSE(make_visit("2026-11-24T09:30:00Z", "x", std::string(R"({"resourceType":"Organization"})")).ok());
}

TEST(VisitTest, DecodeRejectsMalformedPayloads) {
  EXPECT_FALSE(decode_visit(as_bytes("")).ok());
  EXPECT_FALSE(decode_visit(as_bytes("[]")).ok());
  EXPECT_FALSE(decode_visit(as_bytes(R"({"version":2,"time":"2026-11-24T09:30:00Z","diagnosis":"x"})")).ok());
  EXPECT_FALSE(decode_visit(as_bytes(R"({"version":1,"time":"2026-11-24T09:30:00Z"})")).ok());
  EXPECT_FALSE(
      decode_visit(as_bytes(R"({"version":1,"time":"2026-11-24T09:30:00Z","diagnosis":"x","name":"Ada"})")).ok());
}

}  // namespace
}  // namespace hc::crypto
