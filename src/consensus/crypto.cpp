#include "consensus/crypto.h"

#include <openssl/evp.h>

namespace hc::consensus {
namespace {
EVP_PKEY* as_pkey(void* p) { return static_cast<EVP_PKEY*>(p); }
}  // namespace

Result<std::unique_ptr<Ed25519Signer>> Ed25519Signer::create(const SecureBytes& seed) {
  if (seed.size() != 32) return invalid_input("Ed25519 seed must be 32 bytes");
  std::unique_ptr<Ed25519Signer> signer(new Ed25519Signer());
  signer->pkey_ = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), 32);
  if (signer->pkey_ == nullptr) return Status::error(ErrorCode::kInternal, "Ed25519 key load failed");
  std::size_t len = signer->public_key_.size();
  if (EVP_PKEY_get_raw_public_key(as_pkey(signer->pkey_), signer->public_key_.data(), &len) != 1 ||
      len != 32) {
    return Status::error(ErrorCode::kInternal, "Ed25519 public key derivation failed");
  }
  return signer;
}

Ed25519Signer::~Ed25519Signer() { EVP_PKEY_free(as_pkey(pkey_)); }

Signature Ed25519Signer::sign(ByteSpan msg) {
  Signature sig{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  HC_CHECK(ctx != nullptr);
  std::size_t len = sig.size();
  const bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkey_)) == 1 &&
                  EVP_DigestSign(ctx, sig.data(), &len, msg.data(), msg.size()) == 1 &&
                  len == sig.size();
  EVP_MD_CTX_free(ctx);
  HC_CHECK(ok);  // signing with a loaded Ed25519 key cannot fail short of memory exhaustion
  return sig;
}

Result<std::unique_ptr<Ed25519Verifier>> Ed25519Verifier::create(
    const std::vector<PublicKey>& keys) {
  std::unique_ptr<Ed25519Verifier> verifier(new Ed25519Verifier());
  for (const PublicKey& key : keys) {
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.data(), key.size());
    if (pkey == nullptr) return invalid_input("invalid Ed25519 public key");
    verifier->pkeys_.push_back(pkey);
  }
  return verifier;
}

Ed25519Verifier::~Ed25519Verifier() {
  for (void* p : pkeys_) EVP_PKEY_free(as_pkey(p));
}

bool Ed25519Verifier::verify(ReplicaId signer, ByteSpan msg, const Signature& sig) {
  if (signer >= pkeys_.size()) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkeys_[signer])) == 1 &&
                  EVP_DigestVerify(ctx, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Signature fake_signature(ReplicaId id, ByteSpan msg) {
  constexpr std::string_view kTag = "HC-PBFT/1/fake";
  Bytes buf(kTag.begin(), kTag.end());
  append_u32_be(buf, id);
  append_bytes(buf, msg);
  const Digest d = sha256(buf);
  Signature sig{};
  std::copy(d.begin(), d.end(), sig.begin());
  std::copy(d.begin(), d.end(), sig.begin() + 32);
  return sig;
}

Signature FakeSigner::sign(ByteSpan msg) { return fake_signature(id_, msg); }

bool FakeVerifier::verify(ReplicaId signer, ByteSpan msg, const Signature& sig) {
  if (signer >= n_) return false;
  return fake_signature(signer, msg) == sig;
}

}  // namespace hc::consensus
