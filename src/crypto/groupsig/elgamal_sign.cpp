#include "crypto/groupsig/elgamal_sign.h"

#include <array>

#include "crypto/groupsig/elgamal_challenge.h"
#include "crypto/groupsig/elgamal_encoding.h"

namespace hc::groupsig::elgamal {
namespace {

// The signer's ephemeral secrets: alpha and the three blinding values.
struct ElGamalNonces {
  Fr alpha = Fr::random_nonzero();
  Fr r_alpha = Fr::random();
  Fr r_x = Fr::random();
  Fr r_delta = Fr::random();
  ~ElGamalNonces() {
    for (Fr* k : {&alpha, &r_alpha, &r_x, &r_delta}) k->wipe();
  }
};

}  // namespace

Signer::Signer(const MemberKey& key, Precompute mode)
    : key_(key), prepared_(key.gpk, Precompute::kNone) {
  switch (mode) {
    case Precompute::kNone:
      break;
    case Precompute::kTables: {
      const GroupKey& gpk = key.gpk;
      g1_tables_.reserve(2);
      for (const G1* p : {&gpk.u, &gpk.h}) g1_tables_.emplace_back(*p);
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
  const GroupKey& gpk = key_.gpk;
  ElGamalNonces n;
  Signature sig;
  sig.epoch = gpk.epoch;
  // ElGamal encryption of A under h with base u.
  sig.t1 = mul(kU, n.alpha);
  sig.t2 = key_.a + mul(kH, n.alpha);
  Fr delta = key_.x * n.alpha;

  // The commitments travel in the signature (commitment form).
  sig.r1 = mul(kU, n.r_alpha);
  Fr k2 = n.alpha * n.r_x - n.r_delta;  // R2 = u^k2, and the exponent of e(h, g2) in R3
  sig.r2 = mul(kU, k2);
  Fr k_hw = -n.r_alpha;
  sig.r3 = r3(n.r_x, k2, k_hw);

  const Fr c = sign_challenge(prepared_.digest(), message_digest(message), sig);
  // Responses s = r + c * secret; the product c * secret lives in one named temporary, wiped.
  Fr c_secret;
  auto respond = [&c_secret, &c](const Fr& blinding, const Fr& secret) {
    c_secret = c * secret;
    return blinding + c_secret;
  };
  sig.s_alpha = respond(n.r_alpha, n.alpha);
  sig.s_x = respond(n.r_x, key_.x);
  sig.s_delta = respond(n.r_delta, delta);
  for (Fr* k : {&c_secret, &delta, &k2, &k_hw}) k->wipe();
  return sig;
}

Signature sign(const MemberKey& key, ByteSpan message) {
  return Signer(key, Precompute::kNone).sign(message);
}

}  // namespace hc::groupsig::elgamal
