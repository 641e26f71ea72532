// The manager's envelope keys: RSA-3072 key pairs that wrap each record's AES key with
// RSA-OAEP (SHA-256, MGF1-SHA-256). A key's id is SHA-256 of its SubjectPublicKeyInfo DER.
//
// Files: public keys as standard "PUBLIC KEY" PEM; private keys as encrypted PKCS#8 PEM
// ("ENCRYPTED PRIVATE KEY", PBES2 with scrypt N=2^14 r=8 p=1 and AES-256-CBC), which
// `openssl pkey -passin ...` reads. Objects are immutable after construction and safe to
// share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

inline constexpr int kEnvelopeRsaBits = 3072;
inline constexpr std::size_t kWrappedKeyBytes = kEnvelopeRsaBits / 8;  // 384

using KeyId = std::array<std::uint8_t, 32>;

class EnvelopePublicKey {
 public:
  static Result<EnvelopePublicKey> from_pem(std::string_view pem);
  static Result<EnvelopePublicKey> from_spki_der(ByteSpan der);
  static Result<EnvelopePublicKey> load(const std::filesystem::path& path);

  const KeyId& key_id() const { return key_id_; }
  const Bytes& spki_der() const { return spki_der_; }
  std::string to_pem() const;
  // RSA-OAEP(SHA-256, MGF1-SHA-256) encryption of a 32-byte AES key.
  Result<Bytes> wrap(ByteSpan aes_key) const;

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
  KeyId key_id_{};
  Bytes spki_der_;
};

class EnvelopePrivateKey {
 public:
  static Result<EnvelopePrivateKey> generate();
  // kAuthFailed on a wrong passphrase; kInvalidInput on a malformed PEM.
  static Result<EnvelopePrivateKey> from_encrypted_pem(std::string_view pem, const SecureBytes& passphrase);
  static Result<EnvelopePrivateKey> load(const std::filesystem::path& path, const SecureBytes& passphrase);

  const EnvelopePublicKey& public_key() const { return public_key_; }
  // Encrypted PKCS#8 PEM under the passphrase (at least 8 bytes).
  Result<std::string> to_encrypted_pem(const SecureBytes& passphrase) const;
  // Unwraps a 384-byte RSA-OAEP ciphertext to the 32-byte AES key. kAuthFailed on failure.
  Result<SecureBytes> unwrap(ByteSpan wrapped) const;

  struct Impl;

 private:
  // The key around an already-checked RSA-3072 private key (its public half derived here).
  static Result<EnvelopePrivateKey> from_impl(std::shared_ptr<Impl> impl);

  std::shared_ptr<const Impl> impl_;
  EnvelopePublicKey public_key_;
};

// The ledger's check on a published envelope key: ok if `spki_der` is exactly one canonical
// DER SubjectPublicKeyInfo holding an RSA key of 3072 bits with public exponent 65537;
// kInvalidInput otherwise.
Status check_rsa3072_spki(ByteSpan spki_der);

Result<KeyId> parse_key_id_hex(std::string_view hex);

}  // namespace hc::crypto
