// Fuzzes groupsig::decode_opening_proof: an opening proof (the opener publishes it; anyone may check it).
// Points must be canonical and in their subgroups; whatever decodes must re-encode to the input.
#include "check.h"
#include "crypto/groupsig/encoding.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)hc::fuzz::decodes_canonically(
      hc::fuzz::input(data, size), [](hc::ByteSpan in) { return hc::groupsig::decode_opening_proof(in); },
      [](const auto& value) { return hc::groupsig::encode_opening_proof(value); });
  return 0;
}
