// Size padding of a visit payload (issue 14, item 4; docs/record-format.md, "Padding"): the
// plaintext a sealed record encrypts is padded, inside the encryption, to one of a few bucket
// sizes, so that a record's ciphertext length tells only its bucket, not the length of its
// diagnosis or whether it carries a FHIR resource. Both envelope versions seal the padded
// form (they encrypt what encode_visit returns).
//
// The padded form (visit payload version 2), byte by byte:
//   0x02 || u32 BE L || the visit's canonical JSON (L bytes) || zero bytes up to the bucket
// where the bucket is the smallest of kVisitPaddingBuckets holding 5 + L bytes. Unpadding
// refuses anything else: a size that is not a bucket (or not the smallest that holds it), a
// length that does not fit, a zero byte inside the JSON, a non-zero padding byte. Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

// The first byte of a padded payload (a version 1 payload is bare JSON: it starts with '{').
inline constexpr std::uint8_t kPaddedVisitMarker = 0x02;
// Marker byte and the u32 length.
inline constexpr std::size_t kPaddedVisitHeaderBytes = 5;
// Powers of two from 1 KiB to 128 KiB, then the payload limit (240 KiB, kMaxVisitPayloadBytes).
inline constexpr std::array<std::size_t, 9> kVisitPaddingBuckets = {
    1024, 2 * 1024, 4 * 1024, 8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 128 * 1024, 240 * 1024};

// The bucket a JSON text of `json_bytes` bytes is padded to; nullopt when it is too large for
// the largest bucket.
std::optional<std::size_t> visit_padding_bucket(std::size_t json_bytes);

// True when `payload_bytes` is one of kVisitPaddingBuckets.
bool is_visit_padding_bucket(std::size_t payload_bytes);

// True when a record ciphertext of `ciphertext_bytes` (payload + 16-byte GCM tag) holds a
// padded payload: a bucket + 16. What a node can check without decrypting (node_api.cpp).
bool is_padded_record_ciphertext_size(std::size_t ciphertext_bytes);

// The padded payload of `json`; kTooLarge when it does not fit the largest bucket.
Result<SecureBytes> pad_visit_json(ByteSpan json);

// The JSON inside a padded payload (a view into `padded`); kInvalidInput with the reason when
// `padded` is not exactly the padded form above.
Result<ByteSpan> unpad_visit_payload(ByteSpan padded);

}  // namespace hc::crypto
