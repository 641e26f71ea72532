#include "crypto/threshold/opening_evidence.h"

#include <algorithm>
#include <string>

#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/threshold/fr_lagrange.h"
#include "crypto/threshold/valid_answers.h"

namespace hc::crypto::threshold {

namespace {

namespace eg = groupsig::elgamal;

// T2 / prod_j D_j^lambda_j over `chosen` (distinct trustees, at least one).
Result<G1> decrypt_with_partials(const eg::Signature& sig, const std::vector<const PartialOpening*>& chosen) {
  std::vector<std::uint16_t> indices;
  for (const PartialOpening* p : chosen) indices.push_back(p->trustee);
  std::vector<G1> points;
  std::vector<Fr> lambdas;
  for (const PartialOpening* p : chosen) {
    HC_ASSIGN_OR_RETURN(Fr lambda, fr_lagrange_coefficient(indices, p->trustee, 0));
    lambdas.push_back(lambda);
    points.push_back(p->partial);
  }
  return sig.t2 - bls12_381::msm(points, lambdas);
}

Status check_registry_epoch(const groupsig::Registry& registry, const eg::Signature& sig) {
  if (registry.epoch != sig.epoch) {
    return invalid_input("registry is for epoch " + std::to_string(registry.epoch) + " but the signature for epoch " +
                         std::to_string(sig.epoch));
  }
  return Status::ok_status();
}

}  // namespace

Result<ThresholdOpening> combine_partial_openings(const OpenerKeyPublic& key, const groupsig::Registry& registry,
                                                  const RequestId& request_id, const eg::Signature& sig,
                                                  const std::vector<PartialOpening>& partials) {
  HC_RETURN_IF_ERROR(check_registry_epoch(registry, sig));
  if (partials.size() > kMaxTrustees) return invalid_input("more than 64 partial openings");
  ThresholdOpening out;
  HC_ASSIGN_OR_RETURN(std::vector<const PartialOpening*> valid,
                      choose_valid_answers(partials, key.threshold, "partial openings",
                                           [&](const PartialOpening& p) {
                                             return verify_partial_opening(key, request_id, sig, p);
                                           },
                                           out.rejected));
  for (const PartialOpening* p : valid) out.used.push_back(p->trustee);
  HC_ASSIGN_OR_RETURN(out.a, decrypt_with_partials(sig, valid));
  HC_ASSIGN_OR_RETURN(const groupsig::RegistryEntry* entry, eg::find_member_by_key(registry, out.a));
  out.member = entry->name;
  return out;
}

Status check_opening_evidence(const eg::PreparedKey& group_key, const OpenerKeyPublic& opener_key,
                              const groupsig::Registry& registry, const RequestId& request_id, ByteSpan message,
                              const eg::Signature& sig, const std::vector<PartialOpening>& evidence,
                              std::string_view member) {
  HC_RETURN_IF_ERROR(check_opener_key_public(opener_key));
  if (!(opener_key.u == group_key.gpk().u) || !(opener_key.h == group_key.gpk().h)) {
    return invalid_input("the opener key is not the group key's");
  }
  HC_RETURN_IF_ERROR(check_registry_epoch(registry, sig));
  if (evidence.size() > kMaxTrustees) return invalid_input("more than 64 partial openings");
  const groupsig::RegistryEntry* entry = groupsig::find_member(registry, member);
  if (entry == nullptr) {
    return Status::error(ErrorCode::kNotFound, "member '" + std::string(member) + "' is not in the registry of epoch " +
                                                   std::to_string(registry.epoch));
  }
  HC_ASSIGN_OR_RETURN(const groupsig::RegistryEntry* holder, eg::find_member_by_key(registry, entry->a));
  if (holder != entry) return invalid_input("registry lists one A under two names");
  HC_RETURN_IF_ERROR(eg::verify(group_key, message, sig));
  std::vector<const PartialOpening*> chosen;
  for (const PartialOpening& p : evidence) {
    HC_RETURN_IF_ERROR(verify_partial_opening(opener_key, request_id, sig, p));
    for (const PartialOpening* q : chosen) {
      if (q->trustee == p.trustee) return invalid_input("trustee " + std::to_string(p.trustee) + " appears twice");
    }
    chosen.push_back(&p);
  }
  if (chosen.size() < opener_key.threshold) {
    return invalid_input("the evidence holds " + std::to_string(chosen.size()) + " partial openings of the " +
                         std::to_string(opener_key.threshold) + " needed");
  }
  chosen.resize(opener_key.threshold);
  HC_ASSIGN_OR_RETURN(G1 a, decrypt_with_partials(sig, chosen));
  if (!(a == entry->a)) {
    return Status::error(ErrorCode::kAuthFailed, "the evidence does not open the signature to '" +
                                                     std::string(member) + "'");
  }
  return Status::ok_status();
}

}  // namespace hc::crypto::threshold
