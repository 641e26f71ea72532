#include "crypto/groupsig/prepared_key.h"

#include "common/check.h"
#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/encoding.h"

namespace hc::groupsig {

PreparedGroupKey::PreparedGroupKey(const GroupPublicKey& gpk, Precompute mode)
    : gpk_(gpk), digest_(gpk_digest(gpk)), g2_(gpk.g2), w_(gpk.w) {
  HC_CHECK(check_gpk(gpk).ok());
  switch (mode) {
    case Precompute::kNone:
      break;
    case Precompute::kTables:
      tables_.reserve(4);
      for (const G1* p : {&gpk.g1, &gpk.h, &gpk.u, &gpk.v}) tables_.emplace_back(*p);
      break;
  }
}

G1 PreparedGroupKey::mul_public(Base base, const Fr& k) const {
  if (!tables_.empty()) return tables_[base].pow_public(k);
  switch (base) {
    case kG1:
      return gpk_.g1.mul_public(k);
    case kH:
      return gpk_.h.mul_public(k);
    case kU:
      return gpk_.u.mul_public(k);
    case kV:
      return gpk_.v.mul_public(k);
  }
  return G1::identity();  // unreachable: every Base is handled above
}

}  // namespace hc::groupsig
