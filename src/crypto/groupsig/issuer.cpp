#include "crypto/groupsig/issuer.h"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {

namespace {

// What both setups share: epoch 0, the generators, the issuer's gamma and w = g2^gamma, an
// empty registry; returns a fresh random base g1^t (t itself is never kept).
G1 start_issuer_setup(GroupPublicKey& gpk, IssuerKey& issuer, Registry& registry) {
  gpk.epoch = 0;
  gpk.g1 = G1::generator();
  gpk.g2 = G2::generator();
  issuer.gamma = Fr::random_nonzero();
  gpk.w = gpk.g2.mul_secret(issuer.gamma);
  registry.epoch = 0;
  Fr t = Fr::random_nonzero();
  G1 base = G1::generator().mul_secret(t);
  t.wipe();
  return base;
}

}  // namespace

GroupSetup setup() {
  GroupSetup s;
  GroupPublicKey& gpk = s.gpk;
  gpk.h = start_issuer_setup(gpk, s.issuer, s.registry);
  s.opener.xi1 = Fr::random_nonzero();
  s.opener.xi2 = Fr::random_nonzero();
  Fr inv1 = s.opener.xi1.inverse();
  Fr inv2 = s.opener.xi2.inverse();
  gpk.u = gpk.h.mul_secret(inv1);
  gpk.v = gpk.h.mul_secret(inv2);
  inv1.wipe();
  inv2.wipe();
  return s;
}

IssuerSetup setup_without_opener() {
  IssuerSetup s;
  GroupPublicKey& gpk = s.gpk;
  gpk.u = start_issuer_setup(gpk, s.issuer, s.registry);
  gpk.h = gpk.u;
  gpk.v = gpk.u;
  return s;
}

bool has_no_opener(const GroupPublicKey& gpk) { return gpk.h == gpk.u && gpk.v == gpk.u; }

Status check_issuer_matches(const IssuerKey& issuer, const GroupPublicKey& gpk) {
  if (!(gpk.g2.mul_secret(issuer.gamma) == gpk.w)) {
    return invalid_input("the issuer key does not belong to this group public key");
  }
  return Status::ok_status();
}

Status check_opener_matches(const OpenerKey& opener, const GroupPublicKey& gpk) {
  if (!(gpk.u.mul_secret(opener.xi1) == gpk.h) || !(gpk.v.mul_secret(opener.xi2) == gpk.h)) {
    return invalid_input("the opener key does not belong to this group public key");
  }
  return Status::ok_status();
}

const RegistryEntry* find_member(const Registry& registry, std::string_view name) {
  auto it = std::lower_bound(registry.entries.begin(), registry.entries.end(), name,
                             [](const RegistryEntry& e, std::string_view n) { return e.name < n; });
  if (it == registry.entries.end() || it->name != name) return nullptr;
  return &*it;
}

Result<MemberKey> enroll(IssuerKey& issuer, const GroupPublicKey& gpk, Registry& registry,
                         std::string_view name) {
  HC_RETURN_IF_ERROR(check_member_name(name));
  if (registry.epoch != gpk.epoch) {
    return invalid_input(fmt::format("registry is for epoch {} but the group key is epoch {}",
                                     registry.epoch, gpk.epoch));
  }
  HC_RETURN_IF_ERROR(check_issuer_matches(issuer, gpk));
  for (const IssuedMember& m : issuer.members) {
    if (m.name == name) {
      return Status::error(ErrorCode::kAlreadyExists,
                           fmt::format("member '{}' was already enrolled", name));
    }
  }
  if (find_member(registry, name) != nullptr) {
    return Status::error(ErrorCode::kAlreadyExists,
                         fmt::format("member '{}' is already in the registry", name));
  }
  if (issuer.members.size() >= kMaxMembers) {
    return Status::error(ErrorCode::kTooLarge, "the group has reached its member limit");
  }
  MemberKey key;
  key.name = std::string(name);
  key.gpk = gpk;
  Fr denom;
  do {  // gamma + x = 0 happens with probability 1/r; redraw rather than fail
    key.x = Fr::random_nonzero();
    denom = issuer.gamma + key.x;
  } while (denom.is_zero());
  Fr inv = denom.inverse();
  key.a = gpk.g1.mul_secret(inv);
  inv.wipe();
  denom.wipe();

  IssuedMember& m = issuer.members.emplace_back();
  m.name = key.name;
  m.x = key.x;
  RegistryEntry entry{key.name, key.a};
  auto pos = std::lower_bound(registry.entries.begin(), registry.entries.end(), entry.name,
                              [](const RegistryEntry& e, const std::string& n) { return e.name < n; });
  registry.entries.insert(pos, std::move(entry));
  return key;
}

}  // namespace hc::groupsig
