// Fuzzes what trustees send about the group-signature opener key: opener DKG deals and
// complaints (threshold::decode_opener_deal, decode_opener_complaint) under one fixed setting
// (4 trustees with P-256 keys k*G for k = 1..4, threshold 3, epoch 1, u the G1 generator),
// partial openings (decode_partial_opening), evidence sets (decode_opening_evidence) and
// public opener keys (decode_opener_key). The first input byte chooses (mod 5, in that
// order); whatever decodes must re-encode to the rest of the input.
#include "check.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "crypto/threshold/opener_encoding.h"
#include "crypto/threshold/partial_opening.h"
#include "round_trip.h"

namespace {

const hc::crypto::threshold::OpenerDkgParams& opener_params() {
  static const hc::crypto::threshold::OpenerDkgParams p = [] {
    hc::crypto::threshold::OpenerDkgParams q;
    q.trustees.epoch = 1;
    q.trustees.threshold = 3;
    for (std::uint64_t k = 1; k <= 4; ++k) {
      q.trustees.trustee_keys.push_back(hc::crypto::P256Point::base_mul(hc::crypto::P256Scalar::from_u64(k)));
    }
    q.u = hc::bls12_381::G1::generator();
    return q;
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const hc::ByteSpan in = hc::fuzz::input(data + 1, size - 1);
  namespace t = hc::crypto::threshold;
  switch (data[0] % 5) {
    case 0:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return t::decode_opener_deal(opener_params(), b); },
          [](const auto& deal) { return t::encode_opener_deal(opener_params(), deal); });
      break;
    case 1:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return t::decode_opener_complaint(opener_params(), b); },
          [](const auto& complaint) { return t::encode_opener_complaint(opener_params(), complaint); });
      break;
    case 2:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return t::decode_partial_opening(b); },
          [](const auto& partial) { return t::encode_partial_opening(partial); });
      break;
    case 3:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return t::decode_opening_evidence(b); },
          [](const auto& evidence) { return t::encode_opening_evidence(evidence); });
      break;
    default:
      (void)hc::fuzz::decodes_canonically(
          in, [](hc::ByteSpan b) { return t::decode_opener_key(b); },
          [](const auto& key) { return t::encode_opener_key(key); });
      break;
  }
  return 0;
}
