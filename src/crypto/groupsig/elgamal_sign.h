// BBS04-ElGamal signing: sigma = (T1, T2, R1, R2, R3, s_alpha, s_x, s_delta) on a message,
// in the epoch of the member's key (commitment form, elgamal_types.h). With alpha random,
// delta = x alpha and blinding values r_alpha, r_x, r_delta:
//   T1 = u^alpha, T2 = A h^alpha
//   R1 = u^r_alpha
//   R2 = T1^r_x u^-r_delta = u^(alpha r_x - r_delta)
//   R3 = e(T2, g2)^r_x e(h, w)^-r_alpha e(h, g2)^-r_delta
//      = e(A, g2)^r_x e(h, g2)^(alpha r_x - r_delta) e(h, w)^-r_alpha
//   c = sign_challenge(...) (elgamal_challenge.h); s = r + c * secret for alpha, x, delta;
//   the signature carries R1, R2, R3 and the responses (not c).
// Built with Precompute::kTables (the default) the Signer holds constant-time fixed-base
// tables for u, h in G1 and for e(A, g2), e(h, g2), e(h, w) in GT, so that signing needs no
// pairing; with kNone, R3 is one product of two pairings. sign() is const and may be called
// from several threads at once.
#pragma once

#include <vector>

#include "common/bytes.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/groupsig/fixed_base.h"

namespace hc::groupsig::elgamal {

class Signer {
 public:
  // `key` must be a well-formed key (its group key passes check_group_key; checked).
  explicit Signer(const MemberKey& key, Precompute mode = Precompute::kTables);

  Signature sign(ByteSpan message) const;

 private:
  enum Base { kU = 0, kH = 1 };
  G1 mul(Base base, const Fr& k) const;  // constant time in k
  // R3 from its three exponents: of e(A, g2), of e(h, g2) and of e(h, w).
  GT r3(const Fr& e_ag2, const Fr& e_hg2, const Fr& e_hw) const;

  MemberKey key_;
  PreparedKey prepared_;
  std::vector<FixedBaseG1> g1_tables_;  // indexed by Base; empty with Precompute::kNone
  std::vector<FixedBaseGT> gt_tables_;  // e(A, g2), e(h, g2), e(h, w); empty with kNone
};

// One-shot convenience: signs without building tables.
Signature sign(const MemberKey& key, ByteSpan message);

}  // namespace hc::groupsig::elgamal
