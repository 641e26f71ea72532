#include "crypto/visit_padding.h"

#include <algorithm>

#include "crypto/aes_gcm.h"

namespace hc::crypto {

std::optional<std::size_t> visit_padding_bucket(std::size_t json_bytes) {
  if (json_bytes > kVisitPaddingBuckets.back() - kPaddedVisitHeaderBytes) return std::nullopt;
  for (std::size_t bucket : kVisitPaddingBuckets) {
    if (kPaddedVisitHeaderBytes + json_bytes <= bucket) return bucket;
  }
  return std::nullopt;
}

bool is_visit_padding_bucket(std::size_t payload_bytes) {
  return std::find(kVisitPaddingBuckets.begin(), kVisitPaddingBuckets.end(), payload_bytes) !=
         kVisitPaddingBuckets.end();
}

bool is_padded_record_ciphertext_size(std::size_t ciphertext_bytes) {
  return ciphertext_bytes >= kGcmTagBytes && is_visit_padding_bucket(ciphertext_bytes - kGcmTagBytes);
}

Result<SecureBytes> pad_visit_json(ByteSpan json) {
  const std::optional<std::size_t> bucket = visit_padding_bucket(json.size());
  if (!bucket) {
    return Status::error(ErrorCode::kTooLarge, "visit payload is larger than " +
                                                   std::to_string(kVisitPaddingBuckets.back() - kPaddedVisitHeaderBytes) +
                                                   " bytes once encoded (the largest padding bucket, 240 KiB, less 5)");
  }
  SecureBytes padded(*bucket);  // zero-filled: the padding
  std::uint8_t* out = padded.data();
  const auto length = static_cast<std::uint32_t>(json.size());
  out[0] = kPaddedVisitMarker;
  out[1] = static_cast<std::uint8_t>(length >> 24);
  out[2] = static_cast<std::uint8_t>(length >> 16);
  out[3] = static_cast<std::uint8_t>(length >> 8);
  out[4] = static_cast<std::uint8_t>(length);
  std::copy(json.begin(), json.end(), out + kPaddedVisitHeaderBytes);
  return padded;
}

Result<ByteSpan> unpad_visit_payload(ByteSpan padded) {
  if (padded.empty() || padded[0] != kPaddedVisitMarker) return invalid_input("visit payload is not padded (no 0x02 marker)");
  if (!is_visit_padding_bucket(padded.size())) {
    return invalid_input("padded visit payload of " + std::to_string(padded.size()) + " bytes is not a bucket size");
  }
  const std::size_t length = (std::size_t{padded[1]} << 24) | (std::size_t{padded[2]} << 16) |
                             (std::size_t{padded[3]} << 8) | std::size_t{padded[4]};
  if (length > padded.size() - kPaddedVisitHeaderBytes) {
    return invalid_input("padded visit payload names a length beyond its end");
  }
  // The smallest bucket that holds it: a larger one would be a second encoding of one visit.
  if (visit_padding_bucket(length) != padded.size()) {
    return invalid_input("padded visit payload is not in the smallest bucket that holds it");
  }
  // JSON text never holds a zero byte (control characters in strings are escaped): one in the
  // body would blur where the padding begins (a length one past the JSON).
  const ByteSpan body = padded.subspan(kPaddedVisitHeaderBytes, length);
  if (std::find(body.begin(), body.end(), std::uint8_t{0}) != body.end()) {
    return invalid_input("padded visit payload has a zero byte inside its JSON");
  }
  const ByteSpan padding = padded.subspan(kPaddedVisitHeaderBytes + length);
  if (std::any_of(padding.begin(), padding.end(), [](std::uint8_t b) { return b != 0; })) {
    return invalid_input("padded visit payload has a non-zero padding byte");
  }
  return body;
}

}  // namespace hc::crypto
