#include "crypto/record_file_json.h"

#include <algorithm>

#include "crypto/bounded_json.h"
#include "crypto/sealed_record.h"

namespace hc::crypto {

using nlohmann::json;

namespace {

Result<std::string> record_file_hex_field(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) {
    return invalid_input(std::string("sealed record lacks string field \"") + name + "\"");
  }
  return it->get<std::string>();
}

}  // namespace

Result<json> parse_record_file(std::string_view text, std::span<const std::string_view> fields,
                               std::uint32_t version) {
  if (text.size() > kMaxSealedRecordFileBytes) {
    return Status::error(ErrorCode::kTooLarge, "sealed record is larger than 2 MiB");
  }
  auto parsed = parse_bounded_json(text, "sealed record");
  if (!parsed.ok() || !parsed->is_object()) return invalid_input("sealed record is not a JSON object");
  for (const auto& [key, value] : parsed->items()) {
    if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
      return invalid_input("sealed record has an unknown field: " + key);
    }
  }
  auto found = parsed->find("version");
  if (found == parsed->end() || !found->is_number_unsigned() || *found != version) {
    return invalid_input("sealed record version must be " + std::to_string(version));
  }
  return parsed;
}

Result<Bytes> record_file_base64_field(const json& doc, const char* name, std::size_t max_decoded) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) {
    return invalid_input(std::string("sealed record lacks string field \"") + name + "\"");
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (text.size() > 4 * (max_decoded / 3 + 1)) {
    return Status::error(ErrorCode::kTooLarge, std::string("sealed record field ") + name + " is too large");
  }
  auto bytes = from_base64(text);
  if (!bytes.ok()) return bytes.status().with_context(std::string("sealed record field ") + name);
  return bytes;
}

Result<RecordFileFields> read_record_file_fields(const json& doc) {
  RecordFileFields fields;
  HC_ASSIGN_OR_RETURN(std::string serial_hex, record_file_hex_field(doc, "serial"));
  HC_ASSIGN_OR_RETURN(fields.serial, parse_serial_hex(serial_hex));
  HC_ASSIGN_OR_RETURN(std::string key_id_hex, record_file_hex_field(doc, "key_id"));
  HC_ASSIGN_OR_RETURN(fields.key_id, parse_key_id_hex(key_id_hex));
  HC_ASSIGN_OR_RETURN(Bytes nonce, record_file_base64_field(doc, "nonce", kGcmNonceBytes));
  if (nonce.size() != kGcmNonceBytes) return invalid_input("nonce must be 12 bytes");
  std::copy(nonce.begin(), nonce.end(), fields.nonce.begin());
  HC_ASSIGN_OR_RETURN(fields.ciphertext, record_file_base64_field(doc, "ciphertext", kMaxRecordCiphertextBytes));
  if (fields.ciphertext.size() < kGcmTagBytes) return invalid_input("ciphertext is shorter than its tag");
  if (fields.ciphertext.size() > kMaxRecordCiphertextBytes) {
    return Status::error(ErrorCode::kTooLarge, "ciphertext is larger than the 240 KiB payload limit");
  }
  return fields;
}

}  // namespace hc::crypto
