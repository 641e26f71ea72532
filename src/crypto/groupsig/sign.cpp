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

Signer::Signer(const MemberKey& key, Precompute mode)
    : key_(key), prepared_(key.gpk, Precompute::kNone) {
  switch (mode) {
    case Precompute::kNone:
      break;
    case Precompute::kTables: {
      const GroupPublicKey& gpk = key.gpk;
      g1_tables_.reserve(3);
      for (const G1* p : {&gpk.u, &gpk.v, &gpk.h}) g1_tables_.emplace_back(*p);
      std::array<G1, 1> a = {key.a};
      std::array<G1, 1> h = {gpk.h};
      std::array<const bls12_381::G2Prepared*, 1> g2 = {&prepared_.g2()};
      std::array<const bls12_381::G2Prepared*, 1> w = {&prepared_.w()};
      gt_tables_.reserve(3);
      gt_tables_.emplace_back(bls12_381::multi_pairing(a, g2));
      gt_tables_.emplace_back(bls12_381::multi_pairing(h, g2));
      gt_tables_.emplace_back(bls12_381::multi_pairing(h, w));
      break;
    }
  }
}

G1 Signer::mul(Base base, const Fr& k) const {
  if (!g1_tables_.empty()) return g1_tables_[base].pow_secret(k);
  switch (base) {
    case kU:
      return key_.gpk.u.mul_secret(k);
    case kV:
      return key_.gpk.v.mul_secret(k);
    case kH:
      return key_.gpk.h.mul_secret(k);
  }
  return G1::identity();  // unreachable: every Base is handled above
}

GT Signer::r3(const Fr& e_ag2, const Fr& e_hg2, const Fr& e_hw) const {
  if (!gt_tables_.empty()) {
    return gt_tables_[0].pow_secret(e_ag2) * gt_tables_[1].pow_secret(e_hg2) *
           gt_tables_[2].pow_secret(e_hw);
  }
  // e(A^e_ag2 h^e_hg2, g2) e(h^e_hw, w): one product of two pairings.
  std::array<G1, 2> ps = {key_.a.mul_secret(e_ag2) + mul(kH, e_hg2), mul(kH, e_hw)};
  std::array<const bls12_381::G2Prepared*, 2> qs = {&prepared_.g2(), &prepared_.w()};
  return bls12_381::multi_pairing(ps, qs);
}

Signature Signer::sign(ByteSpan message) const {
  const GroupPublicKey& gpk = key_.gpk;
  Nonces n;
  Fr alpha_beta = n.alpha + n.beta;
  Signature sig;
  sig.epoch = gpk.epoch;
  // Linear encryption of A: T1 = u^alpha, T2 = v^beta, T3 = A h^(alpha+beta).
  sig.t1 = mul(kU, n.alpha);
  sig.t2 = mul(kV, n.beta);
  sig.t3 = key_.a + mul(kH, alpha_beta);
  Fr delta1 = key_.x * n.alpha;
  Fr delta2 = key_.x * n.beta;

  // Commitments. R4 = T1^r_x u^-r_delta1 = u^(alpha r_x - r_delta1) since T1 = u^alpha, and
  // likewise R5, so both are single fixed-base multiplications.
  SignCommitments r;
  r.r1 = mul(kU, n.r_alpha);
  r.r2 = mul(kV, n.r_beta);
  Fr k4 = n.alpha * n.r_x - n.r_delta1;
  Fr k5 = n.beta * n.r_x - n.r_delta2;
  r.r4 = mul(kU, k4);
  r.r5 = mul(kV, k5);
  // R3 = e(T3, g2)^r_x e(h, w)^-(r_alpha + r_beta) e(h, g2)^-(r_delta1 + r_delta2)
  //    = e(A, g2)^r_x e(h, g2)^(r_x (alpha + beta) - r_delta1 - r_delta2) e(h, w)^-(r_alpha + r_beta).
  Fr k_hg2 = n.r_x * alpha_beta - n.r_delta1 - n.r_delta2;
  Fr k_hw = -(n.r_alpha + n.r_beta);
  r.r3 = r3(n.r_x, k_hg2, k_hw);

  sig.c = sign_challenge(prepared_.digest(), gpk.epoch, message_digest(message), sig.t1, sig.t2,
                         sig.t3, r);
  // Responses s = r + c * secret; the product c * secret lives in one named temporary, wiped.
  Fr c_secret;
  auto respond = [&c_secret, &sig](const Fr& blinding, const Fr& secret) {
    c_secret = sig.c * secret;
    return blinding + c_secret;
  };
  sig.s_alpha = respond(n.r_alpha, n.alpha);
  sig.s_beta = respond(n.r_beta, n.beta);
  sig.s_x = respond(n.r_x, key_.x);
  sig.s_delta1 = respond(n.r_delta1, delta1);
  sig.s_delta2 = respond(n.r_delta2, delta2);
  for (Fr* k : {&c_secret, &alpha_beta, &delta1, &delta2, &k4, &k5, &k_hg2, &k_hw}) k->wipe();
  return sig;
}

Signature sign(const MemberKey& key, ByteSpan message) {
  return Signer(key, Precompute::kNone).sign(message);
}

}  // namespace hc::groupsig
