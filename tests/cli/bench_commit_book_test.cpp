// hc bench's record book: a record seen in a committed block before its POST's answer was read
// still counts as committed (the bench reported such a record as "not committed" and waited
// for it until its deadline: 1 of 3,000 at 20 records/s during scripts/reconfig_sequence.sh).
#include <gtest/gtest.h>

#include "cli/bench_commit_book.h"

namespace hc::cli {
namespace {

using Clock = BenchCommitBook::Clock;

TEST(BenchCommitBookTest, ARecordCommittedBeforeItsPostAnsweredCountsAsCommitted) {
  BenchCommitBook book(16);
  const Clock::time_point t0 = Clock::now();
  book.record_in_block("early", t0 + std::chrono::milliseconds(40));  // the follower was faster
  book.record_sent("early", t0, "st-mary");
  ASSERT_EQ(book.sent().size(), 1u);
  const auto& entry = book.sent().at("early");
  ASSERT_TRUE(entry.committed_at.has_value());
  EXPECT_EQ(*entry.committed_at, t0 + std::chrono::milliseconds(40));
  EXPECT_EQ(entry.node, "st-mary");
  EXPECT_TRUE(book.all_committed());
}

TEST(BenchCommitBookTest, TheUsualOrderAndTheFirstSightingCount) {
  BenchCommitBook book(16);
  const Clock::time_point t0 = Clock::now();
  book.record_sent("a", t0, "riverside");
  book.record_sent("b", t0, "riverside");
  EXPECT_EQ(book.committed_count(), 0u);
  book.record_in_block("a", t0 + std::chrono::milliseconds(5));
  book.record_in_block("a", t0 + std::chrono::milliseconds(9));  // seen again on a later poll
  EXPECT_EQ(*book.sent().at("a").committed_at, t0 + std::chrono::milliseconds(5));
  EXPECT_EQ(book.committed_count(), 1u);
  EXPECT_FALSE(book.all_committed());
  book.record_in_block("b", t0 + std::chrono::milliseconds(7));
  EXPECT_TRUE(book.all_committed());
}

TEST(BenchCommitBookTest, UnclaimedIdsAreBounded) {
  BenchCommitBook book(2);
  const Clock::time_point t0 = Clock::now();
  for (const char* other : {"x", "y", "z"}) book.record_in_block(other, t0);  // other clients' transactions
  book.record_sent("x", t0, "n");
  book.record_sent("z", t0, "n");  // beyond the bound: not remembered, so not committed yet
  EXPECT_TRUE(book.sent().at("x").committed_at.has_value());
  EXPECT_FALSE(book.sent().at("z").committed_at.has_value());
  book.record_in_block("z", t0 + std::chrono::milliseconds(1));
  EXPECT_TRUE(book.all_committed());
}

}  // namespace
}  // namespace hc::cli
