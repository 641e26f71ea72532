// A P-256 private key at rest (a trustee's long-term key, docs/threshold.md): encrypted
// PKCS#8 PEM exactly like the node's other secret keys (pkcs8_pem.h: PBES2, scrypt,
// AES-256-CBC; `openssl pkey` reads it). The scalar comes back as a P256Scalar, wiped when
// destroyed; no OpenSSL type leaks past this header. Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::crypto {

// The key `secret` (non-zero) as encrypted PKCS#8 PEM; kInvalidInput for a zero scalar or a
// passphrase shorter than 8 bytes.
Result<std::string> p256_secret_to_encrypted_pem(const P256Scalar& secret, const SecureBytes& passphrase);
// kInvalidInput for a malformed PEM or a key that is not on P-256, kAuthFailed for a wrong
// passphrase.
Result<P256Scalar> p256_secret_from_encrypted_pem(std::string_view pem, const SecureBytes& passphrase);

// A fresh key written to `file` (0600, atomically); returns its public point.
Result<P256Point> write_new_p256_key(const std::filesystem::path& file, const SecureBytes& passphrase);
// The key in `file`; errors name the file.
Result<P256Scalar> load_p256_key(const std::filesystem::path& file, const SecureBytes& passphrase);

}  // namespace hc::crypto
