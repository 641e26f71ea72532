#include "crypto/threshold/dkg_params.h"

#include <string>

#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

Status check_dkg_params(const DkgParams& params) {
  const std::size_t m = params.trustee_keys.size();
  if (m == 0 || m > kMaxTrustees) return invalid_input("a DKG needs 1 to 64 trustees, not " + std::to_string(m));
  if (params.threshold == 0 || params.threshold > m) {
    return invalid_input("threshold " + std::to_string(params.threshold) + " is not between 1 and " +
                         std::to_string(m));
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      if (params.trustee_keys[i] == params.trustee_keys[j]) {
        return invalid_input("trustees " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                             " have the same key");
      }
    }
  }
  return Status::ok_status();
}

Digest32 dkg_params_digest(const DkgParams& params) {
  Bytes msg;
  append_tag(msg, "HC-DKG-PARAMS-v1");
  append_bytes(msg, params.chain_id);
  append_u64_be(msg, params.epoch);
  append_u16_be(msg, params.threshold);
  append_u16_be(msg, params.trustees());
  for (const P256Point& key : params.trustee_keys) append_point(msg, key);
  return sha256(msg);
}

Status check_trustee_index(const DkgParams& params, std::uint16_t index, std::string_view role) {
  if (index == 0 || index > params.trustees()) {
    return invalid_input(std::string(role) + " index " + std::to_string(index) + " is not between 1 and " +
                         std::to_string(params.trustees()));
  }
  return Status::ok_status();
}

}  // namespace hc::crypto::threshold
