// Passphrase-encrypted key files for the issuer, opener and member keys.
//
// Container (binary, layout in docs/groupsig.md): header "HCGS" kind 9 version 1, key kind,
// scrypt parameters and salt, AES-256-GCM nonce, a public part (readable without the
// passphrase, authenticated), and the ciphertext of the secret payload with its 16-byte tag.
// key = scrypt(passphrase, salt, N = 2^log2_n, r, p, 32 bytes); the AEAD's associated data
// is the DST followed by every byte before the ciphertext, so no header field can be changed
// undetected. A wrong passphrase and a modified file both give kAuthFailed. Plaintexts and
// derived keys are wiped. Thread-safe (no shared state).
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::groupsig {

// kElGamalOpener: a single BBS04-ElGamal opener's xi (elgamal_opener_key_proof.h).
enum class KeyKind : std::uint8_t { kIssuer = 1, kOpener = 2, kMember = 3, kElGamalOpener = 4 };

struct ScryptParams {
  std::uint8_t log2_n = 15;  // N = 32768: about 32 MiB and 0.1 s per derivation
  std::uint8_t r = 8;
  std::uint8_t p = 1;
};
// Accepted ranges (the memory bound keeps a hostile file from exhausting memory).
inline constexpr std::uint8_t kMinScryptLog2N = 10;
inline constexpr std::uint8_t kMaxScryptLog2N = 20;
inline constexpr std::uint8_t kMaxScryptR = 16;
inline constexpr std::uint8_t kMaxScryptP = 4;
// New key files need a passphrase of at least 8 bytes, the minimum of the PKCS#8 key files
// (crypto/pkcs8_pem.h). Opening accepts any non-empty passphrase, so files sealed before the
// minimum existed still open (and can be re-sealed).
inline constexpr std::size_t kMinPassphraseBytes = 8;

struct KeyFileContents {
  KeyKind kind;
  Bytes public_part;
  SecureBytes secret;
};

// Encrypts `secret` under `passphrase`. kInvalidInput for a passphrase shorter than
// kMinPassphraseBytes or parameters out of range; kInternal if OpenSSL fails.
Result<Bytes> seal_key_file(KeyKind kind, ByteSpan public_part, ByteSpan secret,
                            ByteSpan passphrase, const ScryptParams& params = {});

// Decrypts a key file, which must be of kind `expected`. kInvalidInput for a malformed file or
// another kind of key; kAuthFailed for a wrong passphrase or a modified file.
Result<KeyFileContents> open_key_file(ByteSpan file, KeyKind expected, ByteSpan passphrase);

// The public part and kind, without decrypting (for display).
Result<KeyFileContents> peek_key_file(ByteSpan file);

}  // namespace hc::groupsig
