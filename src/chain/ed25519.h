// Ed25519 (RFC 8032, pure) for the manager's administration key and the replicas' keys,
// through OpenSSL EVP; no OpenSSL type leaves ed25519.cpp. Also the one check the ledger makes
// on a published envelope key (an RSA-3072 SubjectPublicKeyInfo).
//
// Private keys are 32-byte seeds held in SecureBytes (wiped on destruction). All functions
// are pure and thread-safe.
#pragma once

#include <array>

#include "chain/limits.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::chain {

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeyBytes>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

struct Ed25519KeyPair {
  SecureBytes seed;  // 32 bytes
  Ed25519PublicKey public_key{};
};

// A fresh key pair from the OS random generator. kInternal if OpenSSL fails.
Result<Ed25519KeyPair> ed25519_generate();
// The key pair of a 32-byte seed (deterministic; tests and the benchmark use fixed seeds).
Result<Ed25519KeyPair> ed25519_from_seed(ByteSpan seed);
// Signs `message` with the seed. kInvalidInput if the seed is not 32 bytes.
Result<Ed25519Signature> ed25519_sign(const SecureBytes& seed, ByteSpan message);
// ok if `signature` is a valid signature of `message` under `public_key`; kAuthFailed if not.
Status ed25519_verify(const Ed25519PublicKey& public_key, ByteSpan message,
                      const Ed25519Signature& signature);

// ok if `spki_der` is exactly one DER SubjectPublicKeyInfo holding an RSA key of 3072 bits;
// kInvalidInput otherwise.
Status check_rsa3072_spki(ByteSpan spki_der);

}  // namespace hc::chain
