// The consensus decoders' cursor: the common bounds-checked big-endian reader
// (common/byte_reader.h) with a sticky failure, so a decoder can read a whole structure and
// check once at the end.
//
// Every read either returns the value or records a failure; once failed, all further reads
// return zero values, and status() reports the first reason. Not thread-safe (a cursor).
#pragma once

#include <string>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "consensus/types.h"

namespace hc::consensus {

class WireReader {
 public:
  explicit WireReader(ByteSpan data) : reader_(data) {}

  std::uint8_t u8() { return ok() ? take(reader_.u8("")) : 0; }
  std::uint32_t u32() { return ok() ? take(reader_.u32("")) : 0; }
  std::uint64_t u64() { return ok() ? take(reader_.u64("")) : 0; }
  template <std::size_t N>
  std::array<std::uint8_t, N> fixed() {
    return ok() ? take(reader_.array<N>("")) : std::array<std::uint8_t, N>{};
  }
  ByteSpan span(std::size_t len) { return ok() ? take(reader_.fixed(len, "")) : ByteSpan(); }
  // A count that must not exceed max (the element bytes are checked as they are read).
  std::uint32_t count(std::uint32_t max, const char* what) {
    const std::uint32_t c = u32();
    if (ok() && c > max) fail(std::string("too many ") + what);
    return ok() ? c : 0;
  }
  void fail(std::string reason) {
    if (error_.empty()) error_ = std::move(reason);
  }
  bool ok() const { return error_.empty(); }
  std::size_t position() const { return reader_.position(); }
  std::size_t remaining() const { return reader_.remaining(); }
  Status finish(const char* what) {
    if (ok() && !reader_.done()) fail("trailing bytes");
    if (ok()) return Status();
    return invalid_input(std::string(what) + ": " + error_);
  }

 private:
  // The common reader fails only on truncation.
  template <typename T>
  T take(Result<T> r) {
    if (r.ok()) return std::move(r).value();
    fail("truncated");
    return T{};
  }
  hc::ByteReader reader_;
  std::string error_;
};

}  // namespace hc::consensus
