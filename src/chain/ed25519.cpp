#include "chain/ed25519.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace hc::chain {

namespace {
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Result<Ed25519KeyPair> pair_of(const PkeyPtr& key) {
  Ed25519KeyPair pair;
  pair.seed = SecureBytes(32);
  std::size_t len = 32;
  if (EVP_PKEY_get_raw_private_key(key.get(), pair.seed.data(), &len) != 1 || len != 32) {
    return Status::error(ErrorCode::kInternal, "ed25519: cannot export private key");
  }
  len = pair.public_key.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), pair.public_key.data(), &len) != 1 || len != 32) {
    return Status::error(ErrorCode::kInternal, "ed25519: cannot export public key");
  }
  return pair;
}
}  // namespace

Result<Ed25519KeyPair> ed25519_generate() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Status::error(ErrorCode::kInternal, "ed25519: key generation failed");
  return pair_of(key);
}

Result<Ed25519KeyPair> ed25519_from_seed(ByteSpan seed) {
  if (seed.size() != 32) return invalid_input("ed25519: seed must be 32 bytes");
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key) return Status::error(ErrorCode::kInternal, "ed25519: cannot load seed");
  return pair_of(key);
}

Result<Ed25519Signature> ed25519_sign(const SecureBytes& seed, ByteSpan message) {
  if (seed.size() != 32) return invalid_input("ed25519: seed must be 32 bytes");
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return Status::error(ErrorCode::kInternal, "ed25519: cannot initialise signing");
  }
  Ed25519Signature sig{};
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1 ||
      len != sig.size()) {
    return Status::error(ErrorCode::kInternal, "ed25519: signing failed");
  }
  return sig;
}

Status ed25519_verify(const Ed25519PublicKey& public_key, ByteSpan message,
                      const Ed25519Signature& signature) {
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(),
                                          public_key.size()));
  if (!key) return Status::error(ErrorCode::kAuthFailed, "ed25519: unusable public key");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return Status::error(ErrorCode::kInternal, "ed25519: cannot initialise verification");
  }
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                       message.size()) != 1) {
    return Status::error(ErrorCode::kAuthFailed, "ed25519: bad signature");
  }
  return Status();
}

Status check_rsa3072_spki(ByteSpan spki_der) {
  const unsigned char* p = spki_der.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) return invalid_input("envelope key: not a DER SubjectPublicKeyInfo");
  if (p != spki_der.data() + spki_der.size()) {
    return invalid_input("envelope key: trailing bytes after SubjectPublicKeyInfo");
  }
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return invalid_input("envelope key: not an RSA key");
  }
  if (EVP_PKEY_get_bits(key.get()) != 3072) {
    return invalid_input("envelope key: RSA modulus is not 3072 bits");
  }
  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(key.get(), &der);
  bool canonical = der_len == static_cast<int>(spki_der.size()) &&
                   std::equal(spki_der.begin(), spki_der.end(), der);
  OPENSSL_free(der);
  if (!canonical) return invalid_input("envelope key: SubjectPublicKeyInfo is not canonical DER");
  return Status();
}

}  // namespace hc::chain
