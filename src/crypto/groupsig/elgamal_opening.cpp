#include "crypto/groupsig/elgamal_opening.h"

#include <fmt/format.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "crypto/groupsig/g1_dleq.h"
#include "crypto/groupsig/issuer.h"

namespace hc::groupsig::elgamal {
namespace {

Bytes elgamal_open_context(const PreparedKey& key, ByteSpan message, const Signature& sig,
                           std::string_view member, const G1& a) {
  Bytes buf;
  append_bytes(buf, key.digest());
  append_u64_be(buf, key.epoch());
  append_bytes(buf, message_digest(message));
  append_bytes(buf, signature_digest(sig));
  append_name(buf, member);
  append_g1(buf, a);
  return buf;
}

Status elgamal_check_epochs(const PreparedKey& key, const Registry& registry, const Signature& sig) {
  if (registry.epoch != key.epoch()) {
    return invalid_input(fmt::format("registry is for epoch {} but the group key is epoch {}",
                                     registry.epoch, key.epoch()));
  }
  if (sig.epoch != key.epoch()) {
    return invalid_input(fmt::format("signature is for epoch {} but the group key is epoch {}",
                                     sig.epoch, key.epoch()));
  }
  return Status::ok_status();
}

}  // namespace

G1 recover_signer_key(const OpenerKey& opener, const Signature& sig) {
  return sig.t2 - sig.t1.mul_secret(opener.xi);
}

Result<const RegistryEntry*> find_member_by_key(const Registry& registry, const G1& a) {
  const RegistryEntry* found = nullptr;
  for (const RegistryEntry& e : registry.entries) {
    if (!(e.a == a)) continue;
    if (found != nullptr) return invalid_input("registry lists one A under two names");
    found = &e;
  }
  if (found == nullptr) {
    return Status::error(ErrorCode::kNotFound,
                         "the signer's key is not in the registry of this epoch");
  }
  return found;
}

Result<Opening> open(const PreparedKey& key, const OpenerKey& opener, const Registry& registry,
                     ByteSpan message, const Signature& sig) {
  HC_RETURN_IF_ERROR(elgamal_check_epochs(key, registry, sig));
  HC_RETURN_IF_ERROR(verify(key, message, sig));
  const G1 a = recover_signer_key(opener, sig);
  HC_ASSIGN_OR_RETURN(const RegistryEntry* found, find_member_by_key(registry, a));
  const GroupKey& gpk = key.gpk();
  Opening out;
  out.member = found->name;
  out.proof.epoch = key.epoch();
  out.proof.member = found->name;
  out.proof.proof = prove_g1_dleq(kDstOpenProof, elgamal_open_context(key, message, sig, found->name, a),
                                  gpk.u, sig.t1, opener.xi, gpk.h, sig.t2 - a);
  return out;
}

Status judge(const PreparedKey& key, const Registry& registry, ByteSpan message,
             const Signature& sig, const OpeningProof& proof, std::string_view member) {
  HC_RETURN_IF_ERROR(elgamal_check_epochs(key, registry, sig));
  if (proof.epoch != key.epoch()) {
    return invalid_input(fmt::format("opening proof is for epoch {} but the group key is epoch {}",
                                     proof.epoch, key.epoch()));
  }
  if (proof.member != member) {
    return Status::error(ErrorCode::kAuthFailed,
                         fmt::format("the opening proof names '{}', not '{}'", proof.member, member));
  }
  const RegistryEntry* entry = find_member(registry, member);
  if (entry == nullptr) {
    return Status::error(ErrorCode::kNotFound, fmt::format("member '{}' is not in the registry of epoch {}",
                                                           member, registry.epoch));
  }
  HC_ASSIGN_OR_RETURN(const RegistryEntry* holder, find_member_by_key(registry, entry->a));
  if (holder != entry) return invalid_input("registry lists one A under two names");
  HC_RETURN_IF_ERROR(verify(key, message, sig));
  const GroupKey& gpk = key.gpk();
  if (!verify_g1_dleq(kDstOpenProof, elgamal_open_context(key, message, sig, entry->name, entry->a),
                      gpk.u, sig.t1, gpk.h, sig.t2 - entry->a, proof.proof)) {
    return Status::error(ErrorCode::kAuthFailed, "the opening proof does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig::elgamal
