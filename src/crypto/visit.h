// The visit payload: what a sealed record encrypts. It holds the visit time (RFC 3339), the
// diagnosis text and optionally a FHIR R4 JSON resource, and never the patient's identity
// or the hospital (the paper's split of person / place / event: the person is only the
// serial number, the place only the group signature).
//
// Plaintext encoding (visit payload version 2): canonical JSON with sorted keys and no
// insignificant whitespace, {"diagnosis":..,"fhir":{..}?,"time":..,"version":2}, padded to a
// bucket size (visit_padding.h: 0x02, u32 BE length, the JSON, zero bytes), so the record's
// ciphertext length tells only the bucket. Records sealed before the padding carry version 1,
// the same JSON with "version":1 and no padding: decode_visit still reads them (read-only,
// encode_visit never writes them). Limits: diagnosis <= 64 KiB, FHIR <= 128 KiB, the padded
// payload <= 240 KiB, the largest bucket (its ciphertext, payload + 16-byte tag, is the
// default genesis limit chain::kDefaultRecordCiphertextBytes; sealed_record.h checks that the
// two agree at compile time). JSON is parsed with
// a nesting bound of 64 (crypto/bounded_json.h). A FHIR resource must be a JSON object with a
// string "resourceType" and must not identify a person or institution anywhere in its tree
// (docs/record-format.md, "FHIR identity rule"). Visits wipe their text when destroyed.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/visit_padding.h"

namespace hc::crypto {

inline constexpr std::size_t kMaxDiagnosisBytes = 64 * 1024;
inline constexpr std::size_t kMaxFhirBytes = 128 * 1024;
inline constexpr std::size_t kMaxVisitPayloadBytes = 240 * 1024;
static_assert(kVisitPaddingBuckets.back() == kMaxVisitPayloadBytes, "the largest bucket is the payload limit");
// The versions of the plaintext: 2 is padded (written), 1 is the unpadded legacy (read only).
inline constexpr int kVisitPayloadVersion = 2;
inline constexpr int kLegacyVisitPayloadVersion = 1;

struct Visit {
  std::string time;       // RFC 3339, e.g. 2026-11-24T09:30:00Z
  std::string diagnosis;  // free text, UTF-8
  std::optional<std::string> fhir_json;  // canonical JSON of one FHIR R4 resource

  bool operator==(const Visit&) const = default;
  ~Visit();  // wipes the three texts (patient data)
};

// Checks an RFC 3339 date-time (section 5.6): full-date "T" full-time with Z or +hh:mm.
Status validate_rfc3339(std::string_view text);

// Validates the fields and returns a Visit whose fhir_json is in canonical form.
Result<Visit> make_visit(std::string time, std::string diagnosis, std::optional<std::string> fhir_json);

// The padded version 2 payload; kTooLarge when its JSON does not fit the largest bucket.
Result<SecureBytes> encode_visit(const Visit& visit);
// A padded version 2 payload, or an unpadded version 1 payload (records sealed before the
// padding); kInvalidInput for anything else, a wrong padding included.
Result<Visit> decode_visit(ByteSpan payload);

}  // namespace hc::crypto
