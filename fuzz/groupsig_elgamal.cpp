// Fuzzes the BBS04-ElGamal decoders (groupsig::elgamal::decode_signature, decode_group_key,
// decode_opening_proof): the first input byte chooses the structure (mod 3: signature, group
// key, opening proof). Points must be canonical and in their subgroups (a signature's R3 in
// GT); whatever decodes must re-encode to the rest of the input.
#include "check.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const hc::ByteSpan in = hc::fuzz::input(data + 1, size - 1);
  namespace eg = hc::groupsig::elgamal;
  switch (data[0] % 3) {
    case 0:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return eg::decode_signature(b); },
          [](const auto& v) { return eg::encode_signature(v); });
      break;
    case 1:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return eg::decode_group_key(b); },
          [](const auto& v) { return eg::encode_group_key(v); });
      break;
    default:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return eg::decode_opening_proof(b); },
          [](const auto& v) { return eg::encode_opening_proof(v); });
      break;
  }
  return 0;
}
