// Fuzzes threshold::decode_decryption_share: a trustee's decryption share, which reaches the
// requester from the chain inside a box. Points must be on the curve; whatever decodes must
// re-encode to the input.
#include "check.h"
#include "crypto/threshold/decryption_share.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)hc::fuzz::decodes_canonically(
      hc::fuzz::input(data, size),
      [](hc::ByteSpan in) { return hc::crypto::threshold::decode_decryption_share(in); },
      [](const auto& share) { return hc::crypto::threshold::encode_decryption_share(share); });
  return 0;
}
