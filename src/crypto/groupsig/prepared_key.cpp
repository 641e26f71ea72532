#include "crypto/groupsig/prepared_key.h"

#include "common/check.h"
#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/encoding.h"

namespace hc::groupsig {

PreparedGroupKey::PreparedGroupKey(const GroupPublicKey& gpk)
    : gpk_(gpk), digest_(gpk_digest(gpk)), g2_(gpk.g2), w_(gpk.w) {
  HC_CHECK(check_gpk(gpk).ok());
}

}  // namespace hc::groupsig
