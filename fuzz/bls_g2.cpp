// Fuzzes BLS12-381 G2 point decoding, compressed (96 bytes) and uncompressed (192 bytes): every
// group element of a key, signature or proof goes through these. A point that decodes must be
// in the subgroup (r * P = identity), re-encode to the input, and decode the same from its
// other form.
#include "check.h"
#include "crypto/bls12_381/bls12_381.h"
#include "round_trip.h"

namespace {
using hc::bls12_381::Fr;
using hc::bls12_381::G2;

// r - 1: P * (r - 1) + P is the identity exactly when P is in the order-r subgroup.
const Fr& r_minus_one() {
  static const Fr value = Fr::zero() - Fr::one();
  return value;
}

void check_point(const G2& p) {
  HC_FUZZ_CHECK((p.mul_public(r_minus_one()) + p).is_identity());
  auto from_compressed = G2::from_compressed(p.to_compressed());
  auto from_uncompressed = G2::from_uncompressed(p.to_uncompressed());
  HC_FUZZ_CHECK(from_compressed.ok() && from_compressed.value() == p);
  HC_FUZZ_CHECK(from_uncompressed.ok() && from_uncompressed.value() == p);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  if (auto p = G2::from_compressed(in); p.ok()) {
    HC_FUZZ_CHECK(hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return G2::from_compressed(b); }, [](const G2& q) { return q.to_compressed(); }));
    check_point(p.value());
  }
  if (auto p = G2::from_uncompressed(in); p.ok()) {
    HC_FUZZ_CHECK(hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return G2::from_uncompressed(b); }, [](const G2& q) { return q.to_uncompressed(); }));
    check_point(p.value());
  }
  return 0;
}
