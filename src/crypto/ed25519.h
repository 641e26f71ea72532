// Ed25519 signatures (RFC 8032, through OpenSSL): the project's one Ed25519 implementation,
// for the replicas' message keys, the ledger's commit certificates, the network handshake and
// the manager's administration key. Public keys are 32 raw bytes, signatures
// 64 bytes. Private keys are stored as encrypted PKCS#8 PEM (see pkcs8_pem.h). Key objects
// are immutable after construction and safe to share between threads; sign() and verify()
// may be called concurrently.
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

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kEd25519SeedBytes = 32;

using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

class Ed25519PublicKey {
 public:
  Ed25519PublicKey() = default;
  static Result<Ed25519PublicKey> from_bytes(ByteSpan raw32);
  static Result<Ed25519PublicKey> from_hex(std::string_view hex);
  const std::array<std::uint8_t, 32>& bytes() const { return raw_; }
  std::string to_hex() const;
  bool valid() const { return static_cast<bool>(impl_); }
  // False for any wrong signature, message or key; never an error.
  bool verify(ByteSpan message, ByteSpan signature) const;
  bool operator==(const Ed25519PublicKey& o) const { return raw_ == o.raw_; }

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
  std::array<std::uint8_t, 32> raw_{};
};

class Ed25519PrivateKey {
 public:
  static Result<Ed25519PrivateKey> generate();
  // The key of a 32-byte RFC 8032 secret seed (deterministic; replicas' consensus keys, test
  // and benchmark fixtures). kInvalidInput unless the seed is 32 bytes; kInternal if OpenSSL
  // fails. The caller keeps the seed in SecureBytes; the key object holds its own copy.
  static Result<Ed25519PrivateKey> from_seed(const SecureBytes& seed);
  static Result<Ed25519PrivateKey> from_encrypted_pem(std::string_view pem, const SecureBytes& passphrase);
  static Result<Ed25519PrivateKey> load(const std::filesystem::path& path, const SecureBytes& passphrase);
  Result<std::string> to_encrypted_pem(const SecureBytes& passphrase) const;

  const Ed25519PublicKey& public_key() const { return public_key_; }
  Ed25519Signature sign(ByteSpan message) const;

  struct Impl;

 private:
  // Takes ownership of a loaded key and derives its public half.
  static Result<Ed25519PrivateKey> adopt(std::shared_ptr<Impl> impl);
  std::shared_ptr<const Impl> impl_;
  Ed25519PublicKey public_key_;
};

}  // namespace hc::crypto
