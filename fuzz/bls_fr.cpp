// Fuzzes Fr::from_bytes (the scalars of signatures and proofs): exactly the 32-byte big-endian
// values below r decode, and they re-encode to the input.
#include "check.h"
#include "crypto/bls12_381/bls12_381.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using hc::bls12_381::Fr;
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  const bool ok = hc::fuzz::decodes_canonically(
      in, [](hc::ByteSpan b) { return Fr::from_bytes(b); }, [](const Fr& x) { return x.to_bytes(); });
  if (size != 32) {
    HC_FUZZ_CHECK(!ok);
    return 0;
  }
  // r - 1 is the largest scalar: an input decodes exactly when it is at most r - 1 (as bytes,
  // big-endian, so lexicographic order is numeric order).
  const auto max = (Fr::zero() - Fr::one()).to_bytes();
  const bool below_r = !std::lexicographical_compare(max.begin(), max.end(), in.begin(), in.end());
  HC_FUZZ_CHECK(ok == below_r);
  return 0;
}
