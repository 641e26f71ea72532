#include "crypto/aes_gcm.h"

#include <climits>

#include "crypto/openssl_adapter.h"

namespace hc::crypto {

namespace {

Result<EvpCipherCtxPtr> make_ctx(ByteSpan key, const GcmNonce& nonce, ByteSpan aad, bool encrypt) {
  if (key.size() != kAesKeyBytes) return invalid_input("AES-256-GCM key must be 32 bytes");
  if (aad.size() > INT_MAX) return Status::error(ErrorCode::kTooLarge, "associated data too large");
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return openssl_error(ErrorCode::kInternal, "EVP_CIPHER_CTX_new failed");
  int ok = encrypt ? EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), nonce.data(), nullptr)
                   : EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), nonce.data(), nullptr);
  if (ok != 1) return openssl_error(ErrorCode::kInternal, "AES-256-GCM init failed");
  int outl = 0;
  if (!aad.empty()) {
    ok = encrypt ? EVP_EncryptUpdate(ctx.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size()))
                 : EVP_DecryptUpdate(ctx.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size()));
    if (ok != 1) return openssl_error(ErrorCode::kInternal, "AES-256-GCM AAD failed");
  }
  return ctx;
}

}  // namespace

Result<Bytes> aes256gcm_seal(ByteSpan key, const GcmNonce& nonce, ByteSpan aad, ByteSpan plaintext) {
  if (plaintext.size() > INT_MAX - 64) return Status::error(ErrorCode::kTooLarge, "plaintext too large");
  HC_ASSIGN_OR_RETURN(EvpCipherCtxPtr ctx, make_ctx(key, nonce, aad, true));
  Bytes out(plaintext.size() + kGcmTagBytes);
  int len = 0, fin = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
    return openssl_error(ErrorCode::kInternal, "AES-256-GCM encryption failed");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes,
                          out.data() + plaintext.size()) != 1) {
    return openssl_error(ErrorCode::kInternal, "AES-256-GCM tag failed");
  }
  return out;
}

Result<SecureBytes> aes256gcm_open(ByteSpan key, const GcmNonce& nonce, ByteSpan aad, ByteSpan sealed) {
  if (sealed.size() < kGcmTagBytes) return invalid_input("ciphertext is shorter than the GCM tag");
  if (sealed.size() > INT_MAX - 64) return Status::error(ErrorCode::kTooLarge, "ciphertext too large");
  HC_ASSIGN_OR_RETURN(EvpCipherCtxPtr ctx, make_ctx(key, nonce, aad, false));
  std::size_t ct_len = sealed.size() - kGcmTagBytes;
  SecureBytes out(ct_len);
  int len = 0, fin = 0;
  if (EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data(), static_cast<int>(ct_len)) != 1) {
    return openssl_error(ErrorCode::kInternal, "AES-256-GCM decryption failed");
  }
  Bytes tag(sealed.begin() + static_cast<std::ptrdiff_t>(ct_len), sealed.end());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) != 1) {
    return openssl_error(ErrorCode::kInternal, "AES-256-GCM set tag failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
    clear_openssl_errors();
    return Status::error(ErrorCode::kAuthFailed,
                         "record authentication failed: ciphertext, tag, nonce or bound fields were altered");
  }
  return out;
}

}  // namespace hc::crypto
