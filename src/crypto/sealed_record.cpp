#include "crypto/sealed_record.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/file_io.h"
#include "crypto/hash.h"
#include "crypto/record_file_json.h"

namespace hc::crypto {

namespace {

using nlohmann::json;
constexpr std::string_view kAadTagV1 = "HC-RECORD-AAD-v1";

}  // namespace

Bytes record_aad(std::uint32_t version, const SerialNumber& serial, const KeyId& key_id) {
  Bytes aad;
  append_length_prefixed(aad, as_bytes(kAadTagV1));
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
  static constexpr std::array<std::string_view, 6> kFields = {"version", "serial", "key_id",
                                                              "wrapped_key", "nonce", "ciphertext"};
  HC_ASSIGN_OR_RETURN(json doc, parse_record_file(text, kFields, kSealedRecordVersion));
  HC_ASSIGN_OR_RETURN(RecordFileFields fields, read_record_file_fields(doc));
  SealedRecord record;
  record.serial = fields.serial;
  record.key_id = fields.key_id;
  record.nonce = fields.nonce;
  record.ciphertext = std::move(fields.ciphertext);
  HC_ASSIGN_OR_RETURN(record.wrapped_key, record_file_base64_field(doc, "wrapped_key", kWrappedKeyBytes));
  if (record.wrapped_key.size() != kWrappedKeyBytes) return invalid_input("wrapped_key must be 384 bytes");
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
