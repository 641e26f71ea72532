// Two public scalars on one variable G1 base, sharing the doublings: (a T, b T).
//
// Verification multiplies each of T1, T2, T3 by two public scalars (c and s_x). Writing
// k = k0 + 2^127 k1 and T' = 2^127 T (127 doublings, done once for both scalars), each
// product is an interleaved width-5 wNAF over (T, T') with about 128 doublings instead of
// 255, so the pair costs about 383 doublings instead of 510. Variable time: public scalars only.
// Pure function; thread-safe.
#pragma once

#include <utility>

#include "crypto/groupsig/types.h"

namespace hc::groupsig {

std::pair<G1, G1> mul2_public(const G1& t, const Fr& a, const Fr& b);

}  // namespace hc::groupsig
