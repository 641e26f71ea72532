#include "net/frame.h"

#include <gtest/gtest.h>

namespace hc::net {
namespace {

TEST(FrameTest, DecodesFramesSplitAnywhere) {
  Bytes stream;
  std::vector<Bytes> sent = {{}, {1}, Bytes(300, 7), {9, 9}};
  for (const Bytes& p : sent) {
    auto h = frame_header(p.size());
    stream.insert(stream.end(), h.begin(), h.end());
    append_bytes(stream, p);
  }
  for (std::size_t chunk = 1; chunk <= stream.size(); chunk += 13) {
    FrameDecoder decoder(1024);
    std::vector<Bytes> got;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
      std::size_t n = std::min(chunk, stream.size() - i);
      ASSERT_TRUE(decoder.feed(ByteSpan(stream.data() + i, n), got).ok());
    }
    EXPECT_EQ(got, sent) << chunk;
    EXPECT_EQ(decoder.buffered_bytes(), 0u);
  }
}

TEST(FrameTest, RejectsOversizedLengthBeforeBuffering) {
  FrameDecoder decoder(100);
  std::vector<Bytes> got;
  auto h = frame_header(101);
  Status s = decoder.feed(h, got);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace hc::net
