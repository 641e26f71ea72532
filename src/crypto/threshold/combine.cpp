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
  std::vector<const DecryptionShare*> valid;
  for (const DecryptionShare& share : shares) {
    Status status = verify_decryption_share(key, request_id, ephemeral, share);
    if (!status.ok()) {
      out.rejected.push_back({share.trustee, status.message()});
      continue;
    }
    bool duplicate = std::any_of(valid.begin(), valid.end(),
                                 [&](const DecryptionShare* v) { return v->trustee == share.trustee; });
    if (duplicate) {
      out.rejected.push_back({share.trustee, "trustee " + std::to_string(share.trustee) + " answered twice"});
      continue;
    }
    valid.push_back(&share);
  }
  if (valid.size() < key.threshold) {
    std::string message = "only " + std::to_string(valid.size()) + " valid decryption shares of the " +
                          std::to_string(key.threshold) + " needed";
    for (std::size_t i = 0; i < out.rejected.size(); ++i) {
      message += (i == 0 ? " (" : "; ") + out.rejected[i].reason;
    }
    if (!out.rejected.empty()) message += ")";
    return invalid_input(message);
  }
  std::sort(valid.begin(), valid.end(),
            [](const DecryptionShare* a, const DecryptionShare* b) { return a->trustee < b->trustee; });
  valid.resize(key.threshold);
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
