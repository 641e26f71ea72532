// The sealed record: a visit encrypted so that only the group manager can read it.
//
// A fresh AES-256-GCM key and 96-bit nonce per record; the key is wrapped with RSA-OAEP to
// the manager's envelope key of the day. The GCM associated data binds the format version,
// the serial number and the key id (see record_aad), so a ciphertext cannot be moved to
// another patient or another key. The JSON file form has exactly the fields version, serial
// (hex), key_id (hex), wrapped_key, nonce, ciphertext (base64, GCM tag appended); anything
// else (unknown fields, wrong types, bad lengths) is rejected. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "chain/limits.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/aes_gcm.h"
#include "crypto/envelope_key.h"
#include "crypto/serial_number.h"
#include "crypto/visit.h"

namespace hc::crypto {

inline constexpr std::uint32_t kSealedRecordVersion = 1;
inline constexpr std::size_t kMaxRecordCiphertextBytes = kMaxVisitPayloadBytes + kGcmTagBytes;
inline constexpr std::size_t kMaxSealedRecordFileBytes = 2 * 1024 * 1024;
// The ledger accepts by default exactly the largest record a client seals (docs/record-format.md).
static_assert(kMaxRecordCiphertextBytes == chain::kDefaultRecordCiphertextBytes);

struct SealedRecord {
  std::uint32_t version = kSealedRecordVersion;
  SerialNumber serial{};
  KeyId key_id{};
  Bytes wrapped_key;  // 384 bytes
  GcmNonce nonce{};
  Bytes ciphertext;  // ciphertext || 16-byte tag

  bool operator==(const SealedRecord&) const = default;
};

// "HC-RECORD-AAD-v1" (length-prefixed) || version (u32 BE) || serial || key id.
Bytes record_aad(std::uint32_t version, const SerialNumber& serial, const KeyId& key_id);

Result<SealedRecord> seal_record(const Visit& visit, const SerialNumber& serial,
                                 const EnvelopePublicKey& manager_key);

// Finds the private key for a key id (kNotFound when the manager has no such key).
using PrivateKeyLookup = std::function<Result<EnvelopePrivateKey>(const KeyId&)>;

// kAuthFailed when any bound field, the wrapped key, nonce, ciphertext or tag was altered.
Result<Visit> open_record(const SealedRecord& record, const EnvelopePrivateKey& key);
Result<Visit> open_record(const SealedRecord& record, const PrivateKeyLookup& lookup);

std::string sealed_record_to_json(const SealedRecord& record);
Result<SealedRecord> sealed_record_from_json(std::string_view text);

Status write_sealed_record(const std::filesystem::path& path, const SealedRecord& record);
Result<SealedRecord> read_sealed_record(const std::filesystem::path& path);

}  // namespace hc::crypto
