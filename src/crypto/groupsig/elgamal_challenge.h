// BBS04-ElGamal: the Fiat-Shamir challenge of a signature, shared by sign and verify:
//   c = hash_to_fr(group key digest | epoch | message digest | T1 | T2 | R1 | R2 | R3,
//                  DST = "HC-GROUPSIG-BBS04-ELGAMAL-SIGN-CHALLENGE-V1")
// with points compressed, the epoch as u64 big-endian and R3 in GT's canonical 576-byte form.
// Pure function; thread-safe.
#pragma once

#include <cstdint>

#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

struct SignCommitments {
  G1 r1;  // u^r_alpha
  G1 r2;  // T1^r_x u^-r_delta
  GT r3;  // e(T2, g2)^r_x e(h, w)^-r_alpha e(h, g2)^-r_delta
};

Fr sign_challenge(const Digest32& gpk_digest, std::uint64_t epoch, const Digest32& msg_digest,
                  const G1& t1, const G1& t2, const SignCommitments& r);

}  // namespace hc::groupsig::elgamal
