// The Fiat-Shamir challenge of a BBS04 signature, shared by sign and verify:
//   c = hash_to_fr(gpk digest | epoch | message digest | T1 | T2 | T3 | R1 | R2 | R3 | R4 | R5,
//                  DST = kDstSignChallenge)
// with points compressed, epoch as u64 big-endian and R3 in GT's canonical 576-byte form.
// Pure function; thread-safe.
#pragma once

#include <cstdint>

#include "crypto/groupsig/types.h"

namespace hc::groupsig {

struct SignCommitments {
  G1 r1;
  G1 r2;
  GT r3;
  G1 r4;
  G1 r5;
};

Fr sign_challenge(const Digest32& gpk_digest, std::uint64_t epoch, const Digest32& msg_digest,
                  const G1& t1, const G1& t2, const G1& t3, const SignCommitments& r);

}  // namespace hc::groupsig
