// Fuzzes BLS12-381 G1 point decoding, compressed (48 bytes) and uncompressed (96 bytes): every
// group element of a key, signature or proof goes through these. A point that decodes must be
// in the subgroup (r * P = identity), re-encode to the input, and decode the same from its
// other form. The batch decoder gives the same result for it as from_compressed.
#include <array>

#include "check.h"
#include "crypto/bls12_381/bls12_381.h"
#include "round_trip.h"

namespace {
using hc::bls12_381::Fr;
using hc::bls12_381::G1;

// r - 1: P * (r - 1) + P is the identity exactly when P is in the order-r subgroup.
const Fr& r_minus_one() {
  static const Fr value = Fr::zero() - Fr::one();
  return value;
}

// The batch decoder (g1_from_compressed_batch_vartime) on the input beside a valid point: its
// result for the input must be from_compressed's, status included. The input's mask is all
// ones, so it is in every round's sum: a single point outside G1 cannot cancel there.
void check_batch_decoder(hc::ByteSpan in) {
  static const auto valid = G1::generator().dbl().to_compressed();
  const std::array<hc::ByteSpan, 2> encodings = {in, hc::ByteSpan(valid.data(), valid.size())};
  const std::array<std::uint64_t, 2> masks = {~std::uint64_t{0}, 0x5555aaaa3333ccccULL};
  const auto batch = hc::bls12_381::g1_from_compressed_batch_vartime(encodings, masks);
  const auto single = G1::from_compressed(in);
  HC_FUZZ_CHECK(batch.size() == 2 && batch[1].ok());
  HC_FUZZ_CHECK(batch[0].ok() == single.ok());
  if (single.ok()) {
    HC_FUZZ_CHECK(batch[0].value() == single.value());
  } else {
    HC_FUZZ_CHECK(batch[0].status().to_string() == single.status().to_string());
  }
}

void check_point(const G1& p) {
  HC_FUZZ_CHECK((p.mul_public(r_minus_one()) + p).is_identity());
  auto from_compressed = G1::from_compressed(p.to_compressed());
  auto from_uncompressed = G1::from_uncompressed(p.to_uncompressed());
  HC_FUZZ_CHECK(from_compressed.ok() && from_compressed.value() == p);
  HC_FUZZ_CHECK(from_uncompressed.ok() && from_uncompressed.value() == p);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  check_batch_decoder(in);
  if (auto p = G1::from_compressed(in); p.ok()) {
    HC_FUZZ_CHECK(hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return G1::from_compressed(b); }, [](const G1& q) { return q.to_compressed(); }));
    check_point(p.value());
  }
  if (auto p = G1::from_uncompressed(in); p.ok()) {
    HC_FUZZ_CHECK(hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return G1::from_uncompressed(b); }, [](const G1& q) { return q.to_uncompressed(); }));
    check_point(p.value());
  }
  return 0;
}
