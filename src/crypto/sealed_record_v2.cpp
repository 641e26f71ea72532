#include "crypto/sealed_record_v2.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "crypto/hash.h"
#include "crypto/p256_kem.h"
#include "crypto/record_file_json.h"

namespace hc::crypto {

namespace {

using nlohmann::json;
constexpr std::string_view kKemTag = "HC-RECORD-KEM-v2";
constexpr std::string_view kAadTagV2 = "HC-RECORD-AAD-v2";

// SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits) } header.
constexpr std::uint8_t kP256SpkiPrefix[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

Result<SecureBytes> open_with_key(const SealedRecordV2& record, const SecureBytes& key) {
  return aes256gcm_open(key.span(), record.nonce,
                        record_v2_aad(record.serial, record.key_id, record.ephemeral_key),
                        record.ciphertext);
}

Result<Visit> decode_payload(Result<SecureBytes> payload) {
  if (!payload.ok()) return payload.status();
  auto visit = decode_visit(payload->span());
  if (!visit.ok()) {
    return Status::error(ErrorCode::kCorrupt,
                         "authenticated payload is malformed: " + visit.status().message());
  }
  return visit;
}

Status check_version(const SealedRecordV2& record) {
  if (record.version != kSealedRecordV2Version) return invalid_input("sealed record version must be 2");
  return Status::ok_status();
}

}  // namespace

Bytes access_key_spki_der(const P256Point& access_key) {
  Bytes der(std::begin(kP256SpkiPrefix), std::end(kP256SpkiPrefix));
  append_bytes(der, access_key.encode());
  return der;
}

KeyId access_key_id(const P256Point& access_key) { return sha256(access_key_spki_der(access_key)); }

Bytes record_v2_kem_context(const SerialNumber& serial, const KeyId& key_id) {
  Bytes context;
  append_length_prefixed(context, as_bytes(kKemTag));
  append_u32_be(context, kSealedRecordV2Version);
  append_bytes(context, serial);
  append_bytes(context, key_id);
  return context;
}

Bytes record_v2_aad(const SerialNumber& serial, const KeyId& key_id, const P256PointBytes& ephemeral) {
  Bytes aad;
  append_length_prefixed(aad, as_bytes(kAadTagV2));
  append_u32_be(aad, kSealedRecordV2Version);
  append_bytes(aad, serial);
  append_bytes(aad, key_id);
  append_bytes(aad, ephemeral);
  return aad;
}

Result<SealedRecordV2> seal_payload_v2_with(ByteSpan payload, const SerialNumber& serial,
                                            const P256Point& access_key,
                                            const P256Scalar& ephemeral_secret, const GcmNonce& nonce) {
  if (payload.size() > kMaxVisitPayloadBytes) {
    return Status::error(ErrorCode::kTooLarge, "visit payload is larger than the 240 KiB limit");
  }
  SealedRecordV2 record;
  record.serial = serial;
  record.key_id = access_key_id(access_key);
  record.nonce = nonce;
  HC_ASSIGN_OR_RETURN(KemEncapsulation kem,
                      kem_encapsulate_with(access_key, record_v2_kem_context(serial, record.key_id),
                                           ephemeral_secret));
  record.ephemeral_key = kem.ephemeral;
  HC_ASSIGN_OR_RETURN(record.ciphertext,
                      aes256gcm_seal(kem.key.span(), nonce,
                                     record_v2_aad(serial, record.key_id, record.ephemeral_key), payload));
  return record;
}

Result<SealedRecordV2> seal_record_v2(const Visit& visit, const SerialNumber& serial,
                                      const P256Point& access_key) {
  HC_ASSIGN_OR_RETURN(SecureBytes payload, encode_visit(visit));
  P256Scalar ephemeral_secret = P256Scalar::random_nonzero();
  GcmNonce nonce{};
  random_bytes(nonce);
  return seal_payload_v2_with(payload.span(), serial, access_key, ephemeral_secret, nonce);
}

Result<SecureBytes> open_payload_v2_with_shared_point(const SealedRecordV2& record, const P256Point& shared) {
  HC_RETURN_IF_ERROR(check_version(record));
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, P256Point::decode(record.ephemeral_key));
  (void)ephemeral;
  HC_ASSIGN_OR_RETURN(SecureBytes key,
                      kem_key_from_shared_point(shared, record_v2_kem_context(record.serial, record.key_id),
                                                record.ephemeral_key));
  return open_with_key(record, key);
}

Result<SecureBytes> open_payload_v2(const SealedRecordV2& record, const P256Scalar& access_secret) {
  HC_RETURN_IF_ERROR(check_version(record));
  if (access_secret.is_zero()) return invalid_input("access secret must be non-zero");
  if (record.key_id != access_key_id(P256Point::base_mul(access_secret))) {
    return Status::error(ErrorCode::kNotFound, "record was sealed to access key " + to_hex(record.key_id) +
                                                   ", not to the given key");
  }
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, P256Point::decode(record.ephemeral_key));
  return open_payload_v2_with_shared_point(record, ephemeral.mul(access_secret));
}

Result<Visit> open_record_v2(const SealedRecordV2& record, const P256Scalar& access_secret) {
  return decode_payload(open_payload_v2(record, access_secret));
}

Result<Visit> open_record_v2_with_shared_point(const SealedRecordV2& record, const P256Point& shared) {
  return decode_payload(open_payload_v2_with_shared_point(record, shared));
}

std::string sealed_record_v2_to_json(const SealedRecordV2& record) {
  json doc = {{"version", record.version},
              {"serial", to_hex(record.serial)},
              {"key_id", to_hex(record.key_id)},
              {"ephemeral_key", to_base64(record.ephemeral_key)},
              {"nonce", to_base64(record.nonce)},
              {"ciphertext", to_base64(record.ciphertext)}};
  return doc.dump(2) + "\n";
}

Result<SealedRecordV2> sealed_record_v2_from_json(std::string_view text) {
  static constexpr std::array<std::string_view, 6> kFields = {"version", "serial", "key_id",
                                                              "ephemeral_key", "nonce", "ciphertext"};
  HC_ASSIGN_OR_RETURN(json doc, parse_record_file(text, kFields, kSealedRecordV2Version));
  HC_ASSIGN_OR_RETURN(RecordFileFields fields, read_record_file_fields(doc));
  SealedRecordV2 record;
  record.serial = fields.serial;
  record.key_id = fields.key_id;
  record.nonce = fields.nonce;
  record.ciphertext = std::move(fields.ciphertext);
  HC_ASSIGN_OR_RETURN(Bytes ephemeral, record_file_base64_field(doc, "ephemeral_key", kP256PointBytes));
  HC_RETURN_IF_ERROR(P256Point::decode(ephemeral).status().with_context("sealed record field ephemeral_key"));
  std::copy(ephemeral.begin(), ephemeral.end(), record.ephemeral_key.begin());
  return record;
}

}  // namespace hc::crypto
