// Opening (BBS04 Open) with a proof of correct opening, and the judge that checks it.
//
// open: A = T3 / (T1^xi1 T2^xi2), looked up in the registry of the signature's epoch. The
// proof is a Schnorr (Fiat-Shamir) proof of knowledge of xi1, xi2 with
//   u^xi1 = h,  v^xi2 = h,  T1^xi1 T2^xi2 = T3 / A:
// commitments K1 = u^k1, K2 = v^k2, K3 = T1^k1 T2^k2; challenge
//   c = hash_to_fr(gpk digest | epoch | message digest | signature digest | member | A |
//                  K1 | K2 | K3, DST = kDstOpenChallenge);
// responses s_xi1 = k1 + c xi1, s_xi2 = k2 + c xi2. Since u, v, h fix xi1 and xi2, a valid
// proof shows that the opening of the signature is exactly that member's A: the opener
// cannot blame a member who did not sign. Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

struct Opening {
  std::string member;
  OpeningProof proof;
};

// BBS04 Open proper: A = T3 / (T1^xi1 T2^xi2), with no check of the signature (open() below
// verifies first). Constant time in the opener key.
G1 recover_signer_key(const OpenerKey& opener, const Signature& sig);

// Verifies the signature, opens it and proves the opening. kAuthFailed if the signature does
// not verify; kInvalidInput if the registry or signature is of another epoch; kNotFound if
// the recovered A belongs to nobody in the registry (the registry is not the issuer's).
Result<Opening> open(const PreparedGroupKey& key, const OpenerKey& opener,
                     const Registry& registry, ByteSpan message, const Signature& sig);

// Ok when `proof` shows that `member` (as listed in `registry`) made `sig` on `message`.
// Also verifies the signature itself. kAuthFailed for a proof that does not verify, a proof
// naming another member, or an invalid signature; kInvalidInput / kNotFound for epoch
// mismatches or a member missing from the registry.
Status judge(const PreparedGroupKey& key, const Registry& registry, ByteSpan message,
             const Signature& sig, const OpeningProof& proof, std::string_view member);

}  // namespace hc::groupsig
