#include "crypto/groupsig/verify.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/challenge.h"
#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/double_mul.h"

namespace hc::groupsig {

Status verify(const PreparedGroupKey& key, ByteSpan message, const Signature& sig) {
  const GroupPublicKey& gpk = key.gpk();
  if (sig.epoch != gpk.epoch) {
    return invalid_input(fmt::format("signature is for epoch {} but the group key is epoch {}",
                                     sig.epoch, gpk.epoch));
  }
  if (sig.t1.is_identity() || sig.t2.is_identity() || sig.t3.is_identity()) {
    return invalid_input("signature: T1, T2 and T3 must not be the identity");
  }
  // Each commitment is one fixed-base term (table of the prepared key) plus one
  // variable-base term; each of T1, T2, T3 meets the same two scalars (c and s_x), so the
  // two products of a base share their doublings (double_mul.h). For so few points this
  // beats a general multi-scalar multiplication.
  using B = PreparedGroupKey;
  const Fr minus_c = -sig.c;
  const auto [t1_c, t1_sx] = mul2_public(sig.t1, minus_c, sig.s_x);
  const auto [t2_c, t2_sx] = mul2_public(sig.t2, minus_c, sig.s_x);
  const auto [t3_c, t3_sx] = mul2_public(sig.t3, sig.c, sig.s_x);
  SignCommitments r;
  r.r1 = key.mul_public(B::kU, sig.s_alpha) + t1_c;
  r.r2 = key.mul_public(B::kV, sig.s_beta) + t2_c;
  r.r4 = t1_sx + key.mul_public(B::kU, -sig.s_delta1);
  r.r5 = t2_sx + key.mul_public(B::kV, -sig.s_delta2);
  std::array<G1, 2> ps = {
      t3_sx + key.mul_public(B::kH, -(sig.s_delta1 + sig.s_delta2)) +
          key.mul_public(B::kG1, minus_c),
      t3_c + key.mul_public(B::kH, -(sig.s_alpha + sig.s_beta))};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&key.g2(), &key.w()};
  r.r3 = bls12_381::multi_pairing(ps, qs);
  Fr c = sign_challenge(key.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2, sig.t3, r);
  if (!(c == sig.c)) {
    return Status::error(ErrorCode::kAuthFailed, "group signature does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig
