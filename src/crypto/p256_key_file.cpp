#include "crypto/p256_key_file.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "common/file_io.h"
#include "crypto/openssl_adapter.h"
#include "crypto/pkcs8_pem.h"

namespace hc::crypto {

namespace {

struct P256KeyFileBnDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using P256KeyFileBn = std::unique_ptr<BIGNUM, P256KeyFileBnDeleter>;

struct P256KeyFileParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct P256KeyFileParamsDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};

Result<EvpPkeyPtr> p256_pkey_of(const P256Scalar& secret) {
  if (secret.is_zero()) return invalid_input("a P-256 private key must be non-zero");
  const P256PointBytes pub = P256Point::base_mul(secret).encode();
  P256KeyFileBn priv(BN_secure_new());
  if (!priv || BN_bin2bn(secret.bytes().data(), static_cast<int>(secret.bytes().size()), priv.get()) == nullptr) {
    return openssl_error(ErrorCode::kInternal, "cannot hold the P-256 key");
  }
  std::unique_ptr<OSSL_PARAM_BLD, P256KeyFileParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) != 1) {
    return openssl_error(ErrorCode::kInternal, "cannot build the P-256 key");
  }
  std::unique_ptr<OSSL_PARAM, P256KeyFileParamsDeleter> params(OSSL_PARAM_BLD_to_param(bld.get()));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return openssl_error(ErrorCode::kInternal, "cannot build the P-256 key");
  }
  return EvpPkeyPtr(raw);
}

}  // namespace

Result<std::string> p256_secret_to_encrypted_pem(const P256Scalar& secret, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, p256_pkey_of(secret));
  return encrypt_private_key_pem(pkey.get(), passphrase);
}

Result<P256Scalar> p256_secret_from_encrypted_pem(std::string_view pem, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(EvpPkeyPtr pkey, decrypt_private_key_pem(pem, passphrase));
  char group[64] = {0};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_EC ||
      EVP_PKEY_get_utf8_string_param(pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &group_len) != 1 ||
      std::string_view(group, group_len) != "prime256v1") {
    clear_openssl_errors();
    return invalid_input("key is not a P-256 key");
  }
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1) {
    return openssl_error(ErrorCode::kInvalidInput, "cannot read the P-256 private key");
  }
  P256KeyFileBn priv(raw);
  std::array<std::uint8_t, kP256ScalarBytes> be{};
  if (BN_bn2binpad(priv.get(), be.data(), static_cast<int>(be.size())) != static_cast<int>(be.size())) {
    return invalid_input("the P-256 private key is out of range");
  }
  auto scalar = P256Scalar::from_bytes(be);
  secure_wipe(be.data(), be.size());
  if (!scalar.ok() || scalar->is_zero()) return invalid_input("the P-256 private key is out of range");
  return scalar;
}

Result<P256Point> write_new_p256_key(const std::filesystem::path& file, const SecureBytes& passphrase) {
  const P256Scalar secret = P256Scalar::random_nonzero();
  HC_ASSIGN_OR_RETURN(std::string pem, p256_secret_to_encrypted_pem(secret, passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(file, pem, 0600));
  return P256Point::base_mul(secret);
}

Result<P256Scalar> load_p256_key(const std::filesystem::path& file, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(std::string pem, read_text_file(file, kMaxPrivateKeyPemBytes));
  auto key = p256_secret_from_encrypted_pem(pem, passphrase);
  if (!key.ok()) return key.status().with_context(file.string());
  return key;
}

}  // namespace hc::crypto
