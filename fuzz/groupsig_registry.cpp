// Fuzzes groupsig::decode_registry: a member registry (enrollment transactions carry a one-entry registry).
// Points must be canonical and in their subgroups; whatever decodes must re-encode to the input.
#include "check.h"
#include "crypto/groupsig/encoding.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)hc::fuzz::decodes_canonically(
      hc::fuzz::input(data, size), [](hc::ByteSpan in) { return hc::groupsig::decode_registry(in); },
      [](const auto& value) { return hc::groupsig::encode_registry(value); });
  return 0;
}
