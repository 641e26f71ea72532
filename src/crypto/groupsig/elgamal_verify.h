// BBS04-ElGamal verification of one signature (commitment form). Recomputes the challenge c
// from the signature's commitments and checks the three verification equations:
//   R1 == u^s_alpha T1^-c
//   R2 == T1^s_x u^-s_delta
//   R3 == e(T2^s_x h^-s_delta g1^-c, g2) * e(h^-s_alpha T2^c, w)
// (one product of two pairings with g2 and w prepared, one final exponentiation). Four
// variable-base multiplications (T1^-c, T1^s_x, T2^s_x, T2^c); the fixed bases g1, h, u use
// the prepared key's tables. Point, GT and scalar checks live in decode_signature; verify()
// assumes a decoded Signature. Many signatures at once: elgamal_batch_verify.h.
// Thread-safe: any number of threads may verify against one PreparedKey.
#pragma once

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

// Ok when `sig` is a valid signature on `message` under `key`. kInvalidInput when the
// signature's epoch is not the key's or T1/T2 is the identity; kAuthFailed when the proof
// does not verify.
Status verify(const PreparedKey& key, ByteSpan message, const Signature& sig);

// The checks verify() makes before the proof (epoch, identity T1/T2); verify_batch makes the
// same ones.
Status check_signature_form(const PreparedKey& key, const Signature& sig);

}  // namespace hc::groupsig::elgamal
