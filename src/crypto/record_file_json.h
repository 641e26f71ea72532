// Reading the JSON file form of a sealed record: what every record version shares. The size
// bound, the depth-bounded parse, the closed list of fields, the version check, and the fields
// serial (hex), key_id (hex), nonce and ciphertext (base64) with their bounds. Each version's
// reader (sealed_record.h, sealed_record_v2.h) adds its own key-encapsulation field with
// record_file_base64_field: wrapped_key for version 1, ephemeral_key for version 2.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/aes_gcm.h"
#include "crypto/envelope_key.h"
#include "crypto/serial_number.h"

namespace hc::crypto {

// The fields every record version has.
struct RecordFileFields {
  SerialNumber serial{};
  KeyId key_id{};
  GcmNonce nonce{};
  Bytes ciphertext;  // ciphertext || 16-byte tag
};

// Parses `text` (at most kMaxSealedRecordFileBytes) as a JSON object whose field names are all
// in `fields` and whose "version" is `version`.
Result<nlohmann::json> parse_record_file(std::string_view text, std::span<const std::string_view> fields,
                                         std::uint32_t version);

// Reads serial, key_id, nonce and ciphertext from a parsed record file.
Result<RecordFileFields> read_record_file_fields(const nlohmann::json& doc);

// The base64 string field `name`, refused before decoding when its text could decode to more
// than `max_decoded` bytes.
Result<Bytes> record_file_base64_field(const nlohmann::json& doc, const char* name, std::size_t max_decoded);

}  // namespace hc::crypto
