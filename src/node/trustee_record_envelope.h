// The part of a committed record a trustee needs to answer an access request: the ephemeral
// key E of a version-2 envelope and the access key id it was sealed to (docs/threshold.md,
// "Decryption shares": E is always taken from the record on the ledger, never from the
// request). A version-1 record (RSA-OAEP to the manager) has none.
// Pure; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "chain/transaction.h"
#include "crypto/envelope_key.h"
#include "crypto/p256.h"

namespace hc::node {

struct RecordEphemeral {
  crypto::KeyId key_id{};
  crypto::P256Point ephemeral = crypto::P256Point::generator();
};

// E and the key id of a version-2 record; nullopt for any other version, or an E that is not
// a point of P-256 (the ledger refuses such records; never trusted here either).
inline std::optional<RecordEphemeral> version2_ephemeral(const chain::SealedRecord& sealed) {
  if (sealed.envelope_version != chain::kRecordEnvelopeV2) return std::nullopt;
  auto point = crypto::P256Point::decode(sealed.ephemeral_key);
  if (!point.ok()) return std::nullopt;
  RecordEphemeral out;
  std::copy(sealed.key_id.begin(), sealed.key_id.end(), out.key_id.begin());
  out.ephemeral = std::move(point).value();
  return out;
}

}  // namespace hc::node
