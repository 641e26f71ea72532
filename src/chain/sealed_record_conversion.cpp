#include "chain/sealed_record_conversion.h"

#include <algorithm>
#include <string>

namespace hc::chain {

Result<SealedRecord> chain_record_of(const crypto::SealedRecord& v1) {
  if (v1.version != crypto::kSealedRecordVersion) return invalid_input("sealed record: not envelope version 1");
  if (v1.wrapped_key.size() != kWrappedKeyBytes) return invalid_input("sealed record: wrapped key must be 384 bytes");
  SealedRecord out;
  out.envelope_version = kRecordEnvelopeV1;
  out.serial = v1.serial;
  out.key_id = v1.key_id;
  std::copy(v1.wrapped_key.begin(), v1.wrapped_key.end(), out.wrapped_key.begin());
  out.nonce = v1.nonce;
  out.ciphertext = v1.ciphertext;
  return out;
}

Result<SealedRecord> chain_record_of(const crypto::SealedRecordV2& v2) {
  if (v2.version != crypto::kSealedRecordV2Version) return invalid_input("sealed record: not envelope version 2");
  SealedRecord out;
  out.envelope_version = kRecordEnvelopeV2;
  out.serial = v2.serial;
  out.key_id = v2.key_id;
  out.ephemeral_key = v2.ephemeral_key;
  out.nonce = v2.nonce;
  out.ciphertext = v2.ciphertext;
  return out;
}

Result<SealedRecord> chain_record_from_file_json(std::string_view text) {
  auto v1 = crypto::sealed_record_from_json(text);
  if (v1.ok()) return chain_record_of(*v1);
  auto v2 = crypto::sealed_record_v2_from_json(text);
  if (v2.ok()) return chain_record_of(*v2);
  const bool claims_other_version = v2.status().message().find("version must be") != std::string::npos;
  return claims_other_version ? v1.status() : v2.status();
}

Result<crypto::SealedRecord> client_record_v1_of(const SealedRecord& sealed) {
  if (sealed.envelope_version != kRecordEnvelopeV1) return invalid_input("record: not envelope version 1");
  crypto::SealedRecord out;
  out.serial = sealed.serial;
  out.key_id = sealed.key_id;
  out.wrapped_key.assign(sealed.wrapped_key.begin(), sealed.wrapped_key.end());
  out.nonce = sealed.nonce;
  out.ciphertext = sealed.ciphertext;
  return out;
}

Result<crypto::SealedRecordV2> client_record_v2_of(const SealedRecord& sealed) {
  if (sealed.envelope_version != kRecordEnvelopeV2) return invalid_input("record: not envelope version 2");
  crypto::SealedRecordV2 out;
  out.serial = sealed.serial;
  out.key_id = sealed.key_id;
  out.ephemeral_key = sealed.ephemeral_key;
  out.nonce = sealed.nonce;
  out.ciphertext = sealed.ciphertext;
  return out;
}

}  // namespace hc::chain
