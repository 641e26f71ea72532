// BBS04-ElGamal opening by a single opener (the paper's single-manager mode), with a proof,
// and the judge that checks it. The trustees' threshold opening is in
// crypto/threshold/partial_opening.h and opening_evidence.h.
//
// open: A = T2 / T1^xi, looked up in the registry of the signature's epoch. Proof: the
// Chaum-Pedersen proof (g1_dleq.h) that log_u(h) = log_T1(T2 / A) under
// DST "HC-GROUPSIG-BBS04-ELGAMAL-OPEN-PROOF-V1" with context
//   group key digest | epoch | message digest | signature digest | member name | A.
// Since h fixes xi and xi fixes the decryption of (T1, T2), a valid proof shows that the
// signature opens to exactly that member's A. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

struct Opening {
  std::string member;
  OpeningProof proof;
};

// ElGamal decryption proper: A = T2 / T1^xi (no check of the signature). Constant time in xi.
G1 recover_signer_key(const OpenerKey& opener, const Signature& sig);

// The one registry entry holding `a`: kNotFound if none, kInvalidInput if several.
Result<const RegistryEntry*> find_member_by_key(const Registry& registry, const G1& a);

// Verifies the signature, opens it and proves the opening. kAuthFailed if the signature does
// not verify; kInvalidInput for a registry or signature of another epoch; kNotFound if the
// recovered A is nobody's in the registry.
Result<Opening> open(const PreparedKey& key, const OpenerKey& opener, const Registry& registry,
                     ByteSpan message, const Signature& sig);

// Ok when `proof` shows that `member` (as listed in `registry`) made `sig` on `message`; also
// verifies the signature. kAuthFailed for a proof that fails or names another member, or an
// invalid signature; kInvalidInput / kNotFound for epoch mismatches or an unknown member.
Status judge(const PreparedKey& key, const Registry& registry, ByteSpan message,
             const Signature& sig, const OpeningProof& proof, std::string_view member);

}  // namespace hc::groupsig::elgamal
