// Fuzzes the frame format: parse_frame_header (what the transport reads before each payload)
// and FrameDecoder over a byte stream cut into pieces (the first input byte chooses the piece
// size). Frames must come out the same whatever the cut, never above the limit, and while the
// stream is valid the decoder buffers at most one frame's header and payload (after an error
// the connection is dropped, buffer and all).
#include <algorithm>
#include <vector>

#include "check.h"
#include "net/frame.h"

namespace {
constexpr std::size_t kMaxFrameBytes = 1024;

struct Outcome {
  std::vector<hc::Bytes> frames;
  bool failed = false;
};

Outcome decode_in_pieces(hc::ByteSpan stream, std::size_t piece) {
  hc::net::FrameDecoder decoder(kMaxFrameBytes);
  Outcome out;
  for (std::size_t at = 0; at < stream.size() && !out.failed; at += piece) {
    const std::size_t n = std::min(piece, stream.size() - at);
    if (!decoder.feed(stream.subspan(at, n), out.frames).ok()) {
      out.failed = true;
    } else {
      HC_FUZZ_CHECK(decoder.buffered_bytes() <= kMaxFrameBytes + hc::net::kFrameHeaderBytes);
    }
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  const hc::ByteSpan stream = hc::fuzz::input(data + 1, size - 1);
  if (stream.size() >= hc::net::kFrameHeaderBytes) {
    const hc::ByteSpan header = stream.first(hc::net::kFrameHeaderBytes);
    const std::size_t announced = (std::size_t{header[0]} << 24) | (std::size_t{header[1]} << 16) |
                                  (std::size_t{header[2]} << 8) | std::size_t{header[3]};
    auto length = hc::net::parse_frame_header(header, kMaxFrameBytes);
    HC_FUZZ_CHECK(length.ok() == (announced <= kMaxFrameBytes));
    HC_FUZZ_CHECK(!length.ok() || length.value() == announced);
  }
  const Outcome whole = decode_in_pieces(stream, stream.size() + 1);
  const Outcome cut = decode_in_pieces(stream, piece);
  HC_FUZZ_CHECK(whole.failed == cut.failed);
  HC_FUZZ_CHECK(whole.frames == cut.frames);
  hc::Bytes reencoded;
  for (const auto& frame : whole.frames) {
    HC_FUZZ_CHECK(frame.size() <= kMaxFrameBytes);
    const auto header = hc::net::frame_header(frame.size());
    auto length = hc::net::parse_frame_header(header, kMaxFrameBytes);
    HC_FUZZ_CHECK(length.ok() && length.value() == frame.size());
    reencoded.insert(reencoded.end(), header.begin(), header.end());
    reencoded.insert(reencoded.end(), frame.begin(), frame.end());
  }
  HC_FUZZ_CHECK(std::equal(reencoded.begin(), reencoded.end(), stream.begin()));
  return 0;
}
