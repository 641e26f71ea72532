// The envelope key a doctor's client seals to, believed only once the chain vouches for it.
// GET /v1/envelope-key answers with the key and its "publication": the committed transaction
// that published it, with the block header, the block's transaction ids, the Merkle proof and
// the PBFT commit certificate (docs/api.md). The client verifies that item as it verifies a
// retrieved record (client/item_verification.h), then that the transaction publishes an
// envelope key signed by the genesis admin key, that the answered key is that key, and that
// the block is recent enough: a node that serves its own key, a forged or truncated proof, a
// certificate from too few replicas, a key someone else published, or an old key it keeps
// serving in place of the current one is refused before anything is sealed. A node can still
// withhold a key published within the freshness bound (a client can ask another node). Pure;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "common/status.h"
#include "crypto/envelope_key.h"

namespace hc::client {

// The manager rotates the envelope key daily (`hc manager rotate-key`); a key published more
// than this long ago is refused by default.
inline constexpr std::uint64_t kDefaultEnvelopeKeyMaxAgeMs = 7ull * 24 * 3600 * 1000;

struct KeyFreshness {
  std::uint64_t now_ms = 0;  // Unix milliseconds (the client's clock)
  std::uint64_t max_age_ms = kDefaultEnvelopeKeyMaxAgeMs;
};

// KeyFreshness with the system clock's now.
KeyFreshness freshness_now(std::uint64_t max_age_ms = kDefaultEnvelopeKeyMaxAgeMs);

struct TrustedEnvelopeKey {
  crypto::EnvelopePublicKey key;
  std::uint64_t height = 0;        // the block that published it
  std::uint64_t published_ms = 0;  // that block's certified timestamp
};

// kAuthFailed naming the first check that fails (the node is lying or stale); kInvalidInput
// for a malformed answer.
Result<TrustedEnvelopeKey> verify_envelope_key_answer(const nlohmann::json& answer, const ChainTrust& trust,
                                                      const KeyFreshness& freshness);

// GET /v1/envelope-key from `node`, verified as above.
Result<TrustedEnvelopeKey> fetch_trusted_envelope_key(const NodeClient& node, const ChainTrust& trust,
                                                      const KeyFreshness& freshness);

}  // namespace hc::client
