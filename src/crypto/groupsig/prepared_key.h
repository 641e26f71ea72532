// A group public key with what verification reuses precomputed: the Miller-loop lines of
// g2 and w (the two G2 arguments of R3's pairing product) and the key's digest bound by
// every challenge. Build once per epoch; immutable afterwards, so one instance may be shared
// by any number of verifying threads.
#pragma once

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

class PreparedGroupKey {
 public:
  // `gpk` must satisfy check_gpk (decode_gpk guarantees it); checked, a violation aborts.
  explicit PreparedGroupKey(const GroupPublicKey& gpk);

  const GroupPublicKey& gpk() const { return gpk_; }
  std::uint64_t epoch() const { return gpk_.epoch; }
  const Digest32& digest() const { return digest_; }
  const bls12_381::G2Prepared& g2() const { return g2_; }
  const bls12_381::G2Prepared& w() const { return w_; }

 private:
  GroupPublicKey gpk_;
  Digest32 digest_;
  bls12_381::G2Prepared g2_;
  bls12_381::G2Prepared w_;
};

}  // namespace hc::groupsig
