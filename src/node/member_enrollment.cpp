// Opening and checking the member key a kind-25 enrollment boxed to this hospital.
#include "node/member_enrollment.h"

#include "chain/enrollment_box.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/revocation.h"

namespace hc::node {

bool is_enrollment_for(const chain::EnrollmentTx& e, std::uint32_t member_id) {
  return e.boxed.has_value() && e.boxed->member_id == member_id;
}

Result<groupsig::MemberKey> open_enrolled_member_key(const chain::EnrollmentTx& e, const EnrollmentRecipient& who,
                                                     const crypto::P256Scalar& secret) {
  if (!is_enrollment_for(e, who.member_id) || e.member_name != who.name) {
    return invalid_input("the enrollment is not this hospital's (" + who.name + ", member " +
                         std::to_string(who.member_id) + ")");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes encoded, chain::open_member_key(e, secret));
  auto decoded = groupsig::decode_member_key(encoded.span());
  if (!decoded.ok()) return invalid_input("the boxed member key does not decode: " + decoded.status().message());
  groupsig::MemberKey key = std::move(decoded).value();
  if (key.name != who.name) return invalid_input("the boxed member key is " + key.name + "'s, not " + who.name + "'s");
  if (key.gpk.epoch != e.boxed->group_epoch) {
    return invalid_input("the boxed member key is of group epoch " + std::to_string(key.gpk.epoch) +
                         ", the enrollment says " + std::to_string(e.boxed->group_epoch));
  }
  if (key.gpk.epoch == 0 && groupsig::encode_gpk(key.gpk) != who.genesis_group_public_key) {
    return invalid_input("the boxed member key is under another group public key than the genesis's");
  }
  HC_RETURN_IF_ERROR(groupsig::check_member_key(key).with_context("the boxed member key"));
  auto registry = groupsig::decode_registry(e.registry_entry);
  if (!registry.ok()) return invalid_input("the enrollment's registry entry does not decode");
  const groupsig::RegistryEntry* entry = groupsig::find_member(*registry, who.name);
  if (entry == nullptr || !(entry->a == key.a)) {
    return invalid_input("the boxed member key is not the one the enrollment's registry entry records");
  }
  return key;
}

}  // namespace hc::node
