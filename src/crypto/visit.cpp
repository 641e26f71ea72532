#include "crypto/visit.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>

#include "common/utf8.h"

namespace hc::crypto {

namespace {

using nlohmann::json;

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& value) {
  if (pos + n > s.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

Status check_fhir_resource(const json& resource) {
  if (!resource.is_object()) return invalid_input("FHIR document must be a JSON object");
  auto it = resource.find("resourceType");
  if (it == resource.end() || !it->is_string()) {
    return invalid_input("FHIR document has no string \"resourceType\"");
  }
  static constexpr std::array<std::string_view, 7> kIdentifying = {
      "Patient", "Person", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization", "Location"};
  const std::string& type = it->get_ref<const std::string&>();
  for (std::string_view banned : kIdentifying) {
    if (type == banned) {
      return invalid_input("FHIR resource type " + type +
                           " identifies a person or institution and may not be sealed in a visit");
    }
  }
  return Status::ok_status();
}

}  // namespace

Status validate_rfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  bool ok = s.size() >= 20 && digits(s, 0, 4, year) && s[4] == '-' && digits(s, 5, 2, month) &&
            s[7] == '-' && digits(s, 8, 2, day) && (s[10] == 'T' || s[10] == 't') &&
            digits(s, 11, 2, hour) && s[13] == ':' && digits(s, 14, 2, minute) && s[16] == ':' &&
            digits(s, 17, 2, second);
  if (!ok) return invalid_input("visit time must be RFC 3339, e.g. 2026-11-24T09:30:00Z");
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return invalid_input("visit time has an out-of-range field: " + std::string(s));
  }
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start || pos - start > 9) return invalid_input("visit time has a malformed fraction");
  }
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return Status::ok_status();
  int oh, om;
  if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && digits(s, pos + 1, 2, oh) &&
      s[pos + 3] == ':' && digits(s, pos + 4, 2, om) && oh <= 23 && om <= 59) {
    return Status::ok_status();
  }
  return invalid_input("visit time needs a Z or +hh:mm offset (RFC 3339)");
}

Result<Visit> make_visit(std::string time, std::string diagnosis, std::optional<std::string> fhir_json) {
  HC_RETURN_IF_ERROR(validate_rfc3339(time));
  if (diagnosis.empty()) return invalid_input("diagnosis is empty");
  if (diagnosis.size() > kMaxDiagnosisBytes) {
    return Status::error(ErrorCode::kTooLarge, "diagnosis is longer than 64 KiB");
  }
  if (!is_valid_utf8(diagnosis)) return invalid_input("diagnosis is not valid UTF-8");
  Visit visit{std::move(time), std::move(diagnosis), std::nullopt};
  if (fhir_json.has_value()) {
    if (fhir_json->size() > kMaxFhirBytes) {
      return Status::error(ErrorCode::kTooLarge, "FHIR document is larger than 512 KiB");
    }
    json resource = json::parse(*fhir_json, nullptr, false);
    if (resource.is_discarded()) return invalid_input("FHIR document is not valid JSON");
    HC_RETURN_IF_ERROR(check_fhir_resource(resource));
    visit.fhir_json = resource.dump();
  }
  return visit;
}

Result<SecureBytes> encode_visit(const Visit& visit) {
  json doc = {{"version", 1}, {"time", visit.time}, {"diagnosis", visit.diagnosis}};
  if (visit.fhir_json.has_value()) {
    json resource = json::parse(*visit.fhir_json, nullptr, false);
    if (resource.is_discarded()) return invalid_input("FHIR document is not valid JSON");
    doc["fhir"] = std::move(resource);
  }
  std::string text;
  try {
    text = doc.dump();
  } catch (const json::exception&) {
    return invalid_input("visit text is not valid UTF-8");
  }
  if (text.size() > kMaxVisitPayloadBytes) {
    secure_wipe(text.data(), text.size());
    return Status::error(ErrorCode::kTooLarge, "visit payload is larger than 1 MiB");
  }
  SecureBytes out(text);
  secure_wipe(text.data(), text.size());
  return out;
}

Result<Visit> decode_visit(ByteSpan payload) {
  if (payload.size() > kMaxVisitPayloadBytes) {
    return Status::error(ErrorCode::kTooLarge, "visit payload is larger than 1 MiB");
  }
  json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input("visit payload is not a JSON object");
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_unsigned() || *version != 1) {
    return invalid_input("unsupported visit payload version");
  }
  auto time = doc.find("time");
  auto diagnosis = doc.find("diagnosis");
  if (time == doc.end() || !time->is_string() || diagnosis == doc.end() || !diagnosis->is_string()) {
    return invalid_input("visit payload lacks time or diagnosis");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "version" && key != "time" && key != "diagnosis" && key != "fhir") {
      return invalid_input("visit payload has an unknown field: " + key);
    }
  }
  std::optional<std::string> fhir;
  if (auto it = doc.find("fhir"); it != doc.end()) fhir = it->dump();
  return make_visit(time->get<std::string>(), diagnosis->get<std::string>(), std::move(fhir));
}

}  // namespace hc::crypto
