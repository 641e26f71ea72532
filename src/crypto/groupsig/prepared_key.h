// A group public key with what verification reuses precomputed: the Miller-loop lines of
// g2 and w (the two G2 arguments of R3's pairing product), the key's digest bound by every
// challenge and, unless built with Precompute::kNone, fixed-base tables (fixed_base.h) for
// g1, h, u and v, which appear with public scalars in every verification. Build once per
// epoch (about 10 ms with tables, 2.4 MB); immutable afterwards, so one instance may
// be shared by any number of verifying threads.
#pragma once

#include <vector>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/groupsig/fixed_base.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

enum class Precompute { kNone, kTables };

class PreparedGroupKey {
 public:
  enum Base { kG1 = 0, kH = 1, kU = 2, kV = 3 };

  // `gpk` must satisfy check_gpk (decode_gpk guarantees it); checked, a violation aborts.
  explicit PreparedGroupKey(const GroupPublicKey& gpk, Precompute mode = Precompute::kTables);

  const GroupPublicKey& gpk() const { return gpk_; }
  std::uint64_t epoch() const { return gpk_.epoch; }
  const Digest32& digest() const { return digest_; }
  const bls12_381::G2Prepared& g2() const { return g2_; }
  const bls12_381::G2Prepared& w() const { return w_; }
  // base^k for a public scalar k (variable time), from the table when there is one.
  G1 mul_public(Base base, const Fr& k) const;

 private:
  GroupPublicKey gpk_;
  Digest32 digest_;
  bls12_381::G2Prepared g2_;
  bls12_381::G2Prepared w_;
  std::vector<FixedBaseG1Public> tables_;  // indexed by Base; empty with Precompute::kNone
};

}  // namespace hc::groupsig
