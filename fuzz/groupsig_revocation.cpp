// Fuzzes groupsig::decode_revocation: a revocation record (carried by revocation transactions).
// Points must be canonical and in their subgroups; whatever decodes must re-encode to the input.
#include "check.h"
#include "crypto/groupsig/encoding.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)hc::fuzz::decodes_canonically(
      hc::fuzz::input(data, size), [](hc::ByteSpan in) { return hc::groupsig::decode_revocation(in); },
      [](const auto& value) { return hc::groupsig::encode_revocation(value); });
  return 0;
}
