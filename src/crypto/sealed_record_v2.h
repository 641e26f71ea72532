// The sealed record, format version 2: a visit encrypted to the consortium's P-256 *access
// key*, whose secret the trustees hold in shares (crypto/threshold/, docs/threshold.md).
// Version 1 (crypto/sealed_record.h, RSA-OAEP to the manager) is unchanged and still read.
//
// Sealing: a fresh ephemeral P-256 key E encapsulates (crypto/p256_kem.h) the record's
// AES-256-GCM key to the access key with the context LP("HC-RECORD-KEM-v2") || u32_be(2) ||
// serial || key_id; the payload is encrypted under it with a fresh 12-byte nonce and the
// associated data LP("HC-RECORD-AAD-v2") || u32_be(2) || serial || key_id || E, so that no
// bound field can be changed. key_id = SHA-256 of the access key's SubjectPublicKeyInfo DER.
// Every byte is in docs/record-format.md ("Version 2"). JSON file form: exactly version (2),
// serial, key_id (hex), ephemeral_key, nonce, ciphertext (base64). Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/aes_gcm.h"
#include "crypto/envelope_key.h"
#include "crypto/p256.h"
#include "crypto/sealed_record.h"
#include "crypto/serial_number.h"
#include "crypto/visit.h"

namespace hc::crypto {

inline constexpr std::uint32_t kSealedRecordV2Version = 2;

struct SealedRecordV2 {
  std::uint32_t version = kSealedRecordV2Version;
  SerialNumber serial{};
  KeyId key_id{};
  P256PointBytes ephemeral_key{};  // 0x04 || X || Y
  GcmNonce nonce{};
  Bytes ciphertext;  // ciphertext || 16-byte tag

  bool operator==(const SealedRecordV2&) const = default;
};

// The 91-byte SubjectPublicKeyInfo DER of a P-256 key (fixed 26-byte prefix || 65-byte point).
Bytes access_key_spki_der(const P256Point& access_key);
KeyId access_key_id(const P256Point& access_key);

Bytes record_v2_kem_context(const SerialNumber& serial, const KeyId& key_id);
Bytes record_v2_aad(const SerialNumber& serial, const KeyId& key_id, const P256PointBytes& ephemeral);

// The deterministic core (known-answer tests): the given ephemeral secret and nonce.
Result<SealedRecordV2> seal_payload_v2_with(ByteSpan payload, const SerialNumber& serial,
                                            const P256Point& access_key,
                                            const P256Scalar& ephemeral_secret, const GcmNonce& nonce);
Result<SealedRecordV2> seal_record_v2(const Visit& visit, const SerialNumber& serial,
                                      const P256Point& access_key);

// Opening with the whole access secret (a single holder; kNotFound if the record names
// another key) or with the shared point access_secret * E that t trustees' decryption
// shares combine to. kAuthFailed when any field, the nonce, ciphertext or tag was altered;
// kInvalidInput when the record is malformed (wrong version, ephemeral key not a point).
Result<SecureBytes> open_payload_v2(const SealedRecordV2& record, const P256Scalar& access_secret);
Result<SecureBytes> open_payload_v2_with_shared_point(const SealedRecordV2& record, const P256Point& shared);
Result<Visit> open_record_v2(const SealedRecordV2& record, const P256Scalar& access_secret);
Result<Visit> open_record_v2_with_shared_point(const SealedRecordV2& record, const P256Point& shared);

std::string sealed_record_v2_to_json(const SealedRecordV2& record);
// Exactly the six fields; kTooLarge past 2 MiB or the 240 KiB payload limit.
Result<SealedRecordV2> sealed_record_v2_from_json(std::string_view text);

}  // namespace hc::crypto
