// Library-internal access to Fr: the modulus, Montgomery constants and the canonical
// (non-Montgomery) limbs of a scalar, used by scalar multiplication and exponentiation.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/mont.h"

namespace hc::bls12_381::fr_detail {

inline constexpr std::uint64_t kR[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                        0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
inline constexpr mont::Consts<4> kC = mont::make_consts<4>(kR);

// The scalar as a little-endian integer in [0, r). Constant time.
void to_canonical(const Fr& k, std::uint64_t out[4]);
// The Fr with canonical value `limbs` (must be < r).
Fr from_canonical(const std::uint64_t limbs[4]);

}  // namespace hc::bls12_381::fr_detail
