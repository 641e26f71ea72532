#include "crypto/groupsig/elgamal_verify.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/elgamal_challenge.h"
#include "crypto/groupsig/elgamal_encoding.h"

namespace hc::groupsig::elgamal {

Status verify(const PreparedKey& key, ByteSpan message, const Signature& sig) {
  const GroupKey& gpk = key.gpk();
  if (sig.epoch != gpk.epoch) {
    return invalid_input(fmt::format("signature is for epoch {} but the group key is epoch {}",
                                     sig.epoch, gpk.epoch));
  }
  if (sig.t1.is_identity() || sig.t2.is_identity()) {
    return invalid_input("signature: T1 and T2 must not be the identity");
  }
  using B = PreparedKey;
  const Fr minus_c = -sig.c;
  SignCommitments r;
  r.r1 = key.mul_public(B::kU, sig.s_alpha) + sig.t1.mul_public(minus_c);
  r.r2 = sig.t1.mul_public(sig.s_x) + key.mul_public(B::kU, -sig.s_delta);
  std::array<G1, 2> ps = {
      sig.t2.mul_public(sig.s_x) + key.mul_public(B::kH, -sig.s_delta) +
          key.mul_public(B::kG1, minus_c),
      sig.t2.mul_public(sig.c) + key.mul_public(B::kH, -sig.s_alpha)};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&key.g2(), &key.w()};
  r.r3 = bls12_381::multi_pairing_vartime(ps, qs);  // public inputs only
  Fr c = sign_challenge(key.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2, r);
  if (!(c == sig.c)) {
    return Status::error(ErrorCode::kAuthFailed, "BBS04-ElGamal group signature does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig::elgamal
