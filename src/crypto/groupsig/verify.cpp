#include "crypto/groupsig/verify.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/challenge.h"
#include "crypto/groupsig/digest.h"

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
  // Each commitment is one fixed-base term (radix-256 table of the prepared key) plus one
  // variable-base term (the library's GLV wNAF). Measured faster than the library's
  // multi-scalar multiplication of the same two or three points.
  using B = PreparedGroupKey;
  const Fr minus_c = -sig.c;
  const G1 t1_c = sig.t1.mul_public(minus_c);
  const G1 t1_sx = sig.t1.mul_public(sig.s_x);
  const G1 t2_c = sig.t2.mul_public(minus_c);
  const G1 t2_sx = sig.t2.mul_public(sig.s_x);
  const G1 t3_c = sig.t3.mul_public(sig.c);
  const G1 t3_sx = sig.t3.mul_public(sig.s_x);
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
  r.r3 = bls12_381::multi_pairing_vartime(ps, qs);  // public inputs only
  Fr c = sign_challenge(key.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2, sig.t3, r);
  if (!(c == sig.c)) {
    return Status::error(ErrorCode::kAuthFailed, "group signature does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig
