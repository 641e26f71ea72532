#include "crypto/groupsig/opening.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/params.h"
#include "crypto/groupsig/verify.h"

namespace hc::groupsig {
namespace {

using bls12_381::msm;

Fr open_challenge(const PreparedGroupKey& key, const Digest32& msg_digest, const Signature& sig,
                  std::string_view member, const G1& a, const G1& k1, const G1& k2,
                  const G1& k3) {
  Bytes buf;
  append_bytes(buf, key.digest());
  append_u64_be(buf, key.epoch());
  append_bytes(buf, msg_digest);
  append_bytes(buf, signature_digest(sig));
  append_name(buf, member);
  // K1..K3 derive from the opener's nonces: one constant-time batch normalisation.
  const std::array<G1, 4> points = {a, k1, k2, k3};
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(buf, p);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstOpenChallenge));
  HC_CHECK(c.ok());  // fails only for a bad DST, and ours is a constant
  return c.value();
}

Status check_epochs(const PreparedGroupKey& key, const Registry& registry, const Signature& sig) {
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

// The one registry entry holding `a`; kNotFound if none, kInvalidInput if several (such a
// registry would let an opening name either member).
Result<const RegistryEntry*> entry_with_key(const Registry& registry, const G1& a) {
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

}  // namespace

G1 recover_signer_key(const OpenerKey& opener, const Signature& sig) {
  return sig.t3 - (sig.t1.mul_secret(opener.xi1) + sig.t2.mul_secret(opener.xi2));
}

// The secret half of open(), for a signature already verified: recovers A, finds it in the
// registry and proves the opening. Kept out of line with external linkage (not in the
// header: callers use open()) so that tests/crypto/constant_time can name it as a secret
// entry point; open() itself also runs the variable-time verification of public data.
Result<Opening> prove_opening(const PreparedGroupKey& key, const OpenerKey& opener,
                              const Registry& registry, ByteSpan message, const Signature& sig);

Result<Opening> open(const PreparedGroupKey& key, const OpenerKey& opener,
                     const Registry& registry, ByteSpan message, const Signature& sig) {
  HC_RETURN_IF_ERROR(check_epochs(key, registry, sig));
  HC_RETURN_IF_ERROR(verify(key, message, sig));
  return prove_opening(key, opener, registry, message, sig);
}

Result<Opening> prove_opening(const PreparedGroupKey& key, const OpenerKey& opener,
                              const Registry& registry, ByteSpan message, const Signature& sig) {
  const GroupPublicKey& gpk = key.gpk();
  const G1 a = recover_signer_key(opener, sig);
  HC_ASSIGN_OR_RETURN(const RegistryEntry* found, entry_with_key(registry, a));
  Fr k1 = Fr::random();
  Fr k2 = Fr::random();
  const G1 c1 = gpk.u.mul_secret(k1);
  const G1 c2 = gpk.v.mul_secret(k2);
  const G1 c3 = sig.t1.mul_secret(k1) + sig.t2.mul_secret(k2);
  Opening out;
  out.member = found->name;
  out.proof.epoch = key.epoch();
  out.proof.member = found->name;
  out.proof.c = open_challenge(key, message_digest(message), sig, found->name, a, c1, c2, c3);
  Fr c_xi = out.proof.c * opener.xi1;  // products with the opener key: wiped
  out.proof.s_xi1 = k1 + c_xi;
  c_xi = out.proof.c * opener.xi2;
  out.proof.s_xi2 = k2 + c_xi;
  for (Fr* k : {&c_xi, &k1, &k2}) k->wipe();
  return out;
}

Status judge(const PreparedGroupKey& key, const Registry& registry, ByteSpan message,
             const Signature& sig, const OpeningProof& proof, std::string_view member) {
  HC_RETURN_IF_ERROR(check_epochs(key, registry, sig));
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
    return Status::error(ErrorCode::kNotFound,
                         fmt::format("member '{}' is not in the registry of epoch {}", member,
                                     registry.epoch));
  }
  HC_ASSIGN_OR_RETURN(const RegistryEntry* holder, entry_with_key(registry, entry->a));
  if (holder != entry) return invalid_input("registry lists one A under two names");
  HC_RETURN_IF_ERROR(verify(key, message, sig));
  const GroupPublicKey& gpk = key.gpk();
  const Fr minus_c = -proof.c;
  // K1 = u^s1 h^-c, K2 = v^s2 h^-c, K3 = T1^s1 T2^s2 (T3 / A)^-c.
  const G1 c1 = msm(std::array<G1, 2>{gpk.u, gpk.h}, std::array<Fr, 2>{proof.s_xi1, minus_c});
  const G1 c2 = msm(std::array<G1, 2>{gpk.v, gpk.h}, std::array<Fr, 2>{proof.s_xi2, minus_c});
  const G1 c3 = msm(std::array<G1, 3>{sig.t1, sig.t2, sig.t3 - entry->a},
                    std::array<Fr, 3>{proof.s_xi1, proof.s_xi2, minus_c});
  Fr c = open_challenge(key, message_digest(message), sig, entry->name, entry->a, c1, c2, c3);
  if (!(c == proof.c)) {
    return Status::error(ErrorCode::kAuthFailed, "the opening proof does not verify");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig
