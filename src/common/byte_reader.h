// ByteReader: the one bounds-checked big-endian cursor over untrusted bytes, shared by the
// ledger, group-signature and consensus decoders.
//
// Every read checks the remaining length first, so no input can make a decoder read out of
// range. A failed read returns kInvalidInput "truncated at <field>" and leaves the position
// unchanged. expect_end() rejects trailing bytes. Module-specific framing (tags, bounded
// length-prefixed fields, group elements) lives in thin wrappers in each module; writers use
// the big-endian appenders of common/bytes.h. Not thread-safe (one reader per decode).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"

namespace hc {

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  Result<std::uint8_t> u8(std::string_view field);
  Result<std::uint16_t> u16(std::string_view field);
  Result<std::uint32_t> u32(std::string_view field);
  Result<std::uint64_t> u64(std::string_view field);
  // Exactly `size` bytes (a view into the input).
  Result<ByteSpan> fixed(std::size_t size, std::string_view field);
  template <std::size_t N>
  Result<std::array<std::uint8_t, N>> array(std::string_view field) {
    HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(N, field));
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = raw[i];
    return out;
  }
  // ok only if every byte was consumed; else kInvalidInput "<what>: N trailing bytes".
  Status expect_end(std::string_view what) const;

  bool done() const { return pos_ == data_.size(); }
  std::size_t remaining() const { return data_.size() - pos_; }
  std::size_t position() const { return pos_; }

 private:
  Result<std::uint64_t> big_endian(std::size_t size, std::string_view field);
  ByteSpan data_;
  std::size_t pos_ = 0;
};

}  // namespace hc
