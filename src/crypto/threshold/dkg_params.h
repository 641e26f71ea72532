// The public setting of one distributed key generation for the access key: the chain it
// belongs to, the key epoch, the threshold t and the m trustees' long-term P-256 keys (to
// which dealers encrypt shares). Trustees are numbered 1..m in the order of trustee_keys;
// index j is also the point at which trustee j's share of every polynomial is evaluated.
//
// Every DKG message is bound to dkg_params_digest, so a deal, complaint or share made for
// one chain, epoch or trustee set is refused in any other. Bounds: 1 <= t <= m <= 64.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "crypto/hash.h"
#include "crypto/p256.h"

namespace hc::crypto::threshold {

inline constexpr std::size_t kMaxTrustees = 64;

using ChainId = Digest32;  // the chain's genesis hash

struct DkgParams {
  ChainId chain_id{};
  std::uint64_t epoch = 0;     // key epoch: a new DKG per epoch, old keys stay usable
  std::uint16_t threshold = 0;  // t: shares needed to decrypt
  std::vector<P256Point> trustee_keys;  // m long-term keys, trustee j at position j-1

  std::uint16_t trustees() const { return static_cast<std::uint16_t>(trustee_keys.size()); }
};

// ok when 1 <= t <= m <= 64 and the trustee keys are pairwise distinct; else kInvalidInput.
Status check_dkg_params(const DkgParams& params);

// SHA-256(LP("HC-DKG-PARAMS-v1") || chain_id || u64_be(epoch) || u16_be(t) || u16_be(m) ||
//         trustee key 1 || ... || trustee key m)
Digest32 dkg_params_digest(const DkgParams& params);

// kInvalidInput unless 1 <= index <= m.
Status check_trustee_index(const DkgParams& params, std::uint16_t index, std::string_view role);

}  // namespace hc::crypto::threshold
