// Fuzzes groupsig::decode_gpk: the group public key (in the genesis and in every revocation).
// Points must be canonical and in their subgroups; whatever decodes must re-encode to the input.
#include "check.h"
#include "crypto/groupsig/encoding.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)hc::fuzz::decodes_canonically(
      hc::fuzz::input(data, size), [](hc::ByteSpan in) { return hc::groupsig::decode_gpk(in); },
      [](const auto& value) { return hc::groupsig::encode_gpk(value); });
  return 0;
}
