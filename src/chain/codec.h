// Reader: the one way the ledger parses its canonical binary encodings.
//
// A Reader (common/byte_reader.h underneath) walks a byte span front to back. Every read
// checks the remaining length first and every variable-length field has a caller-given
// bound, so no input can make a decoder read out of range or allocate more than its limit.
// Errors are kInvalidInput (kTooLarge for a length past its bound) naming the field.
// finish() rejects trailing bytes. Writers use the big-endian appenders of common/bytes.h.
// Not thread-safe (one Reader per decode).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

// The ledger's reader: the common cursor plus its bounded length-prefixed fields and tags.
class Reader : public ByteReader {
 public:
  using ByteReader::ByteReader;

  // A u8/u16/u32 big-endian length, then that many bytes; length in [min_size, max_size].
  Result<Bytes> bytes8(std::size_t min_size, std::size_t max_size, std::string_view field);
  Result<Bytes> bytes16(std::size_t min_size, std::size_t max_size, std::string_view field);
  Result<Bytes> bytes32(std::size_t min_size, std::size_t max_size, std::string_view field);
  // Checks a fixed ASCII tag (magic) at the current position.
  Status expect_tag(std::string_view tag, std::string_view what);
  // ok only if every byte was consumed.
  Status finish(std::string_view what) const { return expect_end(what); }

 private:
  Result<Bytes> bounded(std::size_t length, std::size_t min_size, std::size_t max_size,
                        std::string_view field);
};

// The bytes of a std::string, for appenders and hashing.
inline ByteSpan bytes_of(std::string_view s) { return as_bytes(s); }

// True if `text` is well-formed UTF-8 with no C0 control characters other than tab/newline
// and no DEL (text fields of transactions must be printable and safe for JSON).
bool is_printable_utf8(std::string_view text);

}  // namespace hc::chain
