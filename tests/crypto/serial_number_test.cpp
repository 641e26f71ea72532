#include "crypto/serial_number.h"

#include <gtest/gtest.h>

#include "common/bytes.h"

namespace hc::crypto {
namespace {

Bytes test_key() {
  Bytes key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

TEST(SerialNumberTest, KnownAnswerFromIndependentHmac) {
  // Expected values computed with Python's hmac module over the documented encoding.
  auto s = compute_serial(test_key(), "Ada Lovelace", "ab123");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(to_hex(*s), "b5035ebd9bf1ea5571f694b9717fa2d8aec431ebed6a29c888d7ea1e6baa9886");
  auto t = compute_serial(test_key(), "JOSÉ  Núñez", "x-99");
  ASSERT_TRUE(t.ok());
  // ASCII letters fold; the non-ASCII É does not (no Unicode case folding), so this differs
  // from "josé núñez".
  EXPECT_NE(to_hex(*t), "890070f83b58da3c74e098a6abd4425a11e5eb125186296a805a4d5b4a67b37c");
  auto u = compute_serial(test_key(), " José\tNúñez ", "X-99");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(to_hex(*u), "890070f83b58da3c74e098a6abd4425a11e5eb125186296a805a4d5b4a67b37c");
}

TEST(SerialNumberTest, NameNormalization) {
  EXPECT_EQ(*normalize_name("  Ada   LOVELACE \n"), "ada lovelace");
  EXPECT_EQ(*normalize_name("Ada\t\tLovelace"), "ada lovelace");
  EXPECT_EQ(*normalize_name("ÉMILE Zola"), "Émile zola");        // only ASCII folds
  EXPECT_EQ(*normalize_name("李 小龙"), "李 小龙");                 // UTF-8 kept as given
  EXPECT_EQ(*normalize_name("a\xc2\xa0" "b"), "a\xc2\xa0" "b");    // NBSP is not ASCII space
  EXPECT_FALSE(normalize_name("   ").ok());
  EXPECT_FALSE(normalize_name("").ok());
  EXPECT_FALSE(normalize_name("bad\xff" "utf8").ok());
  EXPECT_FALSE(normalize_name("\xc0\xaf").ok());                  // overlong
  EXPECT_FALSE(normalize_name("\xed\xa0\x80").ok());              // surrogate
  EXPECT_FALSE(normalize_name("nul\x01" "byte").ok());            // control character
  EXPECT_FALSE(normalize_name(std::string(513, 'a')).ok());
  EXPECT_TRUE(normalize_name(std::string(512, 'a')).ok());
}

TEST(SerialNumberTest, IdNormalization) {
  EXPECT_EQ(*normalize_id("  ab-123x "), "AB-123X");
  EXPECT_EQ(*normalize_id("é12"), "é12");
  EXPECT_FALSE(normalize_id(" \t").ok());
  EXPECT_FALSE(normalize_id(std::string(129, '1')).ok());
}

TEST(SerialNumberTest, EquivalentInputsGiveOneSerialAndDistinctOnesDiffer) {
  auto a = compute_serial(test_key(), "ada lovelace", "AB123");
  auto b = compute_serial(test_key(), "  ADA  Lovelace", " ab123 ");
  auto c = compute_serial(test_key(), "ada lovelace", "AB124");
  // Unambiguous encoding: moving characters between name and id changes the serial.
  auto d = compute_serial(test_key(), "ada lovelaceA", "B123");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
  Bytes other = test_key();
  other[0] ^= 1;
  EXPECT_NE(*a, *compute_serial(other, "ada lovelace", "AB123"));
}

TEST(SerialNumberTest, RejectsBadKeys) {
  EXPECT_FALSE(compute_serial(Bytes(31), "a", "b").ok());
  EXPECT_FALSE(compute_serial(Bytes(33), "a", "b").ok());
}

TEST(SerialNumberTest, ParsesSerialHex) {
  EXPECT_TRUE(parse_serial_hex(std::string(64, 'a')).ok());
  EXPECT_FALSE(parse_serial_hex(std::string(62, 'a')).ok());
  EXPECT_FALSE(parse_serial_hex(std::string(64, 'g')).ok());
}

}  // namespace
}  // namespace hc::crypto
