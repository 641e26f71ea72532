// Opening and the judge: the opener finds the signer and proves it; the judge accepts only
// honest proofs.
#include <string>

#include <gtest/gtest.h>

#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/verify.h"
#include "group_fixture.h"

namespace hc::groupsig {
namespace {

using testing::bytes_of;
using testing::make_group;
using testing::scaled;

class OpeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { group_ = new testing::TestGroup(make_group(100)); }
  static void TearDownTestSuite() {
    delete group_;
    group_ = nullptr;
  }
  static testing::TestGroup* group_;
};
testing::TestGroup* OpeningTest::group_ = nullptr;

TEST_F(OpeningTest, OpenFindsTheSignerAmongAllMembers) {
  const testing::TestGroup& g = *group_;
  PreparedGroupKey key(g.setup.gpk);
  ASSERT_EQ(g.setup.registry.entries.size(), g.members.size());
  // Sign with a spread of members (every member in release builds).
  const std::size_t step = scaled(1, 10);
  for (std::size_t i = 0; i < g.members.size(); i += step) {
    Bytes msg = bytes_of("message " + std::to_string(i));
    Signature sig = sign(g.members[i], msg);
    Result<Opening> o = open(key, g.setup.opener, g.setup.registry, msg, sig);
    ASSERT_TRUE(o.ok()) << o.status().to_string();
    EXPECT_EQ(o->member, testing::member_name(i));
    EXPECT_EQ(o->proof.member, o->member);
    EXPECT_TRUE(judge(key, g.setup.registry, msg, sig, o->proof, o->member).ok());
  }
}

TEST_F(OpeningTest, OpenRejectsInvalidSignatures) {
  const testing::TestGroup& g = *group_;
  PreparedGroupKey key(g.setup.gpk);
  Bytes msg = bytes_of("m");
  Signature sig = sign(g.members[0], msg);
  EXPECT_EQ(open(key, g.setup.opener, g.setup.registry, bytes_of("other"), sig).status().code(),
            ErrorCode::kAuthFailed);
  // A registry without the signer: kNotFound, not a wrong name.
  Registry partial = g.setup.registry;
  partial.entries.erase(partial.entries.begin());  // hospital-0 sorts first
  EXPECT_EQ(open(key, g.setup.opener, partial, msg, sig).status().code(), ErrorCode::kNotFound);
}

TEST_F(OpeningTest, JudgeRejectsDishonestProofs) {
  const testing::TestGroup& g = *group_;
  PreparedGroupKey key(g.setup.gpk);
  const Registry& reg = g.setup.registry;
  Bytes msg1 = bytes_of("first");
  Bytes msg2 = bytes_of("second");
  Signature sig1 = sign(g.members[1], msg1);
  Signature sig2 = sign(g.members[2], msg2);
  Signature sig1b = sign(g.members[1], msg1);
  Result<Opening> o1 = open(key, g.setup.opener, reg, msg1, sig1);
  Result<Opening> o2 = open(key, g.setup.opener, reg, msg2, sig2);
  ASSERT_TRUE(o1.ok() && o2.ok());
  const std::string m1 = testing::member_name(1);
  const std::string m2 = testing::member_name(2);
  EXPECT_TRUE(judge(key, reg, msg1, sig1, o1->proof, m1).ok());

  // Blaming another member: with the honest proof, or with the name in the proof changed.
  EXPECT_EQ(judge(key, reg, msg1, sig1, o1->proof, m2).code(), ErrorCode::kAuthFailed);
  OpeningProof renamed = o1->proof;
  renamed.member = m2;
  EXPECT_EQ(judge(key, reg, msg1, sig1, renamed, m2).code(), ErrorCode::kAuthFailed);
  // A proof for another signature (of another member, or another signature of the same one).
  EXPECT_EQ(judge(key, reg, msg1, sig1, o2->proof, m2).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(judge(key, reg, msg1, sig1b, o1->proof, m1).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(judge(key, reg, msg2, sig2, o1->proof, m1).code(), ErrorCode::kAuthFailed);
  // Altered components of the proof.
  for (int which = 0; which < 3; ++which) {
    OpeningProof bad = o1->proof;
    Fr& k = which == 0 ? bad.c : which == 1 ? bad.s_xi1 : bad.s_xi2;
    k = k + Fr::one();
    EXPECT_EQ(judge(key, reg, msg1, sig1, bad, m1).code(), ErrorCode::kAuthFailed) << which;
  }
  OpeningProof bad_epoch = o1->proof;
  bad_epoch.epoch = 3;
  EXPECT_EQ(judge(key, reg, msg1, sig1, bad_epoch, m1).code(), ErrorCode::kInvalidInput);
  // Altered signature or message: the judge checks the signature too.
  Signature bad_sig = sig1;
  bad_sig.s_x = bad_sig.s_x + Fr::one();
  EXPECT_EQ(judge(key, reg, msg1, bad_sig, o1->proof, m1).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(judge(key, reg, msg2, sig1, o1->proof, m1).code(), ErrorCode::kAuthFailed);
  // A registry in which the member's A was replaced by another point.
  Registry swapped = reg;
  for (RegistryEntry& e : swapped.entries) {
    if (e.name == m1) e.a = e.a + G1::generator();
  }
  EXPECT_EQ(judge(key, swapped, msg1, sig1, o1->proof, m1).code(), ErrorCode::kAuthFailed);
  // A registry listing the signer's A under a second name: both open and judge refuse it.
  Registry twice = reg;
  for (RegistryEntry& e : twice.entries) {
    if (e.name == m2) e.a = find_member(reg, m1)->a;
  }
  EXPECT_EQ(judge(key, twice, msg1, sig1, o1->proof, m1).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(open(key, g.setup.opener, twice, msg1, sig1).status().code(), ErrorCode::kInvalidInput);
  // Unknown member.
  OpeningProof ghost = o1->proof;
  ghost.member = "nobody";
  EXPECT_EQ(judge(key, reg, msg1, sig1, ghost, "nobody").code(), ErrorCode::kNotFound);
}

TEST_F(OpeningTest, ProofSurvivesEncoding) {
  const testing::TestGroup& g = *group_;
  PreparedGroupKey key(g.setup.gpk);
  Bytes msg = bytes_of("encoded");
  Signature sig = sign(g.members[3], msg);
  Result<Opening> o = open(key, g.setup.opener, g.setup.registry, msg, sig);
  ASSERT_TRUE(o.ok());
  Result<OpeningProof> decoded = decode_opening_proof(encode_opening_proof(o->proof));
  ASSERT_TRUE(decoded.ok());
  Result<Signature> sig2 = decode_signature(encode_signature(sig));
  ASSERT_TRUE(sig2.ok());
  Result<Registry> reg2 = decode_registry(encode_registry(g.setup.registry));
  ASSERT_TRUE(reg2.ok());
  EXPECT_TRUE(judge(key, reg2.value(), msg, sig2.value(), decoded.value(), o->member).ok());
}

TEST(OpenerKey, MatchesItsGroupOnly) {
  testing::TestGroup a = make_group(0);
  testing::TestGroup b = make_group(0);
  EXPECT_TRUE(check_opener_matches(a.setup.opener, a.setup.gpk).ok());
  EXPECT_FALSE(check_opener_matches(b.setup.opener, a.setup.gpk).ok());
  EXPECT_TRUE(check_issuer_matches(a.setup.issuer, a.setup.gpk).ok());
  EXPECT_FALSE(check_issuer_matches(b.setup.issuer, a.setup.gpk).ok());
}

}  // namespace
}  // namespace hc::groupsig
