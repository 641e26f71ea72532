#include "crypto/envelope_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>

#include "common/file_io.h"
#include "crypto/aes_gcm.h"
#include "crypto/hash.h"
#include "crypto/openssl_adapter.h"
#include "crypto/pkcs8_pem.h"

namespace hc::crypto {

struct EnvelopePublicKey::Impl {
  EvpPkeyPtr pkey;
};
struct EnvelopePrivateKey::Impl {
  EvpPkeyPtr pkey;
};

namespace {

constexpr std::size_t kMaxPemBytes = 16 * 1024;

// True when the RSA key's public exponent is exactly 65537 (e = 1 makes "encryption" the
// identity and e = 3 invites small-exponent attacks; every key hc generates uses 65537).
bool has_exponent_65537(const EVP_PKEY* pkey) {
  BIGNUM* e = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
    clear_openssl_errors();
    return false;
  }
  const bool ok = BN_is_word(e, 65537) == 1;
  BN_free(e);
  return ok;
}

Status require_rsa3072(EVP_PKEY* pkey) {
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) return invalid_input("envelope key is not an RSA key");
  if (EVP_PKEY_get_bits(pkey) != kEnvelopeRsaBits) return invalid_input("envelope key is not RSA-3072");
  if (!has_exponent_65537(pkey)) return invalid_input("envelope key: RSA public exponent is not 65537");
  return Status::ok_status();
}

Result<Bytes> spki_der_of(EVP_PKEY* pkey) {
  int len = i2d_PUBKEY(pkey, nullptr);
  if (len <= 0) return openssl_error(ErrorCode::kInternal, "cannot encode public key");
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  if (i2d_PUBKEY(pkey, &p) != len) return openssl_error(ErrorCode::kInternal, "cannot encode public key");
  return der;
}

Status set_oaep_params(EVP_PKEY_CTX* ctx) {
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) != 1) {
    return openssl_error(ErrorCode::kInternal, "cannot set RSA-OAEP parameters");
  }
  return Status::ok_status();
}

}  // namespace

Result<EnvelopePublicKey> EnvelopePublicKey::from_spki_der(ByteSpan der) {
  const unsigned char* p = der.data();
  EvpPkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || p != der.data() + der.size()) {
    clear_openssl_errors();
    return invalid_input("malformed SubjectPublicKeyInfo");
  }
  HC_RETURN_IF_ERROR(require_rsa3072(pkey.get()));
  EnvelopePublicKey key;
  key.spki_der_.assign(der.begin(), der.end());
  key.key_id_ = sha256(der);
  auto impl = std::make_shared<Impl>();
  impl->pkey = std::move(pkey);
  key.impl_ = std::move(impl);
  return key;
}

Result<EnvelopePublicKey> EnvelopePublicKey::from_pem(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) return Status::error(ErrorCode::kTooLarge, "public key PEM too large");
  BioPtr bio = memory_bio(pem);
  EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    clear_openssl_errors();
    return invalid_input("not a PEM public key");
  }
  HC_ASSIGN_OR_RETURN(Bytes der, spki_der_of(pkey.get()));
  return from_spki_der(der);
}

Result<EnvelopePublicKey> EnvelopePublicKey::load(const std::filesystem::path& path) {
  HC_ASSIGN_OR_RETURN(std::string pem, read_text_file(path, kMaxPemBytes));
  auto key = from_pem(pem);
  if (!key.ok()) return key.status().with_context(path.string());
  return key;
}

std::string EnvelopePublicKey::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  HC_CHECK(bio && PEM_write_bio_PUBKEY(bio.get(), impl_->pkey.get()) == 1);
  return bio_contents(bio.get());
}

Result<Bytes> EnvelopePublicKey::wrap(ByteSpan aes_key) const {
  if (aes_key.size() != kAesKeyBytes) return invalid_input("only 32-byte AES keys are wrapped");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1) {
    return openssl_error(ErrorCode::kInternal, "RSA-OAEP init failed");
  }
  HC_RETURN_IF_ERROR(set_oaep_params(ctx.get()));
  Bytes out(kWrappedKeyBytes);
  std::size_t out_len = out.size();
  if (EVP_PKEY_encrypt(ctx.get(), out.data(), &out_len, aes_key.data(), aes_key.size()) != 1) {
    return openssl_error(ErrorCode::kInternal, "RSA-OAEP wrap failed");
  }
  HC_CHECK(out_len == kWrappedKeyBytes);
  return out;
}

Result<EnvelopePrivateKey> EnvelopePrivateKey::from_impl(std::shared_ptr<Impl> impl) {
  HC_ASSIGN_OR_RETURN(Bytes der, spki_der_of(impl->pkey.get()));
  HC_ASSIGN_OR_RETURN(EnvelopePublicKey pub, EnvelopePublicKey::from_spki_der(der));
  EnvelopePrivateKey key;
  key.public_key_ = std::move(pub);
  key.impl_ = std::move(impl);
  return key;
}

Result<EnvelopePrivateKey> EnvelopePrivateKey::generate() {
  auto impl = std::make_shared<Impl>();
  impl->pkey.reset(EVP_RSA_gen(kEnvelopeRsaBits));
  if (!impl->pkey) return openssl_error(ErrorCode::kInternal, "RSA-3072 key generation failed");
  return from_impl(std::move(impl));
}

Result<EnvelopePrivateKey> EnvelopePrivateKey::from_encrypted_pem(std::string_view pem,
                                                                  const SecureBytes& passphrase) {
  auto impl = std::make_shared<Impl>();
  HC_ASSIGN_OR_RETURN(impl->pkey, decrypt_private_key_pem(pem, passphrase));
  HC_RETURN_IF_ERROR(require_rsa3072(impl->pkey.get()));
  return from_impl(std::move(impl));
}

Result<EnvelopePrivateKey> EnvelopePrivateKey::load(const std::filesystem::path& path,
                                                    const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(std::string pem, read_text_file(path, kMaxPemBytes));
  auto key = from_encrypted_pem(pem, passphrase);
  if (!key.ok()) return key.status().with_context(path.string());
  return key;
}

Result<std::string> EnvelopePrivateKey::to_encrypted_pem(const SecureBytes& passphrase) const {
  return encrypt_private_key_pem(impl_->pkey.get(), passphrase);
}

Result<SecureBytes> EnvelopePrivateKey::unwrap(ByteSpan wrapped) const {
  if (wrapped.size() != kWrappedKeyBytes) return invalid_input("wrapped key must be 384 bytes");
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1) {
    return openssl_error(ErrorCode::kInternal, "RSA-OAEP init failed");
  }
  HC_RETURN_IF_ERROR(set_oaep_params(ctx.get()));
  SecureBytes out(kWrappedKeyBytes);
  std::size_t out_len = out.size();
  if (EVP_PKEY_decrypt(ctx.get(), out.data(), &out_len, wrapped.data(), wrapped.size()) != 1) {
    clear_openssl_errors();
    return Status::error(ErrorCode::kAuthFailed, "cannot unwrap record key: wrapped key altered or wrong key");
  }
  if (out_len != kAesKeyBytes) {
    return Status::error(ErrorCode::kAuthFailed, "unwrapped record key has the wrong length");
  }
  out.truncate(out_len);
  return out;
}

Status check_rsa3072_spki(ByteSpan spki_der) {
  const unsigned char* p = spki_der.data();
  EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki_der.size())));
  if (!key) {
    clear_openssl_errors();
    return invalid_input("envelope key: not a DER SubjectPublicKeyInfo");
  }
  if (p != spki_der.data() + spki_der.size()) {
    return invalid_input("envelope key: trailing bytes after SubjectPublicKeyInfo");
  }
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return invalid_input("envelope key: not an RSA key");
  if (EVP_PKEY_get_bits(key.get()) != kEnvelopeRsaBits) {
    return invalid_input("envelope key: RSA modulus is not 3072 bits");
  }
  if (!has_exponent_65537(key.get())) return invalid_input("envelope key: RSA public exponent is not 65537");
  Result<Bytes> der = spki_der_of(key.get());
  if (!der.ok() || !std::equal(spki_der.begin(), spki_der.end(), der->begin(), der->end())) {
    clear_openssl_errors();
    return invalid_input("envelope key: SubjectPublicKeyInfo is not canonical DER");
  }
  return Status::ok_status();
}

Result<KeyId> parse_key_id_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes.ok() || bytes->size() != 32) return invalid_input("key id must be 64 hex digits");
  KeyId id{};
  std::copy(bytes->begin(), bytes->end(), id.begin());
  return id;
}

}  // namespace hc::crypto
