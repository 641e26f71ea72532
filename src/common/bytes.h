// Byte strings and their text forms (lowercase hex, standard base64 with padding).
//
// Decoders reject anything that is not exactly canonical: odd-length or non-hex input,
// base64 with characters outside the alphabet, bad padding, or whitespace. They return a
// Status with a one-line reason rather than partial output. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace hc {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string to_hex(ByteSpan data);
Result<Bytes> from_hex(std::string_view hex);

std::string to_base64(ByteSpan data);
Result<Bytes> from_base64(std::string_view text);

// Constant-time equality of two byte strings of equal length (false when lengths differ;
// the length itself is not secret).
bool constant_time_equal(ByteSpan a, ByteSpan b);

// Big-endian integer appenders for canonical encodings.
void append_u8(Bytes& out, std::uint8_t v);
void append_u16_be(Bytes& out, std::uint16_t v);
void append_u32_be(Bytes& out, std::uint32_t v);
void append_u64_be(Bytes& out, std::uint64_t v);
void append_bytes(Bytes& out, ByteSpan data);
// A 32-bit big-endian length followed by the bytes.
void append_length_prefixed(Bytes& out, ByteSpan data);

}  // namespace hc
