// Length-prefixed frames on a byte stream: u32 big-endian payload length, then the payload.
// FrameDecoder accumulates stream bytes and yields whole frames; a length above the
// configured maximum is a protocol violation (the connection must be dropped), reported
// as kTooLarge before any of the payload is buffered. Not thread-safe (one per connection).
#pragma once

#include <cstddef>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::net {

inline constexpr std::size_t kFrameHeaderBytes = 4;

// The 4-byte header for a payload of `size` bytes.
std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::size_t size);
// Parses a header; kTooLarge when the length exceeds max_frame_bytes.
Result<std::size_t> parse_frame_header(ByteSpan header, std::size_t max_frame_bytes);

class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  // Appends stream bytes; completed frames are appended to `frames`.
  Status feed(ByteSpan data, std::vector<Bytes>& frames);
  std::size_t buffered_bytes() const { return buffer_.size(); }

 private:
  std::size_t max_frame_bytes_;
  Bytes buffer_;
};

}  // namespace hc::net
