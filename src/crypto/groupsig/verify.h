// BBS04 verification. Recomputes R1..R5 from the signature and checks the challenge:
//   R1 = u^s_alpha T1^-c            R2 = v^s_beta T2^-c
//   R4 = T1^s_x u^-s_delta1         R5 = T2^s_x v^-s_delta2
//   R3 = e(T3^s_x h^-(s_delta1 + s_delta2) g1^-c, g2) * e(h^-(s_alpha + s_beta) T3^c, w)
// (R3 of the paper rewritten as one product of two pairings with one final exponentiation,
// with g2 and w prepared). Fixed bases g1, h, u, v use the prepared key's tables; the
// variable bases T1, T2, T3 use the pairing library's variable-time multiplication. The point and
// scalar checks live in decode_signature; verify() assumes a decoded Signature.
// Thread-safe: any number of threads may verify against one PreparedGroupKey.
#pragma once

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

// Ok when `sig` is a valid signature on `message` under `key`. kInvalidInput when the
// signature's epoch is not the key's, or T1/T2/T3 is the identity; kAuthFailed when the
// proof does not verify.
Status verify(const PreparedGroupKey& key, ByteSpan message, const Signature& sig);

}  // namespace hc::groupsig
