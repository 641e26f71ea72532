// Revocation (BBS04 section 7) and the epochs it creates.
//
// Revoking the member with key (A*, x*) of epoch e publishes a record with A*, x* and
// g2' = g2^(1/(gamma + x*)) (computed by the issuer, who knows gamma). The key of epoch e+1 is
//   g1' = A* = g1^(1/(gamma + x*)),  g2' ,  w' = g2 g2'^(-x*) = g2'^gamma,  h, u, v unchanged,
// so (g1', g2') = (g1, g2)^(1/(gamma + x*)): both generators move by the same exponent, which
// is the relation g1' = psi(g2') of the paper without needing psi. Anyone checks a record
// against the old key with pairings:
//   e(A*, w g2^x*) = e(g1, g2)   (A* is a valid key of epoch e for x*)
//   e(A*, g2) = e(g1, g2')       (g2' moves g2 like A* moves g1)
// A non-revoked member (A, x) updates from the record alone:
//   A' = (A / A*)^(1/(x* - x)) = g1'^(1/(gamma + x)).
// The issuer moves the public registry with gamma: A' = A^(1/(gamma + x*)); anyone can check
// each entry with e(A', g2) = e(A, g2'). The revoked member cannot update (x = x*) and,
// under q-SDH, cannot sign for epoch e+1. Note that the record makes (A*, x*) public, so
// signatures dated epoch e can be produced by anyone afterwards: verifiers must only accept
// epoch-e signatures made before the record was published (the ledger's ordering decides).
// Pure functions, thread-safe; revoke() mutates the issuer key it is given.
#pragma once

#include <string_view>

#include "common/status.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

struct Revocation {
  RevocationRecord record;
  GroupPublicKey gpk;  // the new epoch's key
  Registry registry;   // the new epoch's registry (without the revoked member)
};

// Issuer: revokes `member` (must be in `registry`, the current epoch's). Marks it revoked in
// `issuer`. kNotFound for an unknown member; kInvalidInput for mismatched keys or epochs.
Result<Revocation> revoke(IssuerKey& issuer, const GroupPublicKey& gpk, const Registry& registry,
                          std::string_view member);

// Anyone: checks `rec` against the old epoch's key (epoch, digest and the two pairing
// equations). kInvalidInput for a record of another epoch or key, kAuthFailed when the
// pairing equations fail.
Status check_revocation(const GroupPublicKey& old_gpk, const RevocationRecord& rec);

// Anyone: the next epoch's group key from the old one and a record (checked first).
Result<GroupPublicKey> next_gpk(const GroupPublicKey& old_gpk, const RevocationRecord& rec);

// Member: the key for the record's epoch. kAuthFailed when the key is the revoked one,
// errors of check_revocation otherwise.
Result<MemberKey> update_member_key(const MemberKey& key, const RevocationRecord& rec);

// Anyone: checks that `new_reg` is `old_reg` moved by `rec` (same members minus the revoked
// one, each A' with e(A', g2) = e(A, g2')). kAuthFailed / kInvalidInput on mismatch.
Status check_registry_update(const GroupPublicKey& old_gpk, const Registry& old_reg,
                             const RevocationRecord& rec, const Registry& new_reg);

// Checks e(A, w g2^x) = e(g1, g2) for a member key; kInvalidInput if not.
Status check_member_key(const MemberKey& key);

}  // namespace hc::groupsig
