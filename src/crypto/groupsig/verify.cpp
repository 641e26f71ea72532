#include "crypto/groupsig/verify.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/challenge.h"
#include "crypto/groupsig/digest.h"

namespace hc::groupsig {

using bls12_381::msm;

Status verify(const PreparedGroupKey& key, ByteSpan message, const Signature& sig) {
  const GroupPublicKey& gpk = key.gpk();
  if (sig.epoch != gpk.epoch) {
    return invalid_input(fmt::format("signature is for epoch {} but the group key is epoch {}",
                                     sig.epoch, gpk.epoch));
  }
  if (sig.t1.is_identity() || sig.t2.is_identity() || sig.t3.is_identity()) {
    return invalid_input("signature: T1, T2 and T3 must not be the identity");
  }
  const Fr minus_c = -sig.c;
  SignCommitments r;
  r.r1 = msm(std::array<G1, 2>{gpk.u, sig.t1}, std::array<Fr, 2>{sig.s_alpha, minus_c});
  r.r2 = msm(std::array<G1, 2>{gpk.v, sig.t2}, std::array<Fr, 2>{sig.s_beta, minus_c});
  r.r4 = msm(std::array<G1, 2>{sig.t1, gpk.u}, std::array<Fr, 2>{sig.s_x, -sig.s_delta1});
  r.r5 = msm(std::array<G1, 2>{sig.t2, gpk.v}, std::array<Fr, 2>{sig.s_x, -sig.s_delta2});
  std::array<G1, 2> ps = {
      msm(std::array<G1, 3>{sig.t3, gpk.h, gpk.g1},
          std::array<Fr, 3>{sig.s_x, -(sig.s_delta1 + sig.s_delta2), minus_c}),
      msm(std::array<G1, 2>{gpk.h, sig.t3}, std::array<Fr, 2>{-(sig.s_alpha + sig.s_beta), sig.c})};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&key.g2(), &key.w()};
  r.r3 = bls12_381::multi_pairing(ps, qs);
  Fr c = sign_challenge(key.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2, sig.t3, r);
  if (!(c == sig.c)) {
    return Status::error(ErrorCode::kAuthFailed, "group signature does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig
