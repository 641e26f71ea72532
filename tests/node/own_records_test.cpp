// OwnRecords (node/own_records.h): kept until committed, the stale ones taken oldest first,
// re-added after signing, and both bounds.
#include "node/own_records.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

chain::RecordTx record(std::uint8_t tag, std::uint64_t epoch, std::size_t ciphertext_bytes = 32) {
  chain::RecordTx r;
  r.sealed.serial.fill(tag);
  r.sealed.ciphertext.assign(ciphertext_bytes, tag);
  r.epoch = epoch;
  r.group_signature = {1, 2, 3};
  return r;
}

chain::Digest content(const chain::RecordTx& r) { return chain::record_content_digest(r.sealed); }

TEST(OwnRecordsTest, StaleRecordsAreTakenOldestFirstWithoutTheirSignature) {
  OwnRecords own(100, 1 << 20);
  own.add(record(1, 0));
  own.add(record(2, 1));
  own.add(record(3, 0));
  EXPECT_FALSE(own.has_stale(0));
  EXPECT_TRUE(own.has_stale(1));
  std::vector<chain::RecordTx> stale = own.take_stale(1, 10);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(content(stale[0]), content(record(1, 0)));
  EXPECT_EQ(content(stale[1]), content(record(3, 0)));
  EXPECT_TRUE(stale[0].group_signature.empty());
  EXPECT_EQ(own.size(), 1u);
  EXPECT_FALSE(own.has_stale(1));
  // Signed again in epoch 1 and added back: not stale in epoch 1, stale in epoch 2.
  stale[0].epoch = 1;
  own.add(stale[0]);
  EXPECT_FALSE(own.has_stale(1));
  EXPECT_EQ(own.take_stale(2, 1).size(), 1u);  // at most `max`
  EXPECT_EQ(own.size(), 1u);
}

TEST(OwnRecordsTest, CommittedContentIsForgottenAndReAddingReplaces) {
  OwnRecords own(100, 1 << 20);
  own.add(record(1, 0));
  own.add(record(1, 0));  // the same content: one entry
  EXPECT_EQ(own.size(), 1u);
  const std::size_t one = own.bytes();
  own.committed(content(record(1, 0)));
  EXPECT_EQ(own.size(), 0u);
  EXPECT_EQ(own.bytes(), 0u);
  own.committed(content(record(9, 0)));  // unknown: nothing happens
  own.add(record(2, 0));
  EXPECT_EQ(own.bytes(), one);
  EXPECT_TRUE(own.take_stale(1, 10).size() == 1 && own.bytes() == 0);
}

TEST(OwnRecordsTest, CountAndByteBoundsForgetTheOldest) {
  OwnRecords by_count(3, 1 << 20);
  for (std::uint8_t i = 1; i <= 5; ++i) by_count.add(record(i, 0));
  EXPECT_EQ(by_count.size(), 3u);
  std::vector<chain::RecordTx> kept = by_count.take_stale(1, 10);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(content(kept[0]), content(record(3, 0)));

  const std::size_t each = sizeof(chain::SealedRecord) + 1000;
  OwnRecords by_bytes(100, 2 * each + 10);
  for (std::uint8_t i = 1; i <= 4; ++i) by_bytes.add(record(i, 0, 1000));
  EXPECT_EQ(by_bytes.size(), 2u);
  EXPECT_LE(by_bytes.bytes(), 2 * each + 10);
  kept = by_bytes.take_stale(1, 10);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(content(kept[0]), content(record(3, 0, 1000)));
  // Many replacements of one content keep the order list bounded and the entry live.
  OwnRecords churn(2, 1 << 20);
  for (int i = 0; i < 50; ++i) churn.add(record(7, 0));
  churn.add(record(8, 0));
  EXPECT_EQ(churn.size(), 2u);
}

}  // namespace
}  // namespace hc::node
