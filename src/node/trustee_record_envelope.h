// The part of a committed record a trustee needs to answer an access request: the ephemeral
// key E of a version-2 envelope and the access key id it was sealed to (docs/threshold.md,
// "Decryption shares": E is always taken from the record on the ledger, never from the
// request). A version-1 record (RSA-OAEP to the manager) has none.
//
// Written as a template over the ledger's sealed-record type so that it reads the version-2
// fields (`envelope_version`, `ephemeral_key`) as soon as the ledger's record type has them
// (issue 13, reader slice) and reports every record as version 1 before. Pure; thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "crypto/envelope_key.h"
#include "crypto/p256.h"

namespace hc::node {

inline constexpr std::uint32_t kTrusteeRecordEnvelopeV2 = 2;

struct RecordEphemeral {
  crypto::KeyId key_id{};
  crypto::P256Point ephemeral = crypto::P256Point::generator();
};

// E and the key id of a version-2 record; nullopt for any other version, or an E that is not
// a point of P-256 (the ledger refuses such records; never trusted here either).
template <typename SealedRecordT>
std::optional<RecordEphemeral> version2_ephemeral(const SealedRecordT& sealed) {
  if constexpr (requires {
                  sealed.envelope_version;
                  sealed.ephemeral_key;
                }) {
    if (sealed.envelope_version != kTrusteeRecordEnvelopeV2) return std::nullopt;
    auto point = crypto::P256Point::decode(sealed.ephemeral_key);
    if (!point.ok()) return std::nullopt;
    RecordEphemeral out;
    std::copy(sealed.key_id.begin(), sealed.key_id.end(), out.key_id.begin());
    out.ephemeral = std::move(point).value();
    return out;
  } else {
    return std::nullopt;
  }
}

}  // namespace hc::node
