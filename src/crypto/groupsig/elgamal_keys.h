// BBS04-ElGamal: group setup, enrollment and revocation.
//
// Issuance and revocation are BBS04's (issuer.h, revocation.h) and run through them: the
// tracing part (h, u) takes no part in either, so these functions call today's code on the
// BBS04 view of the key (v := u) and convert back. A revocation record of a BBS04-ElGamal
// group is therefore today's record; its old-key digest is that of the BBS04 view.
//
// setup(): g1, g2 the standard generators, u = g1^r (r discarded), xi random, h = u^xi,
// gamma random, w = g2^gamma. In trustees mode the setup's opener key is discarded and h is
// replaced by the key the trustees generated over base u (with_opener_key), before anyone
// enrolls. Not thread-safe on a shared IssuerKey or Registry (they are mutated).
#pragma once

#include <string_view>

#include "common/status.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

struct Setup {
  GroupKey gpk;  // epoch 0
  IssuerKey issuer;
  OpenerKey opener;
  Registry registry;  // epoch 0, empty
};

Setup setup();

// The group key with h replaced by the opener key `h` (say the trustees' u^xi).
// kInvalidInput if h is the identity.
Result<GroupKey> with_opener_key(const GroupKey& gpk, const G1& h);

// A BBS04 member key (issued by today's issuer, any epoch) as a BBS04-ElGamal member key under
// the opener key `h` (the trustees' u^xi of a key epoch): same name, A and x; the group key is
// the BBS04 key's g1, g2, u, w with h. kInvalidInput if h is the identity.
Result<MemberKey> member_key_with_opener_key(const groupsig::MemberKey& key, const G1& h);

// kInvalidInput unless u^xi = h.
Status check_opener_matches(const OpenerKey& opener, const GroupKey& gpk);

// As groupsig::enroll: kAlreadyExists for a name ever enrolled, kInvalidInput for a bad name,
// a registry of another epoch or an issuer key that is not the group's.
Result<MemberKey> enroll(IssuerKey& issuer, const GroupKey& gpk, Registry& registry,
                         std::string_view name);

struct Revocation {
  RevocationRecord record;
  GroupKey gpk;       // the new epoch's key (h, u unchanged)
  Registry registry;  // the new epoch's registry
};

// As groupsig::revoke, next_gpk and update_member_key (revocation.h), with their errors.
Result<Revocation> revoke(IssuerKey& issuer, const GroupKey& gpk, const Registry& registry,
                          std::string_view member);
Result<GroupKey> next_group_key(const GroupKey& old_gpk, const RevocationRecord& rec);
Result<MemberKey> update_member_key(const MemberKey& key, const RevocationRecord& rec);

// The BBS04 view of a key (v := u) and back; used to run today's issuance and revocation.
GroupPublicKey bbs04_view(const GroupKey& gpk);
GroupKey from_bbs04_view(const GroupPublicKey& gpk);

}  // namespace hc::groupsig::elgamal
