// A trustee takes E from the committed record, and only from a version-2 one.
#include "node/trustee_record_envelope.h"

#include <gtest/gtest.h>

#include "chain/transaction.h"

namespace hc::node {
namespace {

TEST(TrusteeRecordEnvelopeTest, AVersion2RecordGivesItsEphemeralKeyAndKeyId) {
  chain::SealedRecord r;
  r.envelope_version = chain::kRecordEnvelopeV2;
  r.key_id.fill(7);
  const crypto::P256Point e = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(12345));
  r.ephemeral_key = e.encode();
  auto got = version2_ephemeral(r);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->ephemeral == e);
  EXPECT_EQ(got->key_id, r.key_id);
}

TEST(TrusteeRecordEnvelopeTest, OtherVersionsAndBadPointsGiveNothing) {
  chain::SealedRecord r;
  r.ephemeral_key = crypto::P256Point::generator().encode();
  EXPECT_FALSE(version2_ephemeral(r).has_value());  // version 1
  r.envelope_version = 3;
  EXPECT_FALSE(version2_ephemeral(r).has_value());
  r.envelope_version = 2;
  r.ephemeral_key[64] ^= 1;  // off the curve
  EXPECT_FALSE(version2_ephemeral(r).has_value());
}

}  // namespace
}  // namespace hc::node
