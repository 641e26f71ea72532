#include "crypto/visit.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>

#include "common/utf8.h"
#include "crypto/bounded_json.h"

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

constexpr std::array<std::string_view, 7> kIdentifyingTypes = {
    "Patient", "Person", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization", "Location"};
// Elements that carry who someone is, wherever they occur (docs/record-format.md).
constexpr std::array<std::string_view, 9> kIdentifyingElements = {
    "identifier", "name", "telecom", "address", "birthDate", "photo", "contact", "given", "family"};

bool is_identifying_type(std::string_view type) {
  for (std::string_view banned : kIdentifyingTypes) {
    if (type == banned) return true;
  }
  return false;
}

// "Patient/123", "https://host/fhir/Patient/123", "#contained-practitioner" stays allowed.
bool references_identifying_type(std::string_view reference) {
  for (std::string_view type : kIdentifyingTypes) {
    std::string relative = std::string(type) + "/";
    if (reference.substr(0, relative.size()) == relative) return true;
    if (reference.find("/" + relative) != std::string_view::npos) return true;
  }
  return false;
}

Status refuse(const std::string& path, const std::string& why) {
  return invalid_input("FHIR document: " + path + " " + why +
                       ", which identifies a person or institution (not allowed in a visit)");
}

// One object of the resource tree: the rules of docs/record-format.md, "FHIR identity rule".
Status check_fhir_object(const json& object, const std::string& path) {
  if (auto type = object.find("resourceType"); type != object.end() && type->is_string() &&
                                                 is_identifying_type(type->get_ref<const std::string&>())) {
    return refuse(path, "is a " + type->get<std::string>() + " resource");
  }
  for (std::string_view element : kIdentifyingElements) {
    if (object.contains(std::string(element))) return refuse(path + "." + std::string(element), "is an identity element");
  }
  if (auto ref = object.find("reference"); ref != object.end() && ref->is_string() &&
                                             references_identifying_type(ref->get_ref<const std::string&>())) {
    return refuse(path + ".reference", "points to a person or institution");
  }
  if (object.contains("display") && (!(object.contains("system") || object.contains("code")) ||
                                     object.contains("reference"))) {
    return refuse(path + ".display", "is a display text outside a Coding");
  }
  return Status::ok_status();
}

// Walks the whole tree (its depth is bounded by parse_bounded_json).
Status check_fhir_tree(const json& node, const std::string& path) {
  if (node.is_object()) {
    HC_RETURN_IF_ERROR(check_fhir_object(node, path));
    for (const auto& [key, value] : node.items()) HC_RETURN_IF_ERROR(check_fhir_tree(value, path + "." + key));
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      HC_RETURN_IF_ERROR(check_fhir_tree(node[i], path + "[" + std::to_string(i) + "]"));
    }
  }
  return Status::ok_status();
}

Status check_fhir_resource(const json& resource) {
  if (!resource.is_object()) return invalid_input("FHIR document must be a JSON object");
  auto it = resource.find("resourceType");
  if (it == resource.end() || !it->is_string()) {
    return invalid_input("FHIR document has no string \"resourceType\"");
  }
  return check_fhir_tree(resource, it->get<std::string>());
}

}  // namespace

Visit::~Visit() {
  secure_wipe(time.data(), time.size());
  secure_wipe(diagnosis.data(), diagnosis.size());
  if (fhir_json.has_value()) secure_wipe(fhir_json->data(), fhir_json->size());
}

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
  Visit visit{std::move(time), std::move(diagnosis), std::move(fhir_json)};
  HC_RETURN_IF_ERROR(validate_rfc3339(visit.time));
  if (visit.diagnosis.empty()) return invalid_input("diagnosis is empty");
  if (visit.diagnosis.size() > kMaxDiagnosisBytes) {
    return Status::error(ErrorCode::kTooLarge, "diagnosis is longer than 65536 bytes (64 KiB)");
  }
  if (!is_valid_utf8(visit.diagnosis)) return invalid_input("diagnosis is not valid UTF-8");
  if (visit.fhir_json.has_value()) {
    if (visit.fhir_json->size() > kMaxFhirBytes) {
      return Status::error(ErrorCode::kTooLarge, "FHIR document is larger than 131072 bytes (128 KiB)");
    }
    HC_ASSIGN_OR_RETURN(json resource, parse_bounded_json(*visit.fhir_json, "FHIR document"));
    Status checked = check_fhir_resource(resource);
    if (checked.ok()) {
      std::string canonical = resource.dump();
      secure_wipe(visit.fhir_json->data(), visit.fhir_json->size());
      *visit.fhir_json = std::move(canonical);
    }
    wipe_json_strings(resource);
    HC_RETURN_IF_ERROR(checked);
  }
  return visit;
}

Result<SecureBytes> encode_visit(const Visit& visit) {
  json doc = {{"version", kVisitPayloadVersion}, {"time", visit.time}, {"diagnosis", visit.diagnosis}};
  if (visit.fhir_json.has_value()) {
    auto resource = parse_bounded_json(*visit.fhir_json, "FHIR document");
    if (!resource.ok()) {
      wipe_json_strings(doc);
      return resource.status();
    }
    doc["fhir"] = std::move(resource).value();
  }
  std::string text;
  try {
    text = doc.dump();
  } catch (const json::exception&) {
    wipe_json_strings(doc);
    return invalid_input("visit text is not valid UTF-8");
  }
  wipe_json_strings(doc);
  auto padded = pad_visit_json(as_bytes(text));
  secure_wipe(text.data(), text.size());
  return padded;
}

namespace {

// `expected_version`: 2 inside a padded payload, 1 in a bare (legacy) one.
Result<Visit> visit_from_payload(json& doc, int expected_version) {
  if (!doc.is_object()) return invalid_input("visit payload is not a JSON object");
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_unsigned() || *version != expected_version) {
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

}  // namespace

Result<Visit> decode_visit(ByteSpan payload) {
  if (payload.size() > kMaxVisitPayloadBytes) {
    return Status::error(ErrorCode::kTooLarge, "visit payload is larger than 240 KiB");
  }
  // A padded payload starts with 0x02; a legacy one is bare JSON (its first byte is '{').
  const bool padded = !payload.empty() && payload[0] == kPaddedVisitMarker;
  ByteSpan json_bytes = payload;
  if (padded) {
    HC_ASSIGN_OR_RETURN(json_bytes, unpad_visit_payload(payload));
  }
  std::string_view text(reinterpret_cast<const char*>(json_bytes.data()), json_bytes.size());
  HC_ASSIGN_OR_RETURN(json doc, parse_bounded_json(text, "visit payload"));
  auto visit = visit_from_payload(doc, padded ? kVisitPayloadVersion : kLegacyVisitPayloadVersion);
  wipe_json_strings(doc);
  return visit;
}

}  // namespace hc::crypto
