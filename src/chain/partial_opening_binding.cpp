#include "chain/partial_opening_binding.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "chain/codec.h"
#include "chain/limits.h"

namespace hc::chain {

namespace {
// crypto/threshold/partial_opening.h: LP(tag) || chain_id 32 || u64 epoch || request_id 32 ||
// signature digest 32 || u16 trustee || D 48 || c 32 || z 32.
constexpr std::string_view kBindingPartialOpeningTag = "HC-PARTIAL-OPENING-v1";
constexpr std::size_t kBindingChainIdAt = 4 + kBindingPartialOpeningTag.size();
constexpr std::size_t kBindingEpochAt = kBindingChainIdAt + kDigestBytes;
constexpr std::size_t kBindingRequestAt = kBindingEpochAt + 8;
constexpr std::size_t kBindingTrusteeAt = kBindingRequestAt + 2 * kDigestBytes;

bool binding_digest_at(ByteSpan bytes, std::size_t at, const Digest& expected) {
  return std::equal(expected.begin(), expected.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
}
}  // namespace

Status check_partial_opening_binding(ByteSpan partial, const PartialOpeningBinding& expected) {
  if (partial.size() != kPartialOpeningEntryBytes) return invalid_input("partial opening: not 243 bytes");
  Bytes tag;
  append_length_prefixed(tag, bytes_of(kBindingPartialOpeningTag));
  if (!std::equal(tag.begin(), tag.end(), partial.begin())) return invalid_input("partial opening: wrong domain tag");
  if (!binding_digest_at(partial, kBindingChainIdAt, expected.chain_id)) {
    return invalid_input("partial opening: names another chain");
  }
  std::uint64_t epoch = 0;
  for (std::size_t i = 0; i < 8; ++i) epoch = (epoch << 8) | partial[kBindingEpochAt + i];
  if (epoch != expected.key_epoch) {
    return invalid_input("partial opening: made with the opener key of key epoch " + std::to_string(epoch) +
                         ", the request's is " + std::to_string(expected.key_epoch));
  }
  if (!binding_digest_at(partial, kBindingRequestAt, expected.request_id)) {
    return invalid_input("partial opening: answers another request");
  }
  const auto trustee =
      static_cast<std::uint16_t>((partial[kBindingTrusteeAt] << 8) | partial[kBindingTrusteeAt + 1]);
  if (trustee != expected.trustee) {
    return invalid_input("partial opening: made by trustee " + std::to_string(trustee) + ", not by the answer's signer");
  }
  return Status();
}

}  // namespace hc::chain
