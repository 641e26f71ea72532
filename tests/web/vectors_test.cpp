// The shared cases of tests/vectors/serial_and_visit.json against the C++ rules (src/crypto):
// the serial's normalization and limits, the visit time, the visit's canonical JSON, its
// padding and every refusal's message. tests/web/doctor_page_test.py checks the same file
// against the doctors' page's JavaScript, so the page and `hc` cannot disagree on a serial or
// on what is refused.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "crypto/serial_number.h"
#include "crypto/visit.h"
#include "crypto/visit_padding.h"

namespace hc {
namespace {

using nlohmann::json;

json load_web_vectors() {
  std::ifstream in(std::string(HC_SOURCE_DIR) + "/tests/vectors/serial_and_visit.json");
  EXPECT_TRUE(in.good());
  return json::parse(in);
}

std::string repeated_text(const json& c, const char* field, const char* repeat_field) {
  if (!c.contains(repeat_field)) return c.at(field).get<std::string>();
  std::string unit = c.at(repeat_field)[0].get<std::string>();
  std::string out;
  for (int i = 0; i < c.at(repeat_field)[1].get<int>(); ++i) out += unit;
  return out;
}

TEST(WebVectors, SerialsAndTheirRefusals) {
  const json v = load_web_vectors();
  auto key = from_hex(v.at("pseudonym_key").get<std::string>());
  ASSERT_TRUE(key.ok());
  ASSERT_GE(v.at("serials").size(), 10u);
  for (const json& c : v.at("serials")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    const std::string name = c.at("name"), id = c.at("id");
    auto serial = crypto::compute_serial(*key, name, id);
    if (c.contains("error")) {
      ASSERT_FALSE(serial.ok());
      EXPECT_EQ(serial.status().message(), c.at("error").get<std::string>());
      const bool name_refused = !crypto::normalize_name(name).ok();
      EXPECT_EQ(name_refused ? "name" : "id", c.at("field").get<std::string>());
      continue;
    }
    ASSERT_TRUE(serial.ok()) << serial.status().message();
    EXPECT_EQ(*crypto::normalize_name(name), c.at("normalized_name").get<std::string>());
    EXPECT_EQ(*crypto::normalize_id(id), c.at("normalized_id").get<std::string>());
    EXPECT_EQ(to_hex(*serial), c.at("serial").get<std::string>());
  }
}

TEST(WebVectors, VisitTimes) {
  const json v = load_web_vectors();
  for (const json& c : v.at("times")) {
    const std::string time = c.at("time");
    SCOPED_TRACE(time);
    Status s = crypto::validate_rfc3339(time);
    if (c.contains("error")) {
      EXPECT_EQ(s.message(), c.at("error").get<std::string>());
    } else {
      EXPECT_TRUE(s.ok()) << s.message();
    }
  }
}

// make_visit and encode_visit, as `hc record seal` calls them: the refusal's message, or the
// JSON inside the padding and the padded size.
TEST(WebVectors, VisitsTheirJsonPaddingAndRefusals) {
  const json v = load_web_vectors();
  ASSERT_GE(v.at("visits").size(), 20u);
  for (const json& c : v.at("visits")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    std::optional<std::string> fhir;
    if (c.contains("fhir")) {
      fhir = c.at("fhir").get<std::string>();
      if (c.contains("fhir_padded_to")) fhir->resize(c.at("fhir_padded_to").get<std::size_t>(), ' ');
    }
    auto visit = crypto::make_visit(c.at("time"), repeated_text(c, "diagnosis", "diagnosis_repeat"), fhir);
    Result<SecureBytes> padded = visit.ok() ? crypto::encode_visit(*visit) : Result<SecureBytes>(visit.status());
    if (c.contains("error")) {
      ASSERT_FALSE(padded.ok());
      EXPECT_EQ(padded.status().message(), c.at("error").get<std::string>());
      continue;
    }
    ASSERT_TRUE(padded.ok()) << padded.status().message();
    EXPECT_EQ(padded->size(), c.at("padded_bytes").get<std::size_t>());
    auto body = crypto::unpad_visit_payload(padded->span());
    ASSERT_TRUE(body.ok());
    const std::string text(reinterpret_cast<const char*>(body->data()), body->size());
    if (c.contains("json")) {
      EXPECT_EQ(text, c.at("json").get<std::string>());
    }
    if (c.contains("json_bytes")) {
      EXPECT_EQ(text.size(), c.at("json_bytes").get<std::size_t>());
    }
  }
}

}  // namespace
}  // namespace hc
