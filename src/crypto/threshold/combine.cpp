#include "crypto/threshold/combine.h"

#include <algorithm>

namespace hc::crypto::threshold {

Result<P256Scalar> lagrange_at_zero(const std::vector<std::uint16_t>& indices, std::uint16_t j) {
  P256Scalar numerator = P256Scalar::from_u64(1);
  P256Scalar denominator = P256Scalar::from_u64(1);
  bool found = false;
  for (std::uint16_t k : indices) {
    if (k == 0) return invalid_input("trustee index 0 is not allowed");
    if (k == j) {
      if (found) return invalid_input("trustee indices must be distinct");
      found = true;
      continue;
    }
    numerator = numerator * P256Scalar::from_u64(k);
    denominator = denominator * (P256Scalar::from_u64(k) - P256Scalar::from_u64(j));
  }
  if (!found) return invalid_input("trustee is not among the indices");
  HC_ASSIGN_OR_RETURN(P256Scalar inverse, denominator.inverse());
  return numerator * inverse;
}

Result<CombinedDecryption> combine_decryption_shares(const AccessKeyPublic& key, const RequestId& request_id,
                                                     const P256Point& ephemeral,
                                                     const std::vector<DecryptionShare>& shares) {
  CombinedDecryption out;
  HC_ASSIGN_OR_RETURN(
      std::vector<const DecryptionShare*> valid,
      choose_valid_answers(shares, key.threshold, "decryption shares",
                           [&](const DecryptionShare& share) {
                             return verify_decryption_share(key, request_id, ephemeral, share);
                           },
                           out.rejected));
  for (const DecryptionShare* share : valid) out.used.push_back(share->trustee);
  bool first = true;
  for (const DecryptionShare* share : valid) {
    HC_ASSIGN_OR_RETURN(P256Scalar lambda, lagrange_at_zero(out.used, share->trustee));
    P256Point term = share->partial.mul(lambda);
    out.shared = first ? term : out.shared + term;
    first = false;
  }
  if (out.shared.is_infinity()) return invalid_input("combined decryption is the point at infinity");
  return out;
}

}  // namespace hc::crypto::threshold
