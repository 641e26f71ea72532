// BBS04 signing: sigma = (T1, T2, T3, c, s_alpha, s_beta, s_x, s_delta1, s_delta2) on a
// message, in the epoch of the member's key.
//
// A Signer holds a member key and the prepared group key. Built with Precompute::kTables
// (the default) it also holds fixed-base tables (fixed_base.h) for u, v, h in G1 and for
// e(A, g2), e(h, g2), e(h, w) in GT, so that a signature needs no pairing at all: R3 is
//   R3 = e(A, g2)^r_x e(h, g2)^(r_x (alpha+beta) - r_delta1 - r_delta2) e(h, w)^-(r_alpha+r_beta)
// (the paper's R3 with T3 = A h^(alpha+beta) expanded). Building the tables costs a pairing
// and about 3000 group operations (tens of milliseconds) and 2.2 MB, so build a Signer once
// and sign many messages. With Precompute::kNone, R3 is one product of two pairings.
// sign() is const and may be called from several threads at once.
#pragma once

#include <vector>

#include "common/bytes.h"
#include "crypto/groupsig/fixed_base.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

class Signer {
 public:
  // `key` must be a well-formed key (decode_member_key guarantees the group key checks).
  explicit Signer(const MemberKey& key, Precompute mode = Precompute::kTables);

  Signature sign(ByteSpan message) const;
  const PreparedGroupKey& prepared() const { return prepared_; }

 private:
  enum Base { kU = 0, kV = 1, kH = 2 };
  G1 mul(Base base, const Fr& k) const;  // constant time in k
  // R3 from its three exponents: of e(A, g2), of e(h, g2) and of e(h, w).
  GT r3(const Fr& e_ag2, const Fr& e_hg2, const Fr& e_hw) const;

  MemberKey key_;
  PreparedGroupKey prepared_;
  std::vector<FixedBaseG1> g1_tables_;  // indexed by Base; empty with Precompute::kNone
  std::vector<FixedBaseGT> gt_tables_;  // e(A, g2), e(h, g2), e(h, w); empty with kNone
};

// One-shot convenience: signs without building tables (for a single signature).
Signature sign(const MemberKey& key, ByteSpan message);

}  // namespace hc::groupsig
