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
  // Visit payload version 2: 0x02, the JSON's length (u32 BE), the JSON, zeros up to 1 KiB.
  const std::string json_text =
      R"({"diagnosis":"Influenza A, oseltamivir 75 mg","fhir":{"resourceType":"Observation","status":"final"},)"
      R"("time":"2026-11-24T09:30:00Z","version":2})";
  std::string expected("\x02\0\0\0", 4);
  expected += static_cast<char>(json_text.size());
  expected += json_text;
  expected.resize(1024, '\0');
  EXPECT_EQ(bytes->view(), expected);
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

// Issue 11, item 9: identity is refused wherever it occurs in the resource tree, not only at
// the top level (docs/record-format.md, "FHIR identity rule").
TEST(VisitTest, RefusesIdentityAnywhereInTheResource) {
  const char* kRefused[] = {
      // Identifying resources inside a Bundle or `contained`.
      R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"}}]})",
      R"({"resourceType":"Observation","contained":[{"resourceType":"Practitioner","id":"p1"}]})",
      R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"RelatedPerson"}}]}}]})",
      // A person named in a reference's display, or referenced by type.
      R"({"resourceType":"Observation","subject":{"display":"Ada Lovelace"}})",
      R"({"resourceType":"AllergyIntolerance","patient":{"display":"Ada Lovelace"}})",
      R"({"resourceType":"Observation","subject":{"reference":"Patient/ada-1815"}})",
      R"({"resourceType":"Observation","performer":[{"reference":"https://ehr.example/fhir/Practitioner/7"}]})",
      R"({"resourceType":"Observation","subject":{"reference":"#x","display":"Ada","code":"x"}})",
      // Identity elements at any depth.
      R"({"resourceType":"Observation","identifier":[{"value":"ab-1815"}]})",
      R"({"resourceType":"Observation","subject":{"identifier":{"system":"urn:ssn","value":"123-45-6789"}}})",
      R"({"resourceType":"Encounter","participant":[{"individual":{"name":[{"family":"Lovelace"}]}}]})",
      R"({"resourceType":"Observation","extension":[{"valueHumanName":{"family":"Lovelace"}}]})",
      R"({"resourceType":"Observation","note":[{"author":{"telecom":[{"value":"+44 20 7946 0000"}]}}]})",
      R"({"resourceType":"Observation","x":{"address":[{"city":"London"}]}})",
      R"({"resourceType":"Observation","x":[[{"birthDate":"1815-12-10"}]]})",
  };
  for (const char* fhir : kRefused) {
    auto v = make_visit("2026-11-24T09:30:00Z", "x", std::string(fhir));
    ASSERT_FALSE(v.ok()) << fhir;
    EXPECT_NE(v.status().message().find("identifies"), std::string::npos) << v.status().message();
  }
  // Codings keep their display; a reference to a non-identifying resource stays allowed.
  const char* kAllowed[] = {
      R"({"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct","code":"442438000","display":"Influenza A"}],"text":"Influenza A"}})",
      R"({"resourceType":"Observation","hasMember":[{"reference":"Observation/temp-1"}],"status":"final"})",
      R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","status":"final"}}]})",
  };
  for (const char* fhir : kAllowed) {
    auto v = make_visit("2026-11-24T09:30:00Z", "x", std::string(fhir));
    EXPECT_TRUE(v.ok()) << fhir << ": " << v.status().to_string();
  }
}

// Issue 11, item 6: nesting beyond 64 levels is refused in a FHIR document and in a payload.
TEST(VisitTest, RefusesDeepNesting) {
  auto nested = [](std::size_t depth) {
    return R"({"resourceType":"Observation","x":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  EXPECT_TRUE(make_visit("2026-11-24T09:30:00Z", "x", nested(64)).ok());
  auto deep = make_visit("2026-11-24T09:30:00Z", "x", nested(65));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nests deeper than 64"), std::string::npos);
  // Brackets inside strings do not count.
  EXPECT_TRUE(make_visit("2026-11-24T09:30:00Z", "x",
                         R"({"resourceType":"Observation","x":")" + std::string(200, '[') + R"(\""})")
                  .ok());
  std::string payload = R"({"version":1,"time":"2026-11-24T09:30:00Z","diagnosis":"x","fhir":)" + nested(100) + "}";
  auto decoded = decode_visit(as_bytes(payload));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("nests deeper"), std::string::npos);
}

// Issue 11, item 8: the limits the documentation gives.
TEST(VisitTest, LimitsAgreeWithTheLedger) {
  EXPECT_EQ(kMaxDiagnosisBytes, 64u * 1024);
  EXPECT_TRUE(make_visit("2026-11-24T09:30:00Z", std::string(kMaxDiagnosisBytes, 'x'), std::nullopt).ok());
  auto over = make_visit("2026-11-24T09:30:00Z", std::string(kMaxDiagnosisBytes + 1, 'x'), std::nullopt);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("longer than 65536 bytes"), std::string::npos);
}

}  // namespace
}  // namespace hc::crypto
