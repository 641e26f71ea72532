// Fuzzes decode_visit (the plaintext of a sealed record: what a manager decrypts from a record
// any doctor token may have posted). An accepted visit must encode, and its encoding is the
// canonical form: it decodes to the same visit and encodes to itself. (An unpadded version 1
// payload within 5 bytes of the 240 KiB limit reads but no longer fits the padded form.)
#include "check.h"
#include "crypto/visit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto visit = hc::crypto::decode_visit(hc::fuzz::input(data, size));
  if (!visit.ok()) return 0;
  auto encoded = hc::crypto::encode_visit(visit.value());
  const bool legacy = size > 0 && data[0] == '{';
  if (legacy && !encoded.ok() && encoded.status().code() == hc::ErrorCode::kTooLarge) return 0;
  HC_FUZZ_CHECK(encoded.ok());
  auto again = hc::crypto::decode_visit(encoded.value().span());
  HC_FUZZ_CHECK(again.ok() && again.value() == visit.value());
  auto encoded_again = hc::crypto::encode_visit(again.value());
  HC_FUZZ_CHECK(encoded_again.ok() && hc::constant_time_equal(encoded_again.value().span(), encoded.value().span()));
  return 0;
}
