// BBS04-ElGamal: the Fiat-Shamir challenge of a signature, shared by sign, verify and
// verify_batch:
//   c = hash_to_fr(group key digest | epoch | message digest | T1 | T2 | R1 | R2 | R3,
//                  DST = "HC-GROUPSIG-BBS04-ELGAMAL-SIGN-CHALLENGE-V1")
// with points compressed, the epoch as u64 big-endian and R3 in GT's canonical 576-byte form.
// The signature carries the commitments R1..R3 (commitment form, encoding version 2); the
// hashed transcript is the one the challenge form (version 1) hashed. Pure function;
// thread-safe; constant time in the points (the signer's are secret-derived).
#pragma once

#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

// The challenge of `sig` (its epoch, T1, T2, R1, R2, R3) for a message digest.
Fr sign_challenge(const Digest32& gpk_digest, const Digest32& msg_digest, const Signature& sig);

// The same challenge read straight from a signature's canonical encoding (which must have
// decoded: the bytes of T1..R3 are then exactly the hashed forms), without re-encoding the
// points. For verifiers only (variable time is irrelevant: no secret is involved).
Fr sign_challenge_from_encoding(const Digest32& gpk_digest, const Digest32& msg_digest,
                                ByteSpan encoded_signature);

}  // namespace hc::groupsig::elgamal
