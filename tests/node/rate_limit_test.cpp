#include "node/rate_limit.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

TEST(AddressRateLimiterTest, BurstThenSustainedRateWithRetryAfter) {
  AddressRateLimiter limiter({10, 5, 100});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.admit("10.0.0.1", 1000), 0u) << i;
  EXPECT_GE(limiter.admit("10.0.0.1", 1000), 1u);  // burst spent
  EXPECT_EQ(limiter.admit("10.0.0.2", 1000), 0u);  // another address keeps its share
  EXPECT_EQ(limiter.admit("10.0.0.1", 1100), 0u);  // 100 ms at 10/s = one token
  EXPECT_GE(limiter.admit("10.0.0.1", 1100), 1u);
}

TEST(AddressRateLimiterTest, RetryAfterCoversTheWaitForOneToken) {
  AddressRateLimiter limiter({0.25, 1, 100});  // one request every 4 s
  EXPECT_EQ(limiter.admit("a", 0), 0u);
  EXPECT_EQ(limiter.admit("a", 0), 4u);
  EXPECT_EQ(limiter.admit("a", 3000), 1u);
  EXPECT_EQ(limiter.admit("a", 4000), 0u);
}

TEST(AddressRateLimiterTest, TrackedAddressesAreBoundedLeastRecentlyUsedFirst) {
  AddressRateLimiter limiter({1, 1, 3});
  EXPECT_EQ(limiter.admit("a", 0), 0u);
  EXPECT_EQ(limiter.admit("b", 0), 0u);
  EXPECT_EQ(limiter.admit("c", 0), 0u);
  EXPECT_GE(limiter.admit("a", 0), 1u);  // a is now the most recently used
  for (int i = 0; i < 100; ++i) limiter.admit("x" + std::to_string(i), 0);
  EXPECT_EQ(limiter.tracked(), 3u);
}

}  // namespace
}  // namespace hc::node
