#include "crypto/groupsig/elgamal_verify.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/elgamal_challenge.h"
#include "crypto/groupsig/elgamal_encoding.h"

namespace hc::groupsig::elgamal {

Status check_signature_form(const PreparedKey& key, const Signature& sig) {
  if (sig.epoch != key.epoch()) {
    return invalid_input(fmt::format("signature is for epoch {} but the group key is epoch {}",
                                     sig.epoch, key.epoch()));
  }
  if (sig.t1.is_identity() || sig.t2.is_identity()) {
    return invalid_input("signature: T1 and T2 must not be the identity");
  }
  return Status::ok_status();
}

Status verify(const PreparedKey& key, ByteSpan message, const Signature& sig) {
  HC_RETURN_IF_ERROR(check_signature_form(key, sig));
  using B = PreparedKey;
  const Fr c = sign_challenge(key.digest(), message_digest(message), sig);
  const Fr minus_c = -c;
  const Status bad =
      Status::error(ErrorCode::kAuthFailed, "BBS04-ElGamal group signature does not verify");
  if (!(key.mul_public(B::kU, sig.s_alpha) + sig.t1.mul_public(minus_c) == sig.r1)) return bad;
  if (!(sig.t1.mul_public(sig.s_x) + key.mul_public(B::kU, -sig.s_delta) == sig.r2)) return bad;
  std::array<G1, 2> ps = {
      sig.t2.mul_public(sig.s_x) + key.mul_public(B::kH, -sig.s_delta) +
          key.mul_public(B::kG1, minus_c),
      sig.t2.mul_public(c) + key.mul_public(B::kH, -sig.s_alpha)};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&key.g2(), &key.w()};
  if (!(bls12_381::multi_pairing_vartime(ps, qs) == sig.r3)) return bad;  // public inputs only
  return Status::ok_status();
}

}  // namespace hc::groupsig::elgamal
