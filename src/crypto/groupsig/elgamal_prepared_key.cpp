#include "crypto/groupsig/elgamal_prepared_key.h"

#include "common/check.h"
#include "crypto/groupsig/elgamal_encoding.h"

namespace hc::groupsig::elgamal {

PreparedKey::PreparedKey(const GroupKey& gpk, Precompute mode)
    : gpk_(gpk), digest_(group_key_digest(gpk)), g2_(gpk.g2), w_(gpk.w) {
  HC_CHECK(check_group_key(gpk).ok());
  switch (mode) {
    case Precompute::kNone:
      break;
    case Precompute::kTables:
      tables_.reserve(3);
      for (const G1* p : {&gpk.g1, &gpk.h, &gpk.u}) tables_.emplace_back(*p);
      break;
  }
}

G1 PreparedKey::mul_public(Base base, const Fr& k) const {
  if (!tables_.empty()) return tables_[base].pow_public(k);
  switch (base) {
    case kG1:
      return gpk_.g1.mul_public(k);
    case kH:
      return gpk_.h.mul_public(k);
    case kU:
      return gpk_.u.mul_public(k);
  }
  return G1::identity();  // unreachable: every Base is handled above
}

}  // namespace hc::groupsig::elgamal
