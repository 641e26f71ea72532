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

}  // namespace
}  // namespace hc::node
