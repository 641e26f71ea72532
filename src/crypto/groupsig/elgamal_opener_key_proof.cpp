#include "crypto/groupsig/elgamal_opener_key_proof.h"

#include <array>

#include "common/check.h"
#include "common/file_io.h"
#include "common/secure_bytes.h"
#include "crypto/groupsig/byte_reader.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig::elgamal {
namespace {

Fr opener_key_challenge(ByteSpan context, const G1& u, const G1& h, const G1& r) {
  Bytes buf;
  buf.reserve(4 + context.size() + 3 * kG1Bytes);
  append_length_prefixed(buf, context);
  // R derives from the prover's nonce: one constant-time batch normalisation.
  const std::array<G1, 3> points = {u, h, r};
  for (const auto& p : bls12_381::to_compressed_batch(points)) append_bytes(buf, p);
  Result<Fr> c = bls12_381::hash_to_fr(buf, as_bytes(kDstOpenerKeyProof));
  HC_CHECK(c.ok());  // fails only for an empty or over-long DST (a constant here)
  return c.value();
}

constexpr std::uint8_t kOpenerSecretVersion = 1;

}  // namespace

FreshOpener new_opener_key(const G1& u) {
  FreshOpener out;
  out.opener.xi = Fr::random_nonzero();
  out.h = u.mul_secret(out.opener.xi);
  return out;
}

OpenerKeyProof prove_opener_key(ByteSpan context, const G1& u, const G1& h, const OpenerKey& opener) {
  HC_CHECK(u.mul_secret(opener.xi) == h);
  Fr k = Fr::random();
  OpenerKeyProof proof;
  proof.c = opener_key_challenge(context, u, h, u.mul_secret(k));
  Fr c_xi = proof.c * opener.xi;
  proof.z = k + c_xi;
  c_xi.wipe();
  k.wipe();
  return proof;
}

bool verify_opener_key(ByteSpan context, const G1& u, const G1& h, const OpenerKeyProof& proof) {
  if (u.is_identity() || h.is_identity()) return false;
  const G1 r = bls12_381::msm(std::array<G1, 2>{u, h}, std::array<Fr, 2>{proof.z, -proof.c});
  return opener_key_challenge(context, u, h, r) == proof.c;
}

std::array<std::uint8_t, kOpenerKeyProofBytes> encode_opener_key_proof(const OpenerKeyProof& proof) {
  std::array<std::uint8_t, kOpenerKeyProofBytes> out{};
  const auto c = proof.c.to_bytes();
  const auto z = proof.z.to_bytes();
  std::copy(c.begin(), c.end(), out.begin());
  std::copy(z.begin(), z.end(), out.begin() + kFrBytes);
  return out;
}

Result<OpenerKeyProof> decode_opener_key_proof(ByteSpan data) {
  if (data.size() != kOpenerKeyProofBytes) return invalid_input("opener key proof: must be 64 bytes");
  auto c = Fr::from_bytes(data.first(kFrBytes));
  auto z = Fr::from_bytes(data.subspan(kFrBytes));
  if (!c.ok() || !z.ok()) return invalid_input("opener key proof: a scalar is not below the group order");
  return OpenerKeyProof{*c, *z};
}

Status save_opener_key_file(const std::filesystem::path& file, const OpenerKey& opener, const G1& h,
                            ByteSpan passphrase, const ScryptParams& params) {
  Bytes secret;
  append_bytes(secret, as_bytes(kMagic));
  append_u8(secret, static_cast<std::uint8_t>(Kind::kOpenerSecret));
  append_u8(secret, kOpenerSecretVersion);
  auto xi = opener.xi.to_bytes();
  append_bytes(secret, xi);
  secure_wipe(xi.data(), xi.size());
  const auto h_bytes = h.to_compressed();
  Result<Bytes> sealed = seal_key_file(KeyKind::kElGamalOpener, h_bytes, secret, passphrase, params);
  secure_wipe(secret.data(), secret.size());
  if (!sealed.ok()) return sealed.status();
  return write_file_atomic(file, *sealed, 0600);
}

Result<OpenerKey> load_opener_key_file(const std::filesystem::path& file, ByteSpan passphrase) {
  HC_ASSIGN_OR_RETURN(Bytes data, read_file(file, kMaxEncodingBytes));
  Result<KeyFileContents> contents = open_key_file(data, KeyKind::kElGamalOpener, passphrase);
  if (!contents.ok()) return contents.status().with_context(file.string());
  const ByteSpan secret = contents->secret.span();
  constexpr std::size_t kSecretBytes = kHeaderBytes + kFrBytes;
  if (secret.size() != kSecretBytes || !std::equal(kMagic.begin(), kMagic.end(), secret.begin(),
                                                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; }) ||
      secret[4] != static_cast<std::uint8_t>(Kind::kOpenerSecret) || secret[5] != kOpenerSecretVersion) {
    return invalid_input(file.string() + ": not a BBS04-ElGamal opener key");
  }
  auto xi = Fr::from_bytes(secret.subspan(kHeaderBytes));
  if (!xi.ok() || xi->is_zero()) return invalid_input(file.string() + ": the opener secret is not a nonzero scalar");
  OpenerKey out;
  out.xi = *xi;
  xi->wipe();
  return out;
}

}  // namespace hc::groupsig::elgamal
