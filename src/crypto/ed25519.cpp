#include "crypto/ed25519.h"

#include "common/file_io.h"
#include "crypto/openssl_adapter.h"
#include "crypto/pkcs8_pem.h"

namespace hc::crypto {

struct Ed25519PublicKey::Impl {
  EvpPkeyPtr pkey;
};
struct Ed25519PrivateKey::Impl {
  EvpPkeyPtr pkey;
};

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

Result<Ed25519PublicKey> public_of(EVP_PKEY* pkey) {
  std::array<std::uint8_t, 32> raw{};
  std::size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
    return openssl_error(ErrorCode::kInternal, "cannot read Ed25519 public key");
  }
  return Ed25519PublicKey::from_bytes(raw);
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKey::from_bytes(ByteSpan raw32) {
  if (raw32.size() != kEd25519PublicKeyBytes) return invalid_input("Ed25519 public key must be 32 bytes");
  EvpPkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw32.data(), raw32.size()));
  if (!pkey) {
    clear_openssl_errors();
    return invalid_input("invalid Ed25519 public key");
  }
  Ed25519PublicKey key;
  std::copy(raw32.begin(), raw32.end(), key.raw_.begin());
  auto impl = std::make_shared<Impl>();
  impl->pkey = std::move(pkey);
  key.impl_ = std::move(impl);
  return key;
}

Result<Ed25519PublicKey> Ed25519PublicKey::from_hex(std::string_view hex) {
  auto bytes = hc::from_hex(hex);
  if (!bytes.ok()) return invalid_input("Ed25519 public key is not hex");
  return from_bytes(*bytes);
}

std::string Ed25519PublicKey::to_hex() const { return hc::to_hex(raw_); }

bool Ed25519PublicKey::verify(ByteSpan message, ByteSpan signature) const {
  if (!impl_ || signature.size() != kEd25519SignatureBytes) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) != 1) {
    clear_openssl_errors();
    return false;
  }
  int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size());
  if (rc != 1) clear_openssl_errors();
  return rc == 1;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::adopt(std::shared_ptr<Impl> impl) {
  Ed25519PrivateKey key;
  HC_ASSIGN_OR_RETURN(key.public_key_, public_of(impl->pkey.get()));
  key.impl_ = std::move(impl);
  return key;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
  EvpPkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) return openssl_error(ErrorCode::kInternal, "Ed25519 key generation failed");
  return adopt(std::make_shared<Impl>(Impl{std::move(pkey)}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_seed(const SecureBytes& seed) {
  if (seed.size() != kEd25519SeedBytes) return invalid_input("Ed25519 seed must be 32 bytes");
  EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!pkey) return openssl_error(ErrorCode::kInternal, "Ed25519 key load failed");
  return adopt(std::make_shared<Impl>(Impl{std::move(pkey)}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_encrypted_pem(std::string_view pem,
                                                                const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, decrypt_private_key_pem(pem, passphrase));
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_ED25519) return invalid_input("key is not an Ed25519 key");
  return adopt(std::make_shared<Impl>(Impl{std::move(pkey)}));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::load(const std::filesystem::path& path, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(std::string pem, read_text_file(path, kMaxPrivateKeyPemBytes));
  auto key = from_encrypted_pem(pem, passphrase);
  if (!key.ok()) return key.status().with_context(path.string());
  return key;
}

Result<std::string> Ed25519PrivateKey::to_encrypted_pem(const SecureBytes& passphrase) const {
  return encrypt_private_key_pem(impl_->pkey.get(), passphrase);
}

Ed25519Signature Ed25519PrivateKey::sign(ByteSpan message) const {
  Ed25519Signature sig{};
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = sig.size();
  HC_CHECK(ctx && EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) == 1);
  HC_CHECK(EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) == 1);
  HC_CHECK(len == sig.size());
  return sig;
}

}  // namespace hc::crypto
