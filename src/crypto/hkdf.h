// HKDF-SHA-256 (RFC 5869), extract-then-expand, through OpenSSL's EVP_KDF. Used by envelope
// version 2 and the trustees' encrypted shares to turn an ECDH shared x-coordinate into an
// AES-256-GCM key. Pure function, thread-safe.
#pragma once

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

// HKDF-SHA-256(salt, ikm, info) truncated to `length` bytes (1..8160). An empty salt is the
// RFC's default (32 zero bytes). kInternal only if OpenSSL fails.
Result<SecureBytes> hkdf_sha256(ByteSpan salt, ByteSpan ikm, ByteSpan info, std::size_t length);

}  // namespace hc::crypto
