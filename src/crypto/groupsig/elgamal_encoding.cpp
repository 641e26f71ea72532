#include "crypto/groupsig/elgamal_encoding.h"

#include <array>

#include <fmt/format.h>

#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/digest.h"

namespace hc::groupsig::elgamal {
namespace {

void append_elgamal_header(Bytes& out, Kind kind, std::uint8_t version = kEncodingVersion) {
  append_bytes(out, as_bytes(kMagic));
  append_u8(out, static_cast<std::uint8_t>(kind));
  append_u8(out, version);
}

Status read_elgamal_header(groupsig::ByteReader& r, Kind kind, std::string_view what,
                           std::uint8_t expected_version = kEncodingVersion) {
  HC_ASSIGN_OR_RETURN(ByteSpan magic, r.bytes(kMagic.size(), "magic"));
  if (std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) != kMagic) {
    return invalid_input(fmt::format("{}: magic: not a BBS04-ElGamal encoding", what));
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t k, r.u8("kind"));
  if (k != static_cast<std::uint8_t>(kind)) {
    return invalid_input(fmt::format("{}: kind: expected {}, found {}", what,
                                     static_cast<unsigned>(kind), static_cast<unsigned>(k)));
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t version, r.u8("version"));
  if (version != expected_version) {
    return invalid_input(fmt::format("{}: version: unsupported version {}", what,
                                     static_cast<unsigned>(version)));
  }
  return Status::ok_status();
}

Status elgamal_not_identity(const G1& p, std::string_view what) {
  if (p.is_identity()) return invalid_input(fmt::format("{} is the identity", what));
  return Status::ok_status();
}

}  // namespace

Status check_group_key(const GroupKey& gpk) {
  HC_RETURN_IF_ERROR(elgamal_not_identity(gpk.g1, "group key: g1"));
  HC_RETURN_IF_ERROR(elgamal_not_identity(gpk.h, "group key: h"));
  HC_RETURN_IF_ERROR(elgamal_not_identity(gpk.u, "group key: u"));
  if (gpk.g2.is_identity()) return invalid_input("group key: g2 is the identity");
  if (gpk.w.is_identity()) return invalid_input("group key: w is the identity");
  return Status::ok_status();
}

Bytes encode_group_key(const GroupKey& gpk) {
  Bytes out;
  out.reserve(kGroupKeyBytes);
  append_elgamal_header(out, Kind::kGroupKey);
  append_u64_be(out, gpk.epoch);
  append_g1(out, gpk.g1);
  append_g2(out, gpk.g2);
  append_g1(out, gpk.h);
  append_g1(out, gpk.u);
  append_g2(out, gpk.w);
  return out;
}

Result<GroupKey> decode_group_key(ByteSpan data) {
  groupsig::ByteReader r(data, "BBS04-ElGamal group key");
  HC_RETURN_IF_ERROR(read_elgamal_header(r, Kind::kGroupKey, "BBS04-ElGamal group key"));
  GroupKey gpk;
  HC_ASSIGN_OR_RETURN(gpk.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(gpk.g1, r.g1("g1"));
  HC_ASSIGN_OR_RETURN(gpk.g2, r.g2("g2"));
  HC_ASSIGN_OR_RETURN(gpk.h, r.g1("h"));
  HC_ASSIGN_OR_RETURN(gpk.u, r.g1("u"));
  HC_ASSIGN_OR_RETURN(gpk.w, r.g2("w"));
  HC_RETURN_IF_ERROR(r.finish());
  HC_RETURN_IF_ERROR(check_group_key(gpk));
  return gpk;
}

Bytes encode_signature(const Signature& sig) {
  Bytes out;
  out.reserve(kSignatureBytes);
  append_elgamal_header(out, Kind::kSignature, kSignatureEncodingVersion);
  append_u64_be(out, sig.epoch);
  // Constant time: a signer's points derive from its nonces.
  const std::array<G1, 4> points = {sig.t1, sig.t2, sig.r1, sig.r2};
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(out, p);
  const auto r3 = sig.r3.to_bytes();
  append_bytes(out, r3);
  for (const Fr* k : {&sig.s_alpha, &sig.s_x, &sig.s_delta}) append_fr(out, *k);
  return out;
}

namespace {

// decode_signature's body; `points`, when given, holds the results of decoding T1, T2, R1, R2.
Result<Signature> decode_signature_impl(ByteSpan data, const Result<G1>* points) {
  constexpr std::string_view kWhat = "BBS04-ElGamal signature";
  groupsig::ByteReader r(data, kWhat);
  HC_RETURN_IF_ERROR(read_elgamal_header(r, Kind::kSignature, kWhat, kSignatureEncodingVersion));
  Signature sig;
  HC_ASSIGN_OR_RETURN(sig.epoch, r.u64("epoch"));
  constexpr std::array<std::string_view, 4> kPointNames = {"T1", "T2", "R1", "R2"};
  G1* const targets[4] = {&sig.t1, &sig.t2, &sig.r1, &sig.r2};
  for (std::size_t i = 0; i < 4; ++i) {
    HC_ASSIGN_OR_RETURN(*targets[i], points != nullptr ? r.g1_decoded(kPointNames[i], points[i])
                                                       : r.g1(kPointNames[i]));
  }
  HC_ASSIGN_OR_RETURN(ByteSpan r3_bytes, r.bytes(kGtBytes, "R3"));
  Result<GT> r3 = GT::from_bytes(r3_bytes);
  if (!r3.ok()) return invalid_input(fmt::format("{}: R3: {}", kWhat, r3.status().message()));
  sig.r3 = *r3;
  HC_ASSIGN_OR_RETURN(sig.s_alpha, r.fr("s_alpha"));
  HC_ASSIGN_OR_RETURN(sig.s_x, r.fr("s_x"));
  HC_ASSIGN_OR_RETURN(sig.s_delta, r.fr("s_delta"));
  HC_RETURN_IF_ERROR(r.finish());
  // An identity T1 (alpha = 0) would leave A in clear in T2.
  HC_RETURN_IF_ERROR(elgamal_not_identity(sig.t1, "BBS04-ElGamal signature: T1"));
  HC_RETURN_IF_ERROR(elgamal_not_identity(sig.t2, "BBS04-ElGamal signature: T2"));
  return sig;
}

}  // namespace

Result<Signature> decode_signature(ByteSpan data) { return decode_signature_impl(data, nullptr); }

std::optional<std::array<ByteSpan, 4>> signature_point_encodings(ByteSpan data) {
  if (data.size() != kSignatureBytes) return std::nullopt;
  constexpr std::size_t kFirst = kHeaderBytes + kEpochBytes;
  std::array<ByteSpan, 4> out;
  for (std::size_t i = 0; i < 4; ++i) out[i] = data.subspan(kFirst + i * kG1Bytes, kG1Bytes);
  return out;
}

Result<Signature> decode_signature_with_points(ByteSpan data, std::span<const Result<G1>, 4> points) {
  return decode_signature_impl(data, points.data());
}

Bytes encode_opening_proof(const OpeningProof& proof) {
  Bytes out;
  append_elgamal_header(out, Kind::kOpeningProof);
  append_u64_be(out, proof.epoch);
  append_name(out, proof.member);
  append_fr(out, proof.proof.c);
  append_fr(out, proof.proof.z);
  return out;
}

Result<OpeningProof> decode_opening_proof(ByteSpan data) {
  groupsig::ByteReader r(data, "BBS04-ElGamal opening proof");
  HC_RETURN_IF_ERROR(read_elgamal_header(r, Kind::kOpeningProof, "BBS04-ElGamal opening proof"));
  OpeningProof proof;
  HC_ASSIGN_OR_RETURN(proof.epoch, r.u64("epoch"));
  HC_ASSIGN_OR_RETURN(proof.member, r.name("member"));
  HC_ASSIGN_OR_RETURN(proof.proof.c, r.fr("c"));
  HC_ASSIGN_OR_RETURN(proof.proof.z, r.fr("z"));
  HC_RETURN_IF_ERROR(r.finish());
  return proof;
}

Digest32 group_key_digest(const GroupKey& gpk) {
  return tagged_sha256(kDstGroupKeyDigest, encode_group_key(gpk));
}

Digest32 message_digest(ByteSpan message) { return tagged_sha256(kDstMessageDigest, message); }

Digest32 signature_digest(const Signature& sig) {
  return tagged_sha256(kDstSignatureDigest, encode_signature(sig));
}

}  // namespace hc::groupsig::elgamal
