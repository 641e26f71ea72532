// The two encodings of a DKG deal, for the access key (dkg_deal.h) and the opener key
// (opener_dkg_deal.h), told apart by their domain tag: the proven form, whose boxes carry
// proofs of their ephemeral secrets (box_ephemeral_proof.h), and the legacy form without them,
// which chains whose genesis predates the proofs committed. The chain gives each form its own
// wire kinds (docs/ledger.md) and needs to know the form without decoding a deal (it stores
// opener deals as they are), hence this header. Header-only, pure, thread-safe.
#pragma once

#include <algorithm>
#include <string_view>

#include "common/bytes.h"

namespace hc::crypto::threshold {

inline constexpr std::string_view kDkgDealTag = "HC-DKG-DEAL-v2";              // proven form
inline constexpr std::string_view kLegacyDkgDealTag = "HC-DKG-DEAL-v1";        // no proofs
inline constexpr std::string_view kOpenerDealTag = "HC-OPENER-DKG-DEAL-v2";    // proven form
inline constexpr std::string_view kLegacyOpenerDealTag = "HC-OPENER-DKG-DEAL-v1";  // no proofs

// true when `encoding` begins with LP(tag) (a u32 big-endian length, then the tag's bytes).
inline bool encoding_has_tag(ByteSpan encoding, std::string_view tag) {
  if (encoding.size() < 4 + tag.size()) return false;
  const std::size_t length = (std::size_t{encoding[0]} << 24) | (std::size_t{encoding[1]} << 16) |
                             (std::size_t{encoding[2]} << 8) | std::size_t{encoding[3]};
  return length == tag.size() &&
         std::equal(tag.begin(), tag.end(), encoding.begin() + 4,
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

// true when the deal's encoding is in the proven form (whether it decodes is the decoder's).
inline bool is_proven_dkg_deal_encoding(ByteSpan deal) { return encoding_has_tag(deal, kDkgDealTag); }
inline bool is_proven_opener_deal_encoding(ByteSpan deal) { return encoding_has_tag(deal, kOpenerDealTag); }

}  // namespace hc::crypto::threshold
