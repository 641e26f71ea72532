#include "crypto/threshold/fr_lagrange.h"

namespace hc::crypto::threshold {

Result<bls12_381::Fr> fr_lagrange_coefficient(const std::vector<std::uint16_t>& indices, std::uint16_t i,
                                              std::uint16_t x) {
  using bls12_381::Fr;
  Fr numerator = Fr::one();
  Fr denominator = Fr::one();
  bool found = false;
  for (std::size_t a = 0; a < indices.size(); ++a) {
    const std::uint16_t k = indices[a];
    if (k == 0) return invalid_input("trustee index 0 is not allowed");
    for (std::size_t b = a + 1; b < indices.size(); ++b) {
      if (indices[b] == k) return invalid_input("trustee indices must be distinct");
    }
    if (k == i) {
      found = true;
      continue;
    }
    numerator = numerator * (Fr::from_u64(x) - Fr::from_u64(k));
    denominator = denominator * (Fr::from_u64(i) - Fr::from_u64(k));
  }
  if (!found) return invalid_input("trustee is not among the indices");
  return numerator * denominator.inverse();
}

}  // namespace hc::crypto::threshold
