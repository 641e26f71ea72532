// Encrypted PKCS#8 PEM for any OpenSSL private key (crypto-internal: exposes EVP_PKEY, so only
// src/crypto/*.cpp include it). PBES2 with scrypt (N=2^14, r=8, p=1, 16-byte random salt) and
// AES-256-CBC, which `openssl pkey -passin ...` reads. Decryption accepts only that scheme,
// checked on the ASN.1 algorithm identifiers (salts of 8 bytes or more, so files written with
// the earlier 8-byte salt still open): exactly one PEM block labelled
// "ENCRYPTED PRIVATE KEY", nothing but whitespace around it, no PBKDF2, no other cipher.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/openssl_adapter.h"

namespace hc::crypto {

inline constexpr std::size_t kMinPassphraseBytes = 8;
inline constexpr std::size_t kMaxPrivateKeyPemBytes = 16 * 1024;

// kInvalidInput for a passphrase shorter than 8 bytes.
Result<std::string> encrypt_private_key_pem(EVP_PKEY* pkey, const SecureBytes& passphrase);
// kInvalidInput for a non-encrypted or malformed PEM, another PEM block or another scheme;
// kAuthFailed for a wrong passphrase.
Result<EvpPkeyPtr> decrypt_private_key_pem(std::string_view pem, const SecureBytes& passphrase);

}  // namespace hc::crypto
