#include "node/token_auth.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace hc::node {
namespace {

DoctorToken token(const std::string& name, const std::string& secret) {
  DoctorToken t;
  t.name = name;
  t.sha256 = crypto::sha256(as_bytes(secret));
  return t;
}

TEST(TokenAuthTest, AuthenticatesByHash) {
  TokenAuthenticator auth({token("dr-ada", "s3cret-ada"), token("dr-bob", "s3cret-bob")}, 60);
  EXPECT_EQ(auth.authenticate("Bearer s3cret-ada"), "dr-ada");
  EXPECT_EQ(auth.authenticate("Bearer s3cret-bob"), "dr-bob");
  EXPECT_EQ(auth.authenticate("Bearer s3cret-eve"), std::nullopt);
  EXPECT_EQ(auth.authenticate("s3cret-ada"), std::nullopt);
  EXPECT_EQ(auth.authenticate("Bearer "), std::nullopt);
  EXPECT_EQ(auth.authenticate(""), std::nullopt);
}

TEST(TokenAuthTest, RateLimitRefillsOverTime) {
  TokenAuthenticator auth({}, 60);  // one per second
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(auth.allow("dr-ada", 1000));
  EXPECT_FALSE(auth.allow("dr-ada", 1000));
  EXPECT_TRUE(auth.allow("dr-bob", 1000));   // buckets are per holder
  EXPECT_FALSE(auth.allow("dr-ada", 1500));  // half a token
  EXPECT_TRUE(auth.allow("dr-ada", 2001));
  EXPECT_FALSE(auth.allow("dr-ada", 2001));
}

// Regression: the scheme is case-insensitive (RFC 7235 section 2.1), so "bearer" and "BEARER"
// work as "Bearer" did; the token itself stays exact.
TEST(TokenAuthTest, SchemeIsCaseInsensitive) {
  TokenAuthenticator auth({token("dr-ada", "s3cret-ada")}, 60);
  EXPECT_EQ(auth.authenticate("bearer s3cret-ada"), "dr-ada");
  EXPECT_EQ(auth.authenticate("BEARER s3cret-ada"), "dr-ada");
  EXPECT_EQ(auth.authenticate("bEaReR   s3cret-ada"), "dr-ada");
  EXPECT_EQ(auth.authenticate("bearer S3CRET-ADA"), std::nullopt);
  EXPECT_EQ(auth.authenticate("Basic s3cret-ada"), std::nullopt);
  EXPECT_EQ(auth.authenticate("Bearers3cret-ada"), std::nullopt);
  EXPECT_EQ(auth.authenticate("bearer s3cret-ada extra"), std::nullopt);
  EXPECT_EQ(auth.authenticate("bearer    "), std::nullopt);
}

// Regression: a 429 had no Retry-After; the bucket says how long until the next request fits.
TEST(TokenAuthTest, RetryAfterIsTheTimeUntilTheNextRequestFits) {
  TokenAuthenticator auth({}, 60);  // one per second
  EXPECT_EQ(auth.retry_after_ms("dr-ada", 1000), 0u);  // unknown holder: a full bucket
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(auth.allow("dr-ada", 1000));
  EXPECT_FALSE(auth.allow("dr-ada", 1000));
  EXPECT_EQ(auth.retry_after_ms("dr-ada", 1000), 1000u);
  EXPECT_FALSE(auth.allow("dr-ada", 1250));
  EXPECT_EQ(auth.retry_after_ms("dr-ada", 1250), 750u);
  EXPECT_EQ(auth.retry_after_ms("dr-ada", 2000), 0u);
  TokenAuthenticator slow({}, 1);  // one per minute
  ASSERT_TRUE(slow.allow("dr-bob", 0));
  EXPECT_FALSE(slow.allow("dr-bob", 0));
  EXPECT_EQ(slow.retry_after_ms("dr-bob", 0), 60000u);
}

}  // namespace
}  // namespace hc::node
