// Group setup and member enrollment (BBS04 KeyGen, split between an issuer and an opener).
//
// setup(): g1, g2 are the standard generators (BLS12-381 has no efficient psi: G2 -> G1, so
// g1 is not psi(g2); the scheme only needs e(g1, g2) != 1, and revocation moves g1 and g2
// by the same exponent, see revocation.h). h is random, u = h^(1/xi1), v = h^(1/xi2),
// w = g2^gamma. enroll(): x random, A = g1^(1/(gamma + x)). Not thread-safe on a shared
// IssuerKey or Registry (they are mutated); otherwise pure.
#pragma once

#include <string_view>

#include "common/status.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

struct GroupSetup {
  GroupPublicKey gpk;  // epoch 0
  IssuerKey issuer;
  OpenerKey opener;
  Registry registry;  // epoch 0, empty
};

GroupSetup setup();

// Trustees mode (issue 13; docs/groupsig.md, "Issuer and opener"): a group with no BBS04 opener
// at all. The opener part of the key is explicitly void, h = v = u, so nobody holds a secret
// that opens (and the key shows it: has_no_opener). With it, any BBS04 signature would open
// for everyone (T3 / (T1 T2) = A), which is why a trustees chain accepts none: its records are
// signed with BBS04-ElGamal under the trustees' jointly generated key (elgamal_keys.h), whose
// base is this u. The issuer key holds gamma and the issued members, what enrolling and
// revoking need.
struct IssuerSetup {
  GroupPublicKey gpk;  // epoch 0, h = v = u
  IssuerKey issuer;
  Registry registry;  // epoch 0, empty
};
IssuerSetup setup_without_opener();
// True when the key's BBS04 opener part is void (h = v = u), as setup_without_opener makes it.
bool has_no_opener(const GroupPublicKey& gpk);

// Checks that `issuer` is the key behind `gpk` (w = g2^gamma); kInvalidInput otherwise.
Status check_issuer_matches(const IssuerKey& issuer, const GroupPublicKey& gpk);
// Checks u^xi1 = v^xi2 = h; kInvalidInput otherwise.
Status check_opener_matches(const OpenerKey& opener, const GroupPublicKey& gpk);

// Enrolls `name` in the current epoch: appends it to issuer.members and to `registry`
// (kept sorted) and returns its key. kAlreadyExists if the name was ever enrolled;
// kInvalidInput for a bad name, a registry of another epoch or a mismatched issuer key.
Result<MemberKey> enroll(IssuerKey& issuer, const GroupPublicKey& gpk, Registry& registry,
                         std::string_view name);

// The entry of `name` in `registry`, or nullptr.
const RegistryEntry* find_member(const Registry& registry, std::string_view name);

}  // namespace hc::groupsig
