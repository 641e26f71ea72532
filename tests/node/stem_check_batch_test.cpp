// The stem records waiting for their batched check (node/stem_check_batch.h, issue 18 item 4):
// full at its record or byte bound, due one window after its first record, taken in arrival
// order with each record's sender, empty afterwards.
#include <gtest/gtest.h>

#include "node/stem_check_batch.h"

namespace hc::node::stem_check_batch_test {
namespace {

StemTxId id_of(std::uint8_t n) {
  StemTxId id{};
  id[0] = n;
  return id;
}

TEST(StemCheckBatchTest, FullAtItsRecordBound) {
  StemCheckLimits limits;
  limits.max_records = 3;
  StemCheckBatch batch(limits);
  EXPECT_FALSE(batch.add(7, id_of(1), Bytes(10, 1), 100));
  EXPECT_FALSE(batch.add(8, id_of(2), Bytes(10, 2), 101));
  EXPECT_TRUE(batch.add(7, id_of(3), Bytes(10, 3), 102));
  EXPECT_EQ(batch.size(), 3u);
}

TEST(StemCheckBatchTest, FullAtItsByteBound) {
  StemCheckLimits limits;
  limits.max_bytes = 25;
  StemCheckBatch batch(limits);
  EXPECT_FALSE(batch.add(1, id_of(1), Bytes(10, 1), 0));
  EXPECT_FALSE(batch.add(1, id_of(2), Bytes(10, 2), 0));
  EXPECT_TRUE(batch.add(1, id_of(3), Bytes(10, 3), 0));
  EXPECT_EQ(batch.bytes(), 30u);
}

TEST(StemCheckBatchTest, DueOneWindowAfterItsFirstRecord) {
  StemCheckLimits limits;
  limits.window_ms = 20;
  StemCheckBatch batch(limits);
  EXPECT_EQ(batch.due_ms(), 0u);
  batch.add(1, id_of(1), Bytes{1}, 1000);
  batch.add(1, id_of(2), Bytes{2}, 1015);
  EXPECT_EQ(batch.due_ms(), 1020u);
}

TEST(StemCheckBatchTest, TakenInArrivalOrderWithEachSenderThenEmpty) {
  StemCheckBatch batch;
  batch.add(5, id_of(9), Bytes{9}, 1);
  batch.add(6, id_of(4), Bytes{4, 4}, 2);
  EXPECT_TRUE(batch.contains(id_of(9)));
  EXPECT_FALSE(batch.contains(id_of(5)));
  StemCheckBatch::Taken taken = batch.take();
  ASSERT_EQ(taken.txs.size(), 2u);
  EXPECT_EQ(taken.txs[0], Bytes{9});
  EXPECT_EQ(taken.origins[0].peer, 5u);
  EXPECT_EQ(taken.origins[0].id, id_of(9));
  EXPECT_EQ(taken.txs[1], (Bytes{4, 4}));
  EXPECT_EQ(taken.origins[1].peer, 6u);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
  EXPECT_FALSE(batch.contains(id_of(9)));
  EXPECT_EQ(batch.due_ms(), 0u);
}

}  // namespace
}  // namespace hc::node::stem_check_batch_test
