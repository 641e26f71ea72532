// SHA-256, HMAC-SHA-256 and the system CSPRNG, as small value-returning functions.
// All functions are thread-safe. random_bytes aborts the process if OpenSSL's DRBG fails,
// since no caller can continue safely without randomness.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/bytes.h"

namespace hc::crypto {

using Digest32 = std::array<std::uint8_t, 32>;

Digest32 sha256(ByteSpan data);
Digest32 hmac_sha256(ByteSpan key, ByteSpan data);
void random_bytes(std::span<std::uint8_t> out);

}  // namespace hc::crypto
