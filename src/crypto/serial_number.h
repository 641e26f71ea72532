// Serial numbers: the patient pseudonyms under which records are indexed on the ledger.
//
// serial = HMAC-SHA-256(pseudonym_key, encode("HC-SERIAL-v1", norm_name, norm_id)), where
// encode() writes each of the three fields as a 32-bit big-endian length followed by its
// bytes. The key is a 32-byte consortium secret: without it, the small space of ID numbers
// cannot be enumerated to reverse a serial (an unkeyed hash, as in the paper, can be).
//
// Normalization (docs/record-format.md):
// - name: must be valid UTF-8; ASCII whitespace (space, \t, \n, \v, \f, \r) trimmed at both
//   ends and each inner run collapsed to one space; ASCII letters folded to lower case;
//   every other byte (non-ASCII letters, accents, non-ASCII spaces) kept exactly as given,
//   with no Unicode normalization, so clients must send the same code points.
// - id: must be valid UTF-8; ASCII whitespace trimmed at both ends; ASCII letters upper-cased;
//   inner characters kept. Control characters are rejected in both.
// Limits: name <= 512 bytes, id <= 128 bytes after normalization; both non-empty.
// Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

inline constexpr std::size_t kPseudonymKeyBytes = 32;
inline constexpr std::size_t kMaxNameBytes = 512;
inline constexpr std::size_t kMaxIdBytes = 128;

using SerialNumber = std::array<std::uint8_t, 32>;

Result<std::string> normalize_name(std::string_view name);
Result<std::string> normalize_id(std::string_view id);

// kInvalidInput for a key that is not exactly 32 bytes or for names/ids that fail
// normalization.
Result<SerialNumber> compute_serial(ByteSpan pseudonym_key, std::string_view name,
                                    std::string_view id);

// The check value of a pseudonym key, carried by the genesis so that clients can refuse a
// wrong key file (which would file records under serials nobody retrieves):
// check = HMAC-SHA-256(pseudonym_key, LP("HC-PSEUDONYM-KEY-CHECK-v1") || LP(chain_name)),
// LP = 32-bit big-endian length then bytes. It reveals nothing usable about the key (HMAC is a
// PRF) and is bound to the chain. kInvalidInput for a key that is not 32 bytes.
using PseudonymKeyCheck = std::array<std::uint8_t, 32>;
Result<PseudonymKeyCheck> pseudonym_key_check(ByteSpan pseudonym_key, std::string_view chain_name);

// The pseudonym key file holds 64 lowercase hex digits and an optional newline (mode 0600).
Result<SecureBytes> load_pseudonym_key(const std::filesystem::path& path);
Status write_new_pseudonym_key(const std::filesystem::path& path);

Result<SerialNumber> parse_serial_hex(std::string_view hex);

}  // namespace hc::crypto
