#include "common/byte_reader.h"

#include <gtest/gtest.h>

namespace hc {
namespace {

TEST(ByteReaderTest, ReadsBigEndianFieldsInOrder) {
  Bytes data;
  append_u8(data, 0xA1);
  append_u16_be(data, 0xB2C3);
  append_u32_be(data, 0xD4E5F607);
  append_u64_be(data, 0x0123456789ABCDEFull);
  append_bytes(data, Bytes{9, 8, 7});
  ByteReader r(data);
  EXPECT_EQ(r.u8("a").value(), 0xA1);
  EXPECT_EQ(r.u16("b").value(), 0xB2C3);
  EXPECT_EQ(r.u32("c").value(), 0xD4E5F607u);
  EXPECT_EQ(r.u64("d").value(), 0x0123456789ABCDEFull);
  EXPECT_EQ(r.position(), 15u);
  auto tail = r.array<3>("e");
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)[0], 9);
  EXPECT_EQ((*tail)[2], 7);
  EXPECT_TRUE(r.done());
  EXPECT_TRUE(r.expect_end("record").ok());
}

TEST(ByteReaderTest, TruncationNamesTheFieldAndDoesNotAdvance) {
  Bytes data = {1, 2, 3};
  ByteReader r(data);
  auto v = r.u32("length");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(v.status().message().find("truncated at length"), std::string::npos);
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.u16("pair").value(), 0x0102);
  EXPECT_FALSE(r.fixed(2, "body").ok());
  EXPECT_FALSE(r.u64("wide").ok());
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(ByteReaderTest, ExpectEndRejectsTrailingBytes) {
  Bytes data = {1, 2};
  ByteReader r(data);
  ASSERT_TRUE(r.u8("x").ok());
  Status s = r.expect_end("block");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(s.message().find("block: 1 trailing bytes"), std::string::npos);
  EXPECT_FALSE(r.done());
  EXPECT_TRUE(ByteReader(ByteSpan()).expect_end("empty").ok());
}

}  // namespace
}  // namespace hc
