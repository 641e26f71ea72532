// Reader: the one way the ledger parses its canonical binary encodings.
//
// A Reader walks a byte span front to back. Every read checks the remaining length first and
// every variable-length field has a caller-given bound, so no input can make a decoder read
// out of range or allocate more than its limit. Errors are kInvalidInput (kTooLarge for a
// length past its bound) naming the field. finish() rejects trailing bytes. Writers use the
// big-endian appenders of common/bytes.h. Not thread-safe (one Reader per decode).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

class Reader {
 public:
  explicit Reader(ByteSpan data) : data_(data) {}

  Result<std::uint8_t> u8(std::string_view field);
  Result<std::uint16_t> u16(std::string_view field);
  Result<std::uint32_t> u32(std::string_view field);
  Result<std::uint64_t> u64(std::string_view field);
  // Exactly `size` bytes.
  Result<ByteSpan> fixed(std::size_t size, std::string_view field);
  template <std::size_t N>
  Result<std::array<std::uint8_t, N>> array(std::string_view field) {
    HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(N, field));
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = raw[i];
    return out;
  }
  // A u8/u16/u32 big-endian length, then that many bytes; length in [min_size, max_size].
  Result<Bytes> bytes8(std::size_t min_size, std::size_t max_size, std::string_view field);
  Result<Bytes> bytes16(std::size_t min_size, std::size_t max_size, std::string_view field);
  Result<Bytes> bytes32(std::size_t min_size, std::size_t max_size, std::string_view field);
  // Checks a fixed ASCII tag (magic) at the current position.
  Status expect_tag(std::string_view tag, std::string_view what);
  // ok only if every byte was consumed.
  Status finish(std::string_view what) const;

  std::size_t remaining() const { return data_.size() - pos_; }
  std::size_t position() const { return pos_; }

 private:
  Result<Bytes> bounded(std::size_t length, std::size_t min_size, std::size_t max_size,
                        std::string_view field);
  ByteSpan data_;
  std::size_t pos_ = 0;
};

// The bytes of a std::string, for appenders and hashing.
inline ByteSpan bytes_of(std::string_view s) { return as_bytes(s); }

// True if `text` is well-formed UTF-8 with no C0 control characters other than tab/newline
// and no DEL (text fields of transactions must be printable and safe for JSON).
bool is_printable_utf8(std::string_view text);

}  // namespace hc::chain
