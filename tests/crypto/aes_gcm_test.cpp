#include "crypto/aes_gcm.h"

#include <gtest/gtest.h>

namespace hc::crypto {
namespace {

TEST(AesGcmTest, KnownAnswer) {
  // The GCM specification's test case 14 (256-bit zero key, zero IV, one zero block).
  Bytes key(32, 0);
  GcmNonce nonce{};
  Bytes plaintext(16, 0);
  auto sealed = aes256gcm_seal(key, nonce, {}, plaintext);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(to_hex(*sealed), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(AesGcmTest, RoundTripAndTamperDetection) {
  Bytes key(32, 7);
  GcmNonce nonce{};
  nonce[0] = 1;
  Bytes aad = {1, 2, 3};
  Bytes msg(100, 0x42);
  auto sealed = aes256gcm_seal(key, nonce, aad, msg);
  ASSERT_TRUE(sealed.ok());
  ASSERT_EQ(sealed->size(), msg.size() + kGcmTagBytes);
  auto opened = aes256gcm_open(key, nonce, aad, *sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(Bytes(opened->data(), opened->data() + opened->size()), msg);
  for (std::size_t i = 0; i < sealed->size(); ++i) {
    Bytes bad = *sealed;
    bad[i] ^= 0x01;
    auto r = aes256gcm_open(key, nonce, aad, bad);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  }
  Bytes bad_aad = {1, 2, 4};
  EXPECT_FALSE(aes256gcm_open(key, nonce, bad_aad, *sealed).ok());
  Bytes truncated(sealed->begin(), sealed->end() - 1);
  EXPECT_FALSE(aes256gcm_open(key, nonce, aad, truncated).ok());
  EXPECT_FALSE(aes256gcm_open(key, nonce, aad, Bytes(15)).ok());
  EXPECT_FALSE(aes256gcm_open(Bytes(16), nonce, aad, *sealed).ok());
}

}  // namespace
}  // namespace hc::crypto
