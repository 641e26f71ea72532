#include "node/tx_intake.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

IntakeItem intake_item_of(std::size_t bytes) { return IntakeItem{Bytes(bytes, 0xab), true, nullptr}; }

TEST(TxIntakeTest, RefusesPastItsCountAndByteBounds) {
  TxIntake intake({3, 100});
  auto a = intake_item_of(10), b = intake_item_of(10), c = intake_item_of(10), d = intake_item_of(1);
  EXPECT_EQ(intake.push(a), TxIntake::Pushed::kWakeConsumer);
  EXPECT_EQ(intake.push(b), TxIntake::Pushed::kQueued);
  EXPECT_EQ(intake.push(c), TxIntake::Pushed::kQueued);
  EXPECT_EQ(intake.push(d), TxIntake::Pushed::kFull);  // count
  EXPECT_EQ(d.tx.size(), 1u);                          // a refused item is left to the caller
  EXPECT_EQ(intake.size(), 3u);

  TxIntake small({100, 25});
  auto e = intake_item_of(20), f = intake_item_of(6), g = intake_item_of(5);
  EXPECT_EQ(small.push(e), TxIntake::Pushed::kWakeConsumer);
  EXPECT_EQ(small.push(f), TxIntake::Pushed::kFull);  // bytes
  EXPECT_EQ(small.push(g), TxIntake::Pushed::kQueued);
}

TEST(TxIntakeTest, WakesTheConsumerOncePerNonEmptySpell) {
  TxIntake intake({100, 1000});
  for (int i = 0; i < 5; ++i) {
    auto item = intake_item_of(1);
    EXPECT_EQ(intake.push(item), i == 0 ? TxIntake::Pushed::kWakeConsumer : TxIntake::Pushed::kQueued);
  }
  bool more = false;
  EXPECT_EQ(intake.take(3, more).size(), 3u);
  EXPECT_TRUE(more);  // still scheduled: no new wake-up
  auto item = intake_item_of(1);
  EXPECT_EQ(intake.push(item), TxIntake::Pushed::kQueued);
  EXPECT_EQ(intake.take(10, more).size(), 3u);
  EXPECT_FALSE(more);
  auto next = intake_item_of(1);
  EXPECT_EQ(intake.push(next), TxIntake::Pushed::kWakeConsumer);
  // Bytes are released by take(): the queue accepts again what it gave out.
  TxIntake bytes({100, 10});
  auto big = intake_item_of(10);
  ASSERT_EQ(bytes.push(big), TxIntake::Pushed::kWakeConsumer);
  EXPECT_EQ(bytes.take(1, more).size(), 1u);
  auto again = intake_item_of(10);
  EXPECT_EQ(bytes.push(again), TxIntake::Pushed::kWakeConsumer);
}

}  // namespace
}  // namespace hc::node
