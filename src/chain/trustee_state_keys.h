// Keys and small fields of the trustees' part of the ledger state (internal to hc_chain): the
// DKG, opener-key and resharing state modules name their entries by a fixed prefix, often
// followed by a big-endian epoch and 16-bit trustee indices, and store lists of trustee
// indices; one definition of each here so the modules cannot drift apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chain/codec.h"
#include "chain/limits.h"
#include "common/status.h"

namespace hc::chain::trustee_state_keys {

// The key of a fixed entry, or the prefix under which a family of entries lies.
inline Bytes name_key(std::string_view name) { return Bytes(name.begin(), name.end()); }

// `prefix` then `epoch` (8 bytes, big-endian).
inline Bytes epoch_key(std::string_view prefix, std::uint64_t epoch) {
  Bytes key = name_key(prefix);
  append_u64_be(key, epoch);
  return key;
}

// A stored entry of the trustees' state that does not decode: the store is damaged.
inline Status trustee_state_corrupt(const std::string& what) {
  return Status::error(ErrorCode::kCorrupt, "store: trustees state: " + what);
}

// The big-endian 16-bit value at `offset` of `key`; the caller has checked the key's length.
inline std::uint16_t u16_at(ByteSpan key, std::size_t offset) {
  return static_cast<std::uint16_t>((key[offset] << 8) | key[offset + 1]);
}

// A list of trustee indices: a count byte, then each index as 16 bits big-endian.
inline void append_indices(Bytes& out, const std::vector<std::uint16_t>& indices) {
  append_u8(out, static_cast<std::uint8_t>(indices.size()));
  for (std::uint16_t i : indices) append_u16_be(out, i);
}

inline Result<std::vector<std::uint16_t>> read_indices(Reader& in, std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint8_t count, in.u8(field));
  if (count > kMaxChainTrustees) return invalid_input(std::string(field) + ": too many");
  std::vector<std::uint16_t> out;
  for (std::uint8_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(std::uint16_t v, in.u16(field));
    out.push_back(v);
  }
  return out;
}

}  // namespace hc::chain::trustee_state_keys
