#include "crypto/sealed_record.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/hash.h"

namespace hc::crypto {

namespace {

using nlohmann::json;
constexpr std::string_view kAadTag = "HC-RECORD-AAD-v1";

Result<Bytes> base64_field(const json& doc, const char* name, std::size_t max_decoded) {
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

Result<std::string> hex_field(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) {
    return invalid_input(std::string("sealed record lacks string field \"") + name + "\"");
  }
  return it->get<std::string>();
}

}  // namespace

Bytes record_aad(std::uint32_t version, const SerialNumber& serial, const KeyId& key_id) {
  Bytes aad;
  append_length_prefixed(aad, as_bytes(kAadTag));
  append_u32_be(aad, version);
  append_bytes(aad, serial);
  append_bytes(aad, key_id);
  return aad;
}

Result<SealedRecord> seal_record(const Visit& visit, const SerialNumber& serial,
                                 const EnvelopePublicKey& manager_key) {
  HC_ASSIGN_OR_RETURN(SecureBytes payload, encode_visit(visit));
  SealedRecord record;
  record.serial = serial;
  record.key_id = manager_key.key_id();
  SecureBytes aes_key(kAesKeyBytes);
  random_bytes({aes_key.data(), aes_key.size()});
  random_bytes(record.nonce);
  HC_ASSIGN_OR_RETURN(record.wrapped_key, manager_key.wrap(aes_key.span()));
  HC_ASSIGN_OR_RETURN(record.ciphertext,
                      aes256gcm_seal(aes_key.span(), record.nonce,
                                     record_aad(record.version, record.serial, record.key_id),
                                     payload.span()));
  return record;
}

Result<Visit> open_record(const SealedRecord& record, const EnvelopePrivateKey& key) {
  if (record.version != kSealedRecordVersion) return invalid_input("unsupported sealed record version");
  if (record.key_id != key.public_key().key_id()) {
    return Status::error(ErrorCode::kNotFound, "record was sealed to key " + to_hex(record.key_id) +
                                                   ", not to the given key");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes aes_key, key.unwrap(record.wrapped_key));
  HC_ASSIGN_OR_RETURN(SecureBytes payload,
                      aes256gcm_open(aes_key.span(), record.nonce,
                                     record_aad(record.version, record.serial, record.key_id),
                                     record.ciphertext));
  auto visit = decode_visit(payload.span());
  if (!visit.ok()) return Status::error(ErrorCode::kCorrupt, "authenticated payload is malformed: " +
                                                                  visit.status().message());
  return visit;
}

Result<Visit> open_record(const SealedRecord& record, const PrivateKeyLookup& lookup) {
  HC_ASSIGN_OR_RETURN(EnvelopePrivateKey key, lookup(record.key_id));
  return open_record(record, key);
}

std::string sealed_record_to_json(const SealedRecord& record) {
  json doc = {{"version", record.version},
              {"serial", to_hex(record.serial)},
              {"key_id", to_hex(record.key_id)},
              {"wrapped_key", to_base64(record.wrapped_key)},
              {"nonce", to_base64(record.nonce)},
              {"ciphertext", to_base64(record.ciphertext)}};
  return doc.dump(2) + "\n";
}

Result<SealedRecord> sealed_record_from_json(std::string_view text) {
  if (text.size() > kMaxSealedRecordFileBytes) {
    return Status::error(ErrorCode::kTooLarge, "sealed record is larger than 2 MiB");
  }
  auto parsed = parse_bounded_json(text, "sealed record");
  if (!parsed.ok() || !parsed->is_object()) return invalid_input("sealed record is not a JSON object");
  const json& doc = *parsed;
  static constexpr std::array<std::string_view, 6> kFields = {"version", "serial", "key_id",
                                                              "wrapped_key", "nonce", "ciphertext"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
      return invalid_input("sealed record has an unknown field: " + key);
    }
  }
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_unsigned() || *version != kSealedRecordVersion) {
    return invalid_input("sealed record version must be 1");
  }
  SealedRecord record;
  HC_ASSIGN_OR_RETURN(std::string serial_hex, hex_field(doc, "serial"));
  HC_ASSIGN_OR_RETURN(record.serial, parse_serial_hex(serial_hex));
  HC_ASSIGN_OR_RETURN(std::string key_id_hex, hex_field(doc, "key_id"));
  HC_ASSIGN_OR_RETURN(record.key_id, parse_key_id_hex(key_id_hex));
  HC_ASSIGN_OR_RETURN(record.wrapped_key, base64_field(doc, "wrapped_key", kWrappedKeyBytes));
  if (record.wrapped_key.size() != kWrappedKeyBytes) return invalid_input("wrapped_key must be 384 bytes");
  HC_ASSIGN_OR_RETURN(Bytes nonce, base64_field(doc, "nonce", kGcmNonceBytes));
  if (nonce.size() != kGcmNonceBytes) return invalid_input("nonce must be 12 bytes");
  std::copy(nonce.begin(), nonce.end(), record.nonce.begin());
  HC_ASSIGN_OR_RETURN(record.ciphertext, base64_field(doc, "ciphertext", kMaxRecordCiphertextBytes));
  if (record.ciphertext.size() < kGcmTagBytes) return invalid_input("ciphertext is shorter than its tag");
  if (record.ciphertext.size() > kMaxRecordCiphertextBytes) {
    return Status::error(ErrorCode::kTooLarge, "ciphertext is larger than the 240 KiB payload limit");
  }
  return record;
}

Status write_sealed_record(const std::filesystem::path& path, const SealedRecord& record) {
  return write_text_file_atomic(path, sealed_record_to_json(record));
}

Result<SealedRecord> read_sealed_record(const std::filesystem::path& path) {
  HC_ASSIGN_OR_RETURN(std::string text, read_text_file(path, kMaxSealedRecordFileBytes));
  auto record = sealed_record_from_json(text);
  if (!record.ok()) return record.status().with_context(path.string());
  return record;
}

}  // namespace hc::crypto
