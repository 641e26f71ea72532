// AES-256-GCM with a 96-bit nonce and a 128-bit tag appended to the ciphertext.
// Callers supply a fresh random key per record (records never reuse a key), so nonce reuse
// under one key cannot happen in Healthchain. Open returns kAuthFailed on any alteration
// of key, nonce, associated data, ciphertext or tag, and never returns partial plaintext.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

inline constexpr std::size_t kAesKeyBytes = 32;
inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

using GcmNonce = std::array<std::uint8_t, kGcmNonceBytes>;

// Returns ciphertext || tag.
Result<Bytes> aes256gcm_seal(ByteSpan key, const GcmNonce& nonce, ByteSpan aad, ByteSpan plaintext);
// `sealed` is ciphertext || tag.
Result<SecureBytes> aes256gcm_open(ByteSpan key, const GcmNonce& nonce, ByteSpan aad, ByteSpan sealed);

}  // namespace hc::crypto
