#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "common/check.h"
#include "crypto/openssl_adapter.h"

namespace hc::crypto {

Result<SecureBytes> hkdf_sha256(ByteSpan salt, ByteSpan ikm, ByteSpan info, std::size_t length) {
  HC_CHECK(length > 0 && length <= 255 * 32);
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (kdf == nullptr) return openssl_error(ErrorCode::kInternal, "HKDF is unavailable");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return openssl_error(ErrorCode::kInternal, "HKDF context");
  char digest[] = "SHA256";
  // OpenSSL's parameter API takes non-const pointers; it only reads these buffers.
  auto* ikm_ptr = const_cast<std::uint8_t*>(ikm.data());
  auto* salt_ptr = const_cast<std::uint8_t*>(salt.data());
  auto* info_ptr = const_cast<std::uint8_t*>(info.data());
  OSSL_PARAM params[5];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm_ptr, ikm.size());
  if (!salt.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_ptr, salt.size());
  }
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_ptr, info.size());
  params[n++] = OSSL_PARAM_construct_end();
  SecureBytes out(length);
  int rc = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) return openssl_error(ErrorCode::kInternal, "HKDF-SHA-256 failed");
  return out;
}

}  // namespace hc::crypto
