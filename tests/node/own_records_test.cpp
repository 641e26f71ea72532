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

// A stand-in for the id of the transaction a record was signed as.
chain::Digest tx_id(std::uint8_t tag) {
  chain::Digest id{};
  id.fill(tag);
  return id;
}

TEST(OwnRecordsTest, StaleRecordsAreTakenOldestFirstWithoutTheirSignature) {
  OwnRecords own(100, 1 << 20);
  own.add(record(1, 0), tx_id(1));
  own.add(record(2, 1), tx_id(2));
  own.add(record(3, 0), tx_id(3));
  EXPECT_FALSE(own.has_stale(0));
  EXPECT_TRUE(own.has_stale(1));
  std::vector<OwnRecords::Stale> stale = own.take_stale(1, 10);
  ASSERT_EQ(stale.size(), 2u);
  EXPECT_EQ(content(stale[0].record), content(record(1, 0)));
  EXPECT_EQ(stale[0].tx_id, tx_id(1)) << "the transaction it was signed as, for the stem to forget";
  EXPECT_EQ(content(stale[1].record), content(record(3, 0)));
  EXPECT_EQ(stale[1].tx_id, tx_id(3));
  EXPECT_TRUE(stale[0].record.group_signature.empty());
  EXPECT_EQ(own.size(), 1u);
  EXPECT_FALSE(own.has_stale(1));
  // Signed again in epoch 1 and added back: not stale in epoch 1, stale in epoch 2.
  stale[0].record.epoch = 1;
  own.add(stale[0].record, tx_id(11));
  EXPECT_FALSE(own.has_stale(1));
  const auto oldest = own.take_stale(2, 1);  // at most `max`: record 2, added before record 1 came back
  ASSERT_EQ(oldest.size(), 1u);
  EXPECT_EQ(oldest[0].tx_id, tx_id(2));
  const auto again = own.take_stale(2, 1);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].tx_id, tx_id(11)) << "the id of the transaction it was signed again as";
  EXPECT_EQ(own.size(), 0u);
}

TEST(OwnRecordsTest, CommittedContentIsForgottenAndReAddingReplaces) {
  OwnRecords own(100, 1 << 20);
  own.add(record(1, 0), tx_id(1));
  own.add(record(1, 0), tx_id(1));  // the same content: one entry
  EXPECT_EQ(own.size(), 1u);
  const std::size_t one = own.bytes();
  own.committed(content(record(1, 0)));
  EXPECT_EQ(own.size(), 0u);
  EXPECT_EQ(own.bytes(), 0u);
  own.committed(content(record(9, 0)));  // unknown: nothing happens
  own.add(record(2, 0), tx_id(2));
  EXPECT_EQ(own.bytes(), one);
  EXPECT_TRUE(own.take_stale(1, 10).size() == 1 && own.bytes() == 0);
}

TEST(OwnRecordsTest, CountAndByteBoundsForgetTheOldest) {
  OwnRecords by_count(3, 1 << 20);
  for (std::uint8_t i = 1; i <= 5; ++i) by_count.add(record(i, 0), tx_id(i));
  EXPECT_EQ(by_count.size(), 3u);
  std::vector<OwnRecords::Stale> kept = by_count.take_stale(1, 10);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(content(kept[0].record), content(record(3, 0)));

  const std::size_t each = sizeof(chain::SealedRecord) + 1000;
  OwnRecords by_bytes(100, 2 * each + 10);
  for (std::uint8_t i = 1; i <= 4; ++i) by_bytes.add(record(i, 0, 1000), tx_id(i));
  EXPECT_EQ(by_bytes.size(), 2u);
  EXPECT_LE(by_bytes.bytes(), 2 * each + 10);
  kept = by_bytes.take_stale(1, 10);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(content(kept[0].record), content(record(3, 0, 1000)));
  // Many replacements of one content keep the order list bounded and the entry live.
  OwnRecords churn(2, 1 << 20);
  for (int i = 0; i < 50; ++i) churn.add(record(7, 0), tx_id(7));
  churn.add(record(8, 0), tx_id(8));
  EXPECT_EQ(churn.size(), 2u);
}

}  // namespace
}  // namespace hc::node
