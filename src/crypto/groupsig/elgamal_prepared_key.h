// BBS04-ElGamal: a group key with what verification reuses precomputed — the Miller-loop
// lines of g2 and w, the key's digest (bound by every challenge) and, unless built with
// Precompute::kNone, radix-256 fixed-base tables (fixed_base.h) for g1, h and u, the bases
// that verification raises to public scalars. Build once per epoch; immutable afterwards, so
// one instance may be shared by any number of verifying threads.
#pragma once

#include <vector>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/groupsig/elgamal_types.h"
#include "crypto/groupsig/fixed_base.h"
#include "crypto/groupsig/prepared_key.h"

namespace hc::groupsig::elgamal {

class PreparedKey {
 public:
  enum Base { kG1 = 0, kH = 1, kU = 2 };

  // `gpk` must pass check_group_key (decode_group_key guarantees it); a violation aborts.
  explicit PreparedKey(const GroupKey& gpk, Precompute mode = Precompute::kTables);

  const GroupKey& gpk() const { return gpk_; }
  std::uint64_t epoch() const { return gpk_.epoch; }
  const Digest32& digest() const { return digest_; }
  const bls12_381::G2Prepared& g2() const { return g2_; }
  const bls12_381::G2Prepared& w() const { return w_; }
  // base^k for a public scalar k (variable time), from the table when there is one.
  G1 mul_public(Base base, const Fr& k) const;

 private:
  GroupKey gpk_;
  Digest32 digest_;
  bls12_381::G2Prepared g2_;
  bls12_381::G2Prepared w_;
  std::vector<FixedBaseG1Public> tables_;  // indexed by Base; empty with Precompute::kNone
};

}  // namespace hc::groupsig::elgamal
