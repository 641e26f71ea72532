#include "crypto/groupsig/revocation.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/issuer.h"

namespace hc::groupsig {
namespace {

using bls12_381::pairing_product_is_one;


}  // namespace

Status check_member_key(const MemberKey& key) {
  const GroupPublicKey& gpk = key.gpk;
  // e(A, w g2^x) e(g1^-1, g2) = 1.
  std::array<G1, 2> ps = {key.a, -gpk.g1};
  std::array<G2, 2> qs = {gpk.w + gpk.g2.mul_secret(key.x), gpk.g2};
  if (!pairing_product_is_one(ps, qs)) {
    return invalid_input("member key does not match its group public key");
  }
  return Status::ok_status();
}

Status check_revocation(const GroupPublicKey& old_gpk, const RevocationRecord& rec) {
  if (old_gpk.epoch == UINT64_MAX || rec.new_epoch != old_gpk.epoch + 1) {
    return invalid_input(fmt::format("revocation record starts epoch {}, expected {}",
                                     rec.new_epoch, old_gpk.epoch + 1));
  }
  if (rec.old_gpk_digest != gpk_digest(old_gpk)) {
    return invalid_input("revocation record is for another group public key");
  }
  if (rec.a_star.is_identity() || rec.g2_new.is_identity()) {
    return invalid_input("revocation record holds the identity");
  }
  // e(A*, w g2^x*) e(g1^-1, g2) = 1 and e(A*, g2) e(g1^-1, g2') = 1.
  std::array<G1, 2> ps1 = {rec.a_star, -old_gpk.g1};
  // x* is public, but the constant-time multiplication keeps this check callable from the
  // secret paths that use it (update_member_key, revoke); it runs once per revocation.
  std::array<G2, 2> qs1 = {old_gpk.w + old_gpk.g2.mul_secret(rec.x_star), old_gpk.g2};
  if (!pairing_product_is_one(ps1, qs1)) {
    return Status::error(ErrorCode::kAuthFailed,
                         "revocation record: A* is not a member key of the old epoch");
  }
  std::array<G1, 2> ps2 = {rec.a_star, -old_gpk.g1};
  std::array<G2, 2> qs2 = {old_gpk.g2, rec.g2_new};
  if (!pairing_product_is_one(ps2, qs2)) {
    return Status::error(ErrorCode::kAuthFailed,
                         "revocation record: g2' does not match A* (e(A*, g2) != e(g1, g2'))");
  }
  return Status::ok_status();
}

Result<GroupPublicKey> next_gpk(const GroupPublicKey& old_gpk, const RevocationRecord& rec) {
  HC_RETURN_IF_ERROR(check_revocation(old_gpk, rec));
  GroupPublicKey gpk = old_gpk;
  gpk.epoch = rec.new_epoch;
  gpk.g1 = rec.a_star;
  gpk.g2 = rec.g2_new;
  // g2 g2'^-x* = g2'^gamma (constant time although x* is public: see check_revocation).
  gpk.w = old_gpk.g2 - rec.g2_new.mul_secret(rec.x_star);
  if (gpk.w.is_identity()) return invalid_input("revocation record gives w' = identity");
  return gpk;
}

Result<MemberKey> update_member_key(const MemberKey& key, const RevocationRecord& rec) {
  HC_ASSIGN_OR_RETURN(GroupPublicKey gpk, next_gpk(key.gpk, rec));
  Fr diff = rec.x_star - key.x;
  if (diff.is_zero()) {
    return Status::error(ErrorCode::kAuthFailed,
                         fmt::format("this key ('{}') is the one revoked by the record", key.name));
  }
  Fr inv = diff.inverse();
  MemberKey out;
  out.name = key.name;
  out.gpk = gpk;
  out.x = key.x;
  out.a = (key.a - rec.a_star).mul_secret(inv);  // A' = (A / A*)^(1/(x* - x))
  inv.wipe();
  diff.wipe();
  Status st = check_member_key(out);
  if (!st.ok()) return st.with_context("updated key");
  return out;
}

Result<Revocation> revoke(IssuerKey& issuer, const GroupPublicKey& gpk, const Registry& registry,
                          std::string_view member) {
  if (registry.epoch != gpk.epoch) return invalid_input("registry and group key epochs differ");
  if (gpk.epoch == UINT64_MAX) return invalid_input("no epoch after the last one");
  HC_RETURN_IF_ERROR(check_issuer_matches(issuer, gpk));
  const RegistryEntry* entry = find_member(registry, member);
  IssuedMember* issued = nullptr;
  for (IssuedMember& m : issuer.members) {
    if (m.name == member && !m.revoked) issued = &m;
  }
  if (entry == nullptr || issued == nullptr) {
    return Status::error(ErrorCode::kNotFound,
                         fmt::format("'{}' is not an active member of epoch {}", member, gpk.epoch));
  }
  Fr denom = issuer.gamma + issued->x;
  Fr inv = denom.inverse();
  Revocation out;
  out.record.new_epoch = gpk.epoch + 1;
  out.record.old_gpk_digest = gpk_digest(gpk);
  out.record.member = entry->name;
  out.record.a_star = entry->a;
  out.record.x_star = issued->x;
  out.record.g2_new = gpk.g2.mul_secret(inv);
  out.registry.epoch = gpk.epoch + 1;
  for (const RegistryEntry& e : registry.entries) {
    if (e.name != member) out.registry.entries.push_back({e.name, e.a.mul_secret(inv)});
  }
  inv.wipe();
  denom.wipe();
  HC_ASSIGN_OR_RETURN(out.gpk, next_gpk(gpk, out.record));
  issued->revoked = true;
  return out;
}

Status check_registry_update(const GroupPublicKey& old_gpk, const Registry& old_reg,
                             const RevocationRecord& rec, const Registry& new_reg) {
  HC_RETURN_IF_ERROR(check_revocation(old_gpk, rec));
  if (old_reg.epoch != old_gpk.epoch || new_reg.epoch != rec.new_epoch) {
    return invalid_input("registry epochs do not match the revocation record");
  }
  const RegistryEntry* revoked = find_member(old_reg, rec.member);
  if (revoked == nullptr || !(revoked->a == rec.a_star)) {
    return invalid_input("old registry does not list the revoked member with A*");
  }
  std::size_t j = 0;
  for (const RegistryEntry& e : old_reg.entries) {
    if (e.name == rec.member) continue;
    if (j >= new_reg.entries.size() || new_reg.entries[j].name != e.name) {
      return invalid_input(fmt::format("new registry: member '{}' is missing", e.name));
    }
    // e(A', g2) e(A^-1, g2') = 1.
    std::array<G1, 2> ps = {new_reg.entries[j].a, -e.a};
    std::array<G2, 2> qs = {old_gpk.g2, rec.g2_new};
    if (!pairing_product_is_one(ps, qs)) {
      return Status::error(ErrorCode::kAuthFailed,
                           fmt::format("new registry: A of '{}' is not moved by the record", e.name));
    }
    ++j;
  }
  if (j != new_reg.entries.size()) return invalid_input("new registry has extra members");
  return Status::ok_status();
}

}  // namespace hc::groupsig
