#include "crypto/groupsig/elgamal_keys.h"

#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/revocation.h"

namespace hc::groupsig::elgamal {
namespace {

MemberKey member_from_bbs04(const groupsig::MemberKey& key) {
  MemberKey out;
  out.name = key.name;
  out.gpk = from_bbs04_view(key.gpk);
  out.a = key.a;
  out.x = key.x;
  return out;
}

}  // namespace

Result<MemberKey> member_key_with_opener_key(const groupsig::MemberKey& key, const G1& h) {
  MemberKey out = member_from_bbs04(key);
  HC_ASSIGN_OR_RETURN(out.gpk, with_opener_key(out.gpk, h));
  return out;
}

GroupPublicKey bbs04_view(const GroupKey& gpk) {
  GroupPublicKey out;
  out.epoch = gpk.epoch;
  out.g1 = gpk.g1;
  out.g2 = gpk.g2;
  out.h = gpk.h;
  out.u = gpk.u;
  out.v = gpk.u;
  out.w = gpk.w;
  return out;
}

GroupKey from_bbs04_view(const GroupPublicKey& gpk) {
  GroupKey out;
  out.epoch = gpk.epoch;
  out.g1 = gpk.g1;
  out.g2 = gpk.g2;
  out.h = gpk.h;
  out.u = gpk.u;
  out.w = gpk.w;
  return out;
}

Setup setup() {
  Setup s;
  s.gpk.epoch = 0;
  s.gpk.g1 = G1::generator();
  s.gpk.g2 = G2::generator();
  Fr r = Fr::random_nonzero();  // u = g1^r; r itself is never kept
  s.gpk.u = G1::generator().mul_secret(r);
  r.wipe();
  s.opener.xi = Fr::random_nonzero();
  s.gpk.h = s.gpk.u.mul_secret(s.opener.xi);
  s.issuer.gamma = Fr::random_nonzero();
  s.gpk.w = s.gpk.g2.mul_secret(s.issuer.gamma);
  s.registry.epoch = 0;
  return s;
}

Result<GroupKey> with_opener_key(const GroupKey& gpk, const G1& h) {
  if (h.is_identity()) return invalid_input("the opener key h is the identity");
  GroupKey out = gpk;
  out.h = h;
  return out;
}

Status check_opener_matches(const OpenerKey& opener, const GroupKey& gpk) {
  if (!(gpk.u.mul_secret(opener.xi) == gpk.h)) {
    return invalid_input("the opener key does not belong to this group key");
  }
  return Status::ok_status();
}

Result<MemberKey> enroll(IssuerKey& issuer, const GroupKey& gpk, Registry& registry,
                         std::string_view name) {
  HC_ASSIGN_OR_RETURN(groupsig::MemberKey key,
                      groupsig::enroll(issuer, bbs04_view(gpk), registry, name));
  return member_from_bbs04(key);
}

Result<Revocation> revoke(IssuerKey& issuer, const GroupKey& gpk, const Registry& registry,
                          std::string_view member) {
  HC_ASSIGN_OR_RETURN(groupsig::Revocation rev,
                      groupsig::revoke(issuer, bbs04_view(gpk), registry, member));
  return Revocation{rev.record, from_bbs04_view(rev.gpk), rev.registry};
}

Result<GroupKey> next_group_key(const GroupKey& old_gpk, const RevocationRecord& rec) {
  HC_ASSIGN_OR_RETURN(GroupPublicKey next, groupsig::next_gpk(bbs04_view(old_gpk), rec));
  return from_bbs04_view(next);
}

Result<MemberKey> update_member_key(const MemberKey& key, const RevocationRecord& rec) {
  groupsig::MemberKey view;
  view.name = key.name;
  view.gpk = bbs04_view(key.gpk);
  view.a = key.a;
  view.x = key.x;
  HC_ASSIGN_OR_RETURN(groupsig::MemberKey updated, groupsig::update_member_key(view, rec));
  return member_from_bbs04(updated);
}

}  // namespace hc::groupsig::elgamal
