// The P-256 adapter and the encapsulation box: arithmetic identities and bad encodings.
#include <gtest/gtest.h>

#include "crypto/p256.h"
#include "crypto/p256_kem.h"

namespace hc::crypto {
namespace {

// n - 1 and n as big-endian bytes.
const char* kOrderMinusOne = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";
const char* kOrder = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

TEST(P256, ScalarDecodingIsCanonical) {
  EXPECT_TRUE(P256Scalar::from_bytes(from_hex(kOrderMinusOne).value()).ok());
  EXPECT_FALSE(P256Scalar::from_bytes(from_hex(kOrder).value()).ok());
  EXPECT_FALSE(P256Scalar::from_bytes(Bytes(31, 0)).ok());
  EXPECT_FALSE(P256Scalar::from_bytes(Bytes(33, 0)).ok());
  EXPECT_FALSE(P256Scalar::from_bytes(Bytes(32, 0xff)).ok());
}

TEST(P256, ScalarArithmetic) {
  P256Scalar a = P256Scalar::random_nonzero();
  P256Scalar b = P256Scalar::random_nonzero();
  EXPECT_EQ((a + b) - b, a);
  EXPECT_EQ(a * a.inverse().value(), P256Scalar::from_u64(1));
  EXPECT_FALSE(P256Scalar().inverse().ok());
  P256Scalar minus_one = P256Scalar::from_bytes(from_hex(kOrderMinusOne).value()).value();
  EXPECT_TRUE((minus_one + P256Scalar::from_u64(1)).is_zero());
  EXPECT_EQ(P256Point::base_mul(a) + P256Point::base_mul(b), P256Point::base_mul(a + b));
  EXPECT_EQ(P256Point::base_mul(a).mul(b), P256Point::base_mul(a * b));
  EXPECT_TRUE((P256Point::base_mul(a) - P256Point::base_mul(a)).is_infinity());
}

TEST(P256, PointDecodingRefusesEverythingButAnUncompressedCurvePoint) {
  P256Point p = P256Point::base_mul(P256Scalar::random_nonzero());
  auto enc = p.encode();
  EXPECT_EQ(*P256Point::decode(enc), p);
  Bytes wrong_prefix(enc.begin(), enc.end());
  wrong_prefix[0] = 0x02;
  EXPECT_FALSE(P256Point::decode(wrong_prefix).ok());
  Bytes off_curve(enc.begin(), enc.end());
  off_curve[64] ^= 0x01;
  EXPECT_FALSE(P256Point::decode(off_curve).ok());
  EXPECT_FALSE(P256Point::decode(Bytes(enc.begin(), enc.begin() + 64)).ok());
  EXPECT_FALSE(P256Point::decode(Bytes{0x00}).ok());  // infinity's one-byte encoding
  EXPECT_FALSE(P256Point::decode(Bytes(65, 0xff)).ok());
  Bytes x_above_p(65, 0xff);
  x_above_p[0] = 0x04;
  EXPECT_FALSE(P256Point::decode(x_above_p).ok());
}

TEST(P256Box, SealOpenAndEveryByteTampered) {
  P256Scalar secret = P256Scalar::random_nonzero();
  P256Point pub = P256Point::base_mul(secret);
  Bytes context = {1, 2, 3};
  Bytes message = {9, 8, 7, 6, 5};
  Bytes box = box_seal(pub, context, message).value();
  ASSERT_EQ(box.size(), message.size() + kBoxOverheadBytes);
  auto opened = box_open(secret, context, box);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(Bytes(opened->span().begin(), opened->span().end()), message);
  EXPECT_EQ(box_open(secret, Bytes{1, 2, 4}, box).status().code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(box_open(P256Scalar::random_nonzero(), context, box).ok());
  for (std::size_t i = 0; i < box.size(); ++i) {
    Bytes altered = box;
    altered[i] ^= 0x01;
    EXPECT_FALSE(box_open(secret, context, altered).ok()) << i;
  }
  EXPECT_EQ(box_open(secret, context, Bytes(80, 4)).status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace hc::crypto
