// SHA-256 digests with domain separation, and the Digest (and raw Ed25519 key and signature)
// value types used across the ledger.
//
// Every hash the ledger computes starts with a distinct ASCII tag (listed in docs/ledger.md),
// so that no two kinds of object can ever share a digest. OpenSSL stays behind this file.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "chain/limits.h"
#include "common/bytes.h"

namespace hc::chain {

using Digest = std::array<std::uint8_t, kDigestBytes>;
// Raw Ed25519 key and signature bytes as the ledger encodes them; signing and verification go
// through crypto/ed25519.h.
using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeyBytes>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

// Plain SHA-256 of `data` (used where the data already begins with its own tag).
Digest sha256(ByteSpan data);
// SHA-256(tag || part_1 || ... || part_n). Callers make the parts unambiguous (fixed sizes or
// length prefixes); the tag must end with a NUL-free, unique name such as "HC-MERKLE-LEAF-v1".
Digest tagged_hash(std::string_view tag, std::initializer_list<ByteSpan> parts);

inline ByteSpan span_of(const Digest& d) { return {d.data(), d.size()}; }
inline std::string digest_hex(const Digest& d) { return to_hex(span_of(d)); }
// Parses exactly 64 lowercase hex characters.
Result<Digest> digest_from_hex(std::string_view hex);
// Copies exactly 32 bytes; kInvalidInput on any other length.
Result<Digest> digest_from_bytes(ByteSpan bytes);

}  // namespace hc::chain
