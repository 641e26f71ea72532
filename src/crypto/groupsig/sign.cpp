#include "crypto/groupsig/sign.h"

#include <array>

#include "crypto/groupsig/challenge.h"
#include "crypto/groupsig/digest.h"

namespace hc::groupsig {
namespace {

// The signer's ephemeral secrets (BBS04 section 6): alpha, beta and the five blinding values.
struct Nonces {
  Fr alpha = Fr::random_nonzero();
  Fr beta = Fr::random_nonzero();
  Fr r_alpha = Fr::random();
  Fr r_beta = Fr::random();
  Fr r_x = Fr::random();
  Fr r_delta1 = Fr::random();
  Fr r_delta2 = Fr::random();
  ~Nonces() {
    for (Fr* k : {&alpha, &beta, &r_alpha, &r_beta, &r_x, &r_delta1, &r_delta2}) k->wipe();
  }
};

}  // namespace

Signer::Signer(const MemberKey& key) : key_(key), prepared_(key.gpk) {}

Signature Signer::sign(ByteSpan message) const {
  const GroupPublicKey& gpk = key_.gpk;
  Nonces n;
  Fr alpha_beta = n.alpha + n.beta;
  Signature sig;
  sig.epoch = gpk.epoch;
  // Linear encryption of A: T1 = u^alpha, T2 = v^beta, T3 = A h^(alpha+beta).
  sig.t1 = gpk.u.mul_secret(n.alpha);
  sig.t2 = gpk.v.mul_secret(n.beta);
  sig.t3 = key_.a + gpk.h.mul_secret(alpha_beta);
  Fr delta1 = key_.x * n.alpha;
  Fr delta2 = key_.x * n.beta;

  // Commitments. R4 = T1^r_x u^-r_delta1 = u^(alpha r_x - r_delta1) since T1 = u^alpha, and
  // likewise R5, so both are single fixed-base multiplications.
  SignCommitments r;
  r.r1 = gpk.u.mul_secret(n.r_alpha);
  r.r2 = gpk.v.mul_secret(n.r_beta);
  Fr k4 = n.alpha * n.r_x - n.r_delta1;
  Fr k5 = n.beta * n.r_x - n.r_delta2;
  r.r4 = gpk.u.mul_secret(k4);
  r.r5 = gpk.v.mul_secret(k5);
  // R3 = e(T3, g2)^r_x e(h, w)^-(r_alpha + r_beta) e(h, g2)^-(r_delta1 + r_delta2)
  //    = e(T3^r_x h^-(r_delta1 + r_delta2), g2) e(h^-(r_alpha + r_beta), w), where
  //   T3^r_x h^-(r_delta1 + r_delta2) = A^r_x h^(r_x (alpha + beta) - r_delta1 - r_delta2).
  Fr kp = n.r_x * alpha_beta - n.r_delta1 - n.r_delta2;
  Fr kq = -(n.r_alpha + n.r_beta);
  std::array<G1, 2> ps = {key_.a.mul_secret(n.r_x) + gpk.h.mul_secret(kp), gpk.h.mul_secret(kq)};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&prepared_.g2(), &prepared_.w()};
  r.r3 = bls12_381::multi_pairing(ps, qs);

  sig.c = sign_challenge(prepared_.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2,
                         sig.t3, r);
  sig.s_alpha = n.r_alpha + sig.c * n.alpha;
  sig.s_beta = n.r_beta + sig.c * n.beta;
  sig.s_x = n.r_x + sig.c * key_.x;
  sig.s_delta1 = n.r_delta1 + sig.c * delta1;
  sig.s_delta2 = n.r_delta2 + sig.c * delta2;
  for (Fr* k : {&alpha_beta, &delta1, &delta2, &k4, &k5, &kp, &kq}) k->wipe();
  return sig;
}

Signature sign(const MemberKey& key, ByteSpan message) { return Signer(key).sign(message); }

}  // namespace hc::groupsig
