// Fuzzes the two DKG messages other trustees send (threshold::decode_deal and decode_complaint)
// under one fixed setting: 4 trustees, threshold 3, keys k*G for k = 1..4. The first input byte
// chooses the message kind; whatever decodes must re-encode to the rest of the input.
#include "check.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "round_trip.h"

namespace {

const hc::crypto::threshold::DkgParams& params() {
  static const hc::crypto::threshold::DkgParams p = [] {
    hc::crypto::threshold::DkgParams q;
    q.epoch = 1;
    q.threshold = 3;
    for (std::uint64_t k = 1; k <= 4; ++k) {
      q.trustee_keys.push_back(hc::crypto::P256Point::base_mul(hc::crypto::P256Scalar::from_u64(k)));
    }
    return q;
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const hc::ByteSpan in = hc::fuzz::input(data + 1, size - 1);
  namespace t = hc::crypto::threshold;
  if (data[0] & 1) {
    (void)hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return t::decode_deal(params(), b); },
        [](const auto& deal) { return t::encode_deal(params(), deal); });
  } else {
    (void)hc::fuzz::decodes_canonically(
        in, [](hc::ByteSpan b) { return t::decode_complaint(params(), b); },
        [](const auto& complaint) { return t::encode_complaint(params(), complaint); });
  }
  return 0;
}
