// Lagrange interpolation over the BLS12-381 scalar field Fr at public trustee indices, for
// the opener key's shares (the access key's P-256 version is lagrange_at_zero in combine.h).
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "crypto/bls12_381/bls12_381.h"

namespace hc::crypto::threshold {

// L_i(x) = prod_{k in indices, k != i} (x - k) / (i - k) mod r. kInvalidInput when an index
// is 0, indices repeat, or i is not among them.
Result<bls12_381::Fr> fr_lagrange_coefficient(const std::vector<std::uint16_t>& indices, std::uint16_t i,
                                              std::uint16_t x);

}  // namespace hc::crypto::threshold
