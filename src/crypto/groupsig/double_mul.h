// Two public scalars on one variable G1 base, sharing the doublings: (a T, b T).
//
// Verification multiplies each of T1, T2, T3 by two public scalars (c and s_x). Writing
// k = sum_j k_j 2^(64 j) (four 64-bit chunks) and T_j = 2^(64 j) T (192 doublings, done once
// for both scalars), each product is an interleaved width-5 wNAF over T_0..T_3 with 64
// doublings instead of 255, so the pair costs about 320 doublings instead of 510 (and a few
// more additions). Variable time: public scalars only. Pure function; thread-safe.
#pragma once

#include <utility>

#include "crypto/groupsig/types.h"

namespace hc::groupsig {

std::pair<G1, G1> mul2_public(const G1& t, const Fr& a, const Fr& b);

}  // namespace hc::groupsig
