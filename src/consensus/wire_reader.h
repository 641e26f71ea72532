// A bounds-checked big-endian reader for decoding untrusted bytes.
//
// Every read either returns the value or records a failure; once failed, all further reads
// return zero values, and status() reports the first reason. Not thread-safe (a cursor).
#pragma once

#include <cstring>
#include <string>

#include "common/bytes.h"
#include "consensus/types.h"

namespace hc::consensus {

class WireReader {
 public:
  explicit WireReader(ByteSpan data) : data_(data) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(read_be(1)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(read_be(4)); }
  std::uint64_t u64() { return read_be(8); }
  template <std::size_t N>
  std::array<std::uint8_t, N> fixed() {
    std::array<std::uint8_t, N> out{};
    if (take(N)) std::memcpy(out.data(), data_.data() + pos_ - N, N);
    return out;
  }
  ByteSpan span(std::size_t len) {
    if (!take(len)) return {};
    return data_.subspan(pos_ - len, len);
  }
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
  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  Status finish(const char* what) {
    if (ok() && remaining() != 0) fail("trailing bytes");
    if (ok()) return Status();
    return invalid_input(std::string(what) + ": " + error_);
  }

 private:
  bool take(std::size_t n) {
    if (!ok()) return false;
    if (remaining() < n) {
      fail("truncated");
      return false;
    }
    pos_ += n;
    return true;
  }
  std::uint64_t read_be(std::size_t n) {
    if (!take(n)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ - n + i];
    return v;
  }
  ByteSpan data_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace hc::consensus
