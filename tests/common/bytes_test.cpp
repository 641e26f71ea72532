#include "common/bytes.h"

#include <gtest/gtest.h>

namespace hc {
namespace {

TEST(HexTest, RoundTrip) {
  Bytes data = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "0001abff");
  auto back = from_hex("0001ABff");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, data);
}

TEST(HexTest, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(from_hex("abc").ok());
  EXPECT_FALSE(from_hex("zz").ok());
  EXPECT_FALSE(from_hex(" a").ok());
}

TEST(Base64Test, RoundTripAllLengths) {
  for (std::size_t n = 0; n < 40; ++n) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 37 + n);
    auto back = from_base64(to_base64(data));
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, data);
  }
}

TEST(Base64Test, RejectsMalformed) {
  EXPECT_FALSE(from_base64("abc").ok());      // length
  EXPECT_FALSE(from_base64("ab=c").ok());     // padding in the middle
  EXPECT_FALSE(from_base64("ab c").ok());     // whitespace
  EXPECT_FALSE(from_base64("ab!c").ok());     // alphabet
  EXPECT_FALSE(from_base64("QR==").ok());     // non-canonical trailing bits
  EXPECT_TRUE(from_base64("QQ==").ok());
}

TEST(ConstantTimeEqualTest, ComparesContentAndLength) {
  Bytes a = {1, 2, 3}, b = {1, 2, 3}, c = {1, 2, 4};
  EXPECT_TRUE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, c));
  EXPECT_FALSE(constant_time_equal(a, Bytes{1, 2}));
}

TEST(AppendTest, BigEndianAndLengthPrefix) {
  Bytes out;
  append_u16_be(out, 0x0102);
  append_u32_be(out, 0x03040506);
  append_u64_be(out, 0x0708090a0b0c0d0eULL);
  append_length_prefixed(out, Bytes{0xaa});
  EXPECT_EQ(to_hex(out), "0102030405060708090a0b0c0d0e00000001aa");
}

}  // namespace
}  // namespace hc
