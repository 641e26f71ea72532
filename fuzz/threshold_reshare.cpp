// Fuzzes the resharing messages old and new trustees send (threshold::decode_reshare_deal and
// decode_reshare_complaint, docs/threshold.md "Resharing"), for both keys, under one fixed
// setting: 4 old trustees with t_old = 3 (key 5*G or 5*u, public shares (10+i)*G or u^(10+i)),
// 5 new trustees with t_new = 3 and keys k*G, resharing epoch 1, u the G1 generator. The
// first input byte chooses the key and the message (mod 4); whatever decodes must re-encode
// to the rest of the input.
#include "check.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/opener_reshare.h"
#include "round_trip.h"

namespace {

namespace t = hc::crypto::threshold;
using hc::crypto::P256Point;
using hc::crypto::P256Scalar;

hc::crypto::threshold::DkgParams new_trustees() {
  t::DkgParams p;
  p.epoch = 1;
  p.threshold = 3;
  for (std::uint64_t k = 1; k <= 5; ++k) p.trustee_keys.push_back(P256Point::base_mul(P256Scalar::from_u64(k)));
  return p;
}

const t::AccessReshareParams& access_params() {
  static const t::AccessReshareParams params = [] {
    t::AccessReshareParams p;
    p.old_key.epoch = 1;
    p.old_key.threshold = 3;
    p.old_key.group_key = P256Point::base_mul(P256Scalar::from_u64(5));
    for (std::uint64_t i = 1; i <= 4; ++i) p.old_key.public_shares.push_back(P256Point::base_mul(P256Scalar::from_u64(10 + i)));
    p.new_trustees = new_trustees();
    p.reshare_epoch = 1;
    return p;
  }();
  return params;
}

const t::OpenerReshareParams& opener_params() {
  static const t::OpenerReshareParams params = [] {
    using hc::bls12_381::Fr;
    using hc::bls12_381::G1;
    t::OpenerReshareParams p;
    p.old_key.epoch = 1;
    p.old_key.threshold = 3;
    p.old_key.u = G1::generator();
    p.old_key.h = G1::generator().mul_public(Fr::from_u64(5));
    for (std::uint64_t i = 1; i <= 4; ++i) p.old_key.public_shares.push_back(G1::generator().mul_public(Fr::from_u64(10 + i)));
    p.new_trustees = new_trustees();
    p.reshare_epoch = 1;
    return p;
  }();
  return params;
}

template <typename Params>
void fuzz_messages(const Params& params, bool deal, hc::ByteSpan in) {
  if (deal) {
    (void)hc::fuzz::decodes_canonically(
        in, [&](hc::ByteSpan b) { return t::decode_reshare_deal(params, b); },
        [&](const auto& d) { return t::encode_reshare_deal(params, d); });
  } else {
    (void)hc::fuzz::decodes_canonically(
        in, [&](hc::ByteSpan b) { return t::decode_reshare_complaint(params, b); },
        [&](const auto& c) { return t::encode_reshare_complaint(params, c); });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const hc::ByteSpan in = hc::fuzz::input(data + 1, size - 1);
  const bool deal = (data[0] & 1) != 0;
  if ((data[0] & 2) != 0) {
    fuzz_messages(opener_params(), deal, in);
  } else {
    fuzz_messages(access_params(), deal, in);
  }
  return 0;
}
