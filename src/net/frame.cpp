#include "net/frame.h"

namespace hc::net {

std::array<std::uint8_t, kFrameHeaderBytes> frame_header(std::size_t size) {
  HC_CHECK(size <= 0xffffffffu);
  return {static_cast<std::uint8_t>(size >> 24), static_cast<std::uint8_t>(size >> 16),
          static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size)};
}

Result<std::size_t> parse_frame_header(ByteSpan header, std::size_t max_frame_bytes) {
  HC_CHECK(header.size() == kFrameHeaderBytes);
  std::size_t size = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                     (std::size_t{header[2]} << 8) | std::size_t{header[3]};
  if (size > max_frame_bytes) {
    return Status::error(ErrorCode::kTooLarge, "frame of " + std::to_string(size) + " bytes exceeds the limit of " +
                                                   std::to_string(max_frame_bytes));
  }
  return size;
}

Status FrameDecoder::feed(ByteSpan data, std::vector<Bytes>& frames) {
  buffer_.insert(buffer_.end(), data.begin(), data.end());
  std::size_t pos = 0;
  while (buffer_.size() - pos >= kFrameHeaderBytes) {
    HC_ASSIGN_OR_RETURN(std::size_t size,
                        parse_frame_header(ByteSpan(buffer_.data() + pos, kFrameHeaderBytes), max_frame_bytes_));
    if (buffer_.size() - pos - kFrameHeaderBytes < size) break;
    auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(pos + kFrameHeaderBytes);
    frames.emplace_back(begin, begin + static_cast<std::ptrdiff_t>(size));
    pos += kFrameHeaderBytes + size;
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos));
  return Status::ok_status();
}

}  // namespace hc::net
