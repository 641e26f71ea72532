#include "crypto/groupsig/encoding.h"

#include <array>
#include <algorithm>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {
namespace {

// Moves an encoding that holds secrets into wiped-on-destruction storage.
SecureBytes to_secure(Bytes& b) {
  SecureBytes out(b.data(), b.size());
  secure_wipe(b.data(), b.size());
  return out;
}

void append_secret_fr(Bytes& out, const Fr& k) {
  auto b = k.to_bytes();
  append_bytes(out, b);
  secure_wipe(b.data(), b.size());
}

Status not_identity_g1(const G1& p, std::string_view what) {
  if (p.is_identity()) return invalid_input(fmt::format("{} is the identity", what));
  return Status::ok_status();
}

void append_gpk_fields(Bytes& out, const GroupPublicKey& gpk) {
  append_u64_be(out, gpk.epoch);
  append_g1(out, gpk.g1);
  append_g2(out, gpk.g2);
  append_g1(out, gpk.h);
  append_g1(out, gpk.u);
  append_g1(out, gpk.v);
  append_g2(out, gpk.w);
}

Result<GroupPublicKey> read_gpk_fields(ByteReader& r) {
  GroupPublicKey gpk;
  HC_ASSIGN_OR_RETURN(gpk.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(gpk.g1, r.g1("g1"));
  HC_ASSIGN_OR_RETURN(gpk.g2, r.g2("g2"));
  HC_ASSIGN_OR_RETURN(gpk.h, r.g1("h"));
  HC_ASSIGN_OR_RETURN(gpk.u, r.g1("u"));
  HC_ASSIGN_OR_RETURN(gpk.v, r.g1("v"));
  HC_ASSIGN_OR_RETURN(gpk.w, r.g2("w"));
  Status st = check_gpk(gpk);
  if (!st.ok()) return st.with_context("group public key");
  return gpk;
}

}  // namespace

Status check_gpk(const GroupPublicKey& gpk) {
  HC_RETURN_IF_ERROR(not_identity_g1(gpk.g1, "g1"));
  HC_RETURN_IF_ERROR(not_identity_g1(gpk.h, "h"));
  HC_RETURN_IF_ERROR(not_identity_g1(gpk.u, "u"));
  HC_RETURN_IF_ERROR(not_identity_g1(gpk.v, "v"));
  if (gpk.g2.is_identity()) return invalid_input("g2 is the identity");
  if (gpk.w.is_identity()) return invalid_input("w is the identity");
  return Status::ok_status();
}

Bytes encode_gpk(const GroupPublicKey& gpk) {
  Bytes out;
  out.reserve(kGroupPublicKeyBytes);
  append_header(out, Kind::kGroupPublicKey);
  append_gpk_fields(out, gpk);
  return out;
}

Result<GroupPublicKey> decode_gpk(ByteSpan data) {
  ByteReader r(data, "group public key");
  HC_RETURN_IF_ERROR(r.header(Kind::kGroupPublicKey));
  HC_ASSIGN_OR_RETURN(GroupPublicKey gpk, read_gpk_fields(r));
  HC_RETURN_IF_ERROR(r.finish());
  return gpk;
}

Bytes encode_signature(const Signature& sig) {
  Bytes out;
  out.reserve(kSignatureBytes);
  append_header(out, Kind::kSignature);
  append_u64_be(out, sig.epoch);
  const std::array<G1, 3> points = {sig.t1, sig.t2, sig.t3};
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(out, p);
  for (const Fr* k : {&sig.c, &sig.s_alpha, &sig.s_beta, &sig.s_x, &sig.s_delta1, &sig.s_delta2}) {
    append_fr(out, *k);
  }
  return out;
}

Result<Signature> decode_signature(ByteSpan data) {
  ByteReader r(data, "signature");
  HC_RETURN_IF_ERROR(r.header(Kind::kSignature));
  Signature sig;
  HC_ASSIGN_OR_RETURN(sig.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(sig.t1, r.g1("T1"));
  HC_ASSIGN_OR_RETURN(sig.t2, r.g1("T2"));
  HC_ASSIGN_OR_RETURN(sig.t3, r.g1("T3"));
  HC_ASSIGN_OR_RETURN(sig.c, r.fr("c"));
  HC_ASSIGN_OR_RETURN(sig.s_alpha, r.fr("s_alpha"));
  HC_ASSIGN_OR_RETURN(sig.s_beta, r.fr("s_beta"));
  HC_ASSIGN_OR_RETURN(sig.s_x, r.fr("s_x"));
  HC_ASSIGN_OR_RETURN(sig.s_delta1, r.fr("s_delta1"));
  HC_ASSIGN_OR_RETURN(sig.s_delta2, r.fr("s_delta2"));
  HC_RETURN_IF_ERROR(r.finish());
  // BBS04: T1 = u^alpha, T2 = v^beta, T3 = A h^(alpha+beta) are never the identity for an
  // honest signer (except with negligible probability); an identity T1 or T2 would make the
  // linear encryption of A trivial to open.
  HC_RETURN_IF_ERROR(not_identity_g1(sig.t1, "signature: T1"));
  HC_RETURN_IF_ERROR(not_identity_g1(sig.t2, "signature: T2"));
  HC_RETURN_IF_ERROR(not_identity_g1(sig.t3, "signature: T3"));
  return sig;
}

Bytes encode_registry(const Registry& reg) {
  Bytes out;
  append_header(out, Kind::kRegistry);
  append_u64_be(out, reg.epoch);
  append_u32_be(out, static_cast<std::uint32_t>(reg.entries.size()));
  std::vector<G1> keys;
  keys.reserve(reg.entries.size());
  for (const RegistryEntry& e : reg.entries) keys.push_back(e.a);
  const auto encoded = bls12_381::to_compressed_batch(keys);
  for (std::size_t i = 0; i < reg.entries.size(); ++i) {
    append_name(out, reg.entries[i].name);
    append_bytes(out, encoded[i]);
  }
  return out;
}

Result<Registry> decode_registry(ByteSpan data) {
  ByteReader r(data, "registry");
  HC_RETURN_IF_ERROR(r.header(Kind::kRegistry));
  Registry reg;
  HC_ASSIGN_OR_RETURN(reg.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(std::uint32_t count, r.u32("member count"));
  if (count > kMaxMembers) {
    return invalid_input(fmt::format("registry: {} members exceeds {}", count, kMaxMembers));
  }
  reg.entries.reserve(count);
  // Two names with one A would let an opening name either member: refuse such registries.
  std::set<std::array<std::uint8_t, kG1Bytes>> seen_a;
  for (std::uint32_t i = 0; i < count; ++i) {
    RegistryEntry e;
    HC_ASSIGN_OR_RETURN(e.name, r.name("member name"));
    const std::size_t a_offset = data.size() - r.remaining();
    HC_ASSIGN_OR_RETURN(e.a, r.g1("A"));
    // The decoder accepts one encoding per point, so the bytes read identify A.
    std::array<std::uint8_t, kG1Bytes> a_bytes{};
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(a_offset), kG1Bytes, a_bytes.begin());
    if (!seen_a.insert(a_bytes).second) {
      return invalid_input(fmt::format("registry: A of {} is listed twice", e.name));
    }
    if (e.a.is_identity()) return invalid_input(fmt::format("registry: A of {} is the identity", e.name));
    if (!reg.entries.empty() && !(reg.entries.back().name < e.name)) {
      return invalid_input("registry: names are not strictly increasing (unsorted or duplicate)");
    }
    reg.entries.push_back(std::move(e));
  }
  HC_RETURN_IF_ERROR(r.finish());
  return reg;
}

Bytes encode_opening_proof(const OpeningProof& proof) {
  Bytes out;
  append_header(out, Kind::kOpeningProof);
  append_u64_be(out, proof.epoch);
  append_name(out, proof.member);
  append_fr(out, proof.c);
  append_fr(out, proof.s_xi1);
  append_fr(out, proof.s_xi2);
  return out;
}

Result<OpeningProof> decode_opening_proof(ByteSpan data) {
  ByteReader r(data, "opening proof");
  HC_RETURN_IF_ERROR(r.header(Kind::kOpeningProof));
  OpeningProof proof;
  HC_ASSIGN_OR_RETURN(proof.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(proof.member, r.name("member"));
  HC_ASSIGN_OR_RETURN(proof.c, r.fr("c"));
  HC_ASSIGN_OR_RETURN(proof.s_xi1, r.fr("s_xi1"));
  HC_ASSIGN_OR_RETURN(proof.s_xi2, r.fr("s_xi2"));
  HC_RETURN_IF_ERROR(r.finish());
  return proof;
}

Bytes encode_revocation(const RevocationRecord& rec) {
  Bytes out;
  append_header(out, Kind::kRevocationRecord);
  append_u64_be(out, rec.new_epoch);
  append_bytes(out, rec.old_gpk_digest);
  append_name(out, rec.member);
  append_g1(out, rec.a_star);
  append_fr(out, rec.x_star);
  append_g2(out, rec.g2_new);
  return out;
}

Result<RevocationRecord> decode_revocation(ByteSpan data) {
  ByteReader r(data, "revocation record");
  HC_RETURN_IF_ERROR(r.header(Kind::kRevocationRecord));
  RevocationRecord rec;
  HC_ASSIGN_OR_RETURN(rec.new_epoch, r.u64("new epoch"));
  if (rec.new_epoch == 0) return invalid_input("revocation record: new epoch must be >= 1");
  HC_ASSIGN_OR_RETURN(ByteSpan digest, r.bytes(32, "old key digest"));
  std::copy(digest.begin(), digest.end(), rec.old_gpk_digest.begin());
  HC_ASSIGN_OR_RETURN(rec.member, r.name("member"));
  HC_ASSIGN_OR_RETURN(rec.a_star, r.g1("A*"));
  HC_ASSIGN_OR_RETURN(rec.x_star, r.fr("x*"));
  HC_ASSIGN_OR_RETURN(rec.g2_new, r.g2("g2'"));
  HC_RETURN_IF_ERROR(r.finish());
  HC_RETURN_IF_ERROR(not_identity_g1(rec.a_star, "revocation record: A*"));
  if (rec.g2_new.is_identity()) return invalid_input("revocation record: g2' is the identity");
  return rec;
}

SecureBytes encode_member_key(const MemberKey& key) {
  Bytes out;
  out.reserve(kHeaderBytes + 1 + key.name.size() + kGroupPublicKeyBytes + kG1Bytes + kFrBytes);
  append_header(out, Kind::kMemberSecret);
  append_name(out, key.name);
  append_gpk_fields(out, key.gpk);
  append_g1(out, key.a);
  append_secret_fr(out, key.x);
  return to_secure(out);
}

Result<MemberKey> decode_member_key(ByteSpan data) {
  ByteReader r(data, "member key");
  HC_RETURN_IF_ERROR(r.header(Kind::kMemberSecret));
  MemberKey key;
  HC_ASSIGN_OR_RETURN(key.name, r.name("member name"));
  HC_ASSIGN_OR_RETURN(key.gpk, read_gpk_fields(r));
  HC_ASSIGN_OR_RETURN(key.a, r.g1("A"));
  HC_ASSIGN_OR_RETURN(key.x, r.fr("x"));
  HC_RETURN_IF_ERROR(r.finish());
  HC_RETURN_IF_ERROR(not_identity_g1(key.a, "member key: A"));
  return key;
}

SecureBytes encode_opener_key(const OpenerKey& key) {
  Bytes out;
  out.reserve(kHeaderBytes + 2 * kFrBytes);
  append_header(out, Kind::kOpenerSecret);
  append_secret_fr(out, key.xi1);
  append_secret_fr(out, key.xi2);
  return to_secure(out);
}

Result<OpenerKey> decode_opener_key(ByteSpan data) {
  ByteReader r(data, "opener key");
  HC_RETURN_IF_ERROR(r.header(Kind::kOpenerSecret));
  OpenerKey key;
  HC_ASSIGN_OR_RETURN(key.xi1, r.fr("xi1"));
  HC_ASSIGN_OR_RETURN(key.xi2, r.fr("xi2"));
  HC_RETURN_IF_ERROR(r.finish());
  if (key.xi1.is_zero() || key.xi2.is_zero()) return invalid_input("opener key: zero secret");
  return key;
}

SecureBytes encode_issuer_key(const IssuerKey& key) {
  Bytes out;
  std::size_t per_member = 1 + kMaxNameBytes + kFrBytes + 1;
  out.reserve(kHeaderBytes + kFrBytes + 4 + key.members.size() * per_member);
  append_header(out, Kind::kIssuerSecret);
  append_secret_fr(out, key.gamma);
  append_u32_be(out, static_cast<std::uint32_t>(key.members.size()));
  for (const IssuedMember& m : key.members) {
    append_name(out, m.name);
    append_secret_fr(out, m.x);
    append_u8(out, m.revoked ? 1 : 0);
  }
  return to_secure(out);
}

Result<IssuerKey> decode_issuer_key(ByteSpan data) {
  ByteReader r(data, "issuer key");
  HC_RETURN_IF_ERROR(r.header(Kind::kIssuerSecret));
  IssuerKey key;
  HC_ASSIGN_OR_RETURN(key.gamma, r.fr("gamma"));
  if (key.gamma.is_zero()) return invalid_input("issuer key: gamma is zero");
  HC_ASSIGN_OR_RETURN(std::uint32_t count, r.u32("member count"));
  if (count > kMaxMembers) return invalid_input("issuer key: too many members");
  key.members.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    IssuedMember& m = key.members.emplace_back();
    HC_ASSIGN_OR_RETURN(m.name, r.name("member name"));
    HC_ASSIGN_OR_RETURN(m.x, r.fr("x"));
    HC_ASSIGN_OR_RETURN(std::uint8_t revoked, r.u8("revoked flag"));
    if (revoked > 1) return invalid_input("issuer key: revoked flag must be 0 or 1");
    m.revoked = revoked == 1;
  }
  HC_RETURN_IF_ERROR(r.finish());
  return key;
}

}  // namespace hc::groupsig
