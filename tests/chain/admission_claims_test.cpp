// AdmissionClaims (chain/admission_claims.h): one holder per claim key, proposal slots ranked by
// admission order whatever order a proposer re-checks in, claims ended by release and expiry,
// and the bound that refuses a new claimant instead of evicting an old one.
#include <gtest/gtest.h>

#include <string>

#include "chain/admission_claims.h"
#include "chain/limits.h"

namespace hc::chain {
namespace {

Digest id_of(const std::string& name) { return sha256(as_bytes(name)); }

bool refused_with(const Status& s, ErrorCode code) { return !s.ok() && s.code() == code; }

TEST(AdmissionClaimsTest, OneHolderPerKeyUntilReleased) {
  AdmissionClaims claims(16);
  const Digest a = id_of("a"), b = id_of("b"), key = id_of("key");
  ASSERT_TRUE(claims.check(a, {key}, false, 0).ok());
  claims.claim(a, {key}, false, 5);
  EXPECT_TRUE(claims.check(a, {key}, false, 0).ok());  // the holder itself passes again
  EXPECT_TRUE(refused_with(claims.check(b, {key}, false, 0), ErrorCode::kAlreadyExists));
  EXPECT_TRUE(claims.check(b, {id_of("other key")}, false, 0).ok());
  claims.release(a);
  EXPECT_TRUE(claims.check(b, {key}, false, 0).ok());
  EXPECT_EQ(claims.size(), 0u);
}

TEST(AdmissionClaimsTest, SlotsGoToTheOldestClaimantsInAnyReCheckOrder) {
  AdmissionClaims claims(16);
  const Digest a = id_of("a"), b = id_of("b"), c = id_of("c");
  for (const Digest& id : {a, b}) {
    ASSERT_TRUE(claims.check(id, {}, true, 2).ok());
    claims.claim(id, {}, true, 0);
  }
  EXPECT_TRUE(refused_with(claims.check(c, {}, true, 2), ErrorCode::kUnavailable));
  // One slot left after a proposal committed elsewhere: only the oldest claimant passes,
  // whichever is re-checked first.
  EXPECT_TRUE(refused_with(claims.check(b, {}, true, 1), ErrorCode::kUnavailable));
  EXPECT_TRUE(claims.check(a, {}, true, 1).ok());
  claims.release(b);  // refused: the engine drops it
  claims.release(a);  // committed
  EXPECT_TRUE(claims.check(c, {}, true, 1).ok());
}

TEST(AdmissionClaimsTest, ClaimsNotRenewedExpire) {
  AdmissionClaims claims(16);
  const Digest a = id_of("a"), b = id_of("b"), key = id_of("key");
  claims.claim(a, {key}, false, 10);
  claims.expire(10 + kAdmissionClaimBlocks - 1);
  EXPECT_TRUE(refused_with(claims.check(b, {key}, false, 0), ErrorCode::kAlreadyExists));
  claims.claim(a, {key}, false, 20);  // renewed by a check_tx that passed
  claims.expire(10 + kAdmissionClaimBlocks);
  EXPECT_TRUE(refused_with(claims.check(b, {key}, false, 0), ErrorCode::kAlreadyExists));
  claims.expire(20 + kAdmissionClaimBlocks);
  EXPECT_TRUE(claims.check(b, {key}, false, 0).ok());
}

TEST(AdmissionClaimsTest, ABoundedNumberOfClaimantsAndNoEviction) {
  AdmissionClaims claims(2);
  claims.claim(id_of("a"), {id_of("ka")}, false, 0);
  claims.claim(id_of("b"), {id_of("kb")}, false, 0);
  EXPECT_TRUE(refused_with(claims.check(id_of("c"), {id_of("kc")}, false, 0), ErrorCode::kUnavailable));
  EXPECT_TRUE(claims.check(id_of("a"), {id_of("ka")}, false, 0).ok());
  EXPECT_TRUE(claims.check(id_of("c"), {}, false, 0).ok());  // no claim to hold: nothing to bound
  claims.claim(id_of("c"), {}, false, 0);
  EXPECT_EQ(claims.size(), 2u);
}

}  // namespace
}  // namespace hc::chain
