// Regression tests for issue 12 item 6: a Byzantine primary does not control block metadata.
// A backup refuses a proposal whose timestamp is more than max_clock_skew_ms ahead of its own
// clock or earlier than its parent's, and a PRE-PREPARE must name its own view (and that
// view's primary) in the block it carries.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

constexpr std::uint64_t kClusterStartMs = 1000;  // TestCluster's clock at start

Block block_at(SeqNumber height, std::uint64_t timestamp_ms, std::uint64_t tx) {
  return Block{height, timestamp_ms, 0, 0, {make_tx(tx)}};
}

TEST(BlockMetadata, BackupRefusesATimestampFarAheadOfItsClock) {
  const ConsensusConfig cfg = testing::small_cluster_config();
  TestCluster c(cfg);
  c.run();
  const Block ahead = block_at(1, kClusterStartMs + cfg.max_clock_skew_ms + 1, 1);
  deliver(c, 1, signed_wire(c, 0, PrePrepare{0, 1, block_digest(ahead), ahead}));
  EXPECT_EQ(dropped(c.replica(1), DropReason::kRejectedBlock), 1u);
  EXPECT_TRUE(c.network().empty());  // no PREPARE

  const Block at_bound = block_at(1, kClusterStartMs + cfg.max_clock_skew_ms, 1);
  deliver(c, 2, signed_wire(c, 0, PrePrepare{0, 1, block_digest(at_bound), at_bound}));
  EXPECT_EQ(dropped(c.replica(2), DropReason::kRejectedBlock), 0u);
  EXPECT_FALSE(c.network().empty());  // PREPARE sent
}

TEST(BlockMetadata, BackupRefusesATimestampBeforeItsParents) {
  TestCluster c(testing::small_cluster_config());
  c.advance_ms(5000);
  c.submit(make_tx(1));
  c.run();
  ASSERT_EQ(c.replica(1).last_executed(), 1u);
  const std::uint64_t parent_ms = c.app(1).blocks().at(1).block.timestamp_ms;
  ASSERT_GT(parent_ms, kClusterStartMs);

  const Block earlier = block_at(2, parent_ms - 1, 2);
  deliver(c, 1, signed_wire(c, 0, PrePrepare{0, 2, block_digest(earlier), earlier}));
  EXPECT_EQ(dropped(c.replica(1), DropReason::kRejectedBlock), 1u);

  const Block same = block_at(2, parent_ms, 2);
  deliver(c, 2, signed_wire(c, 0, PrePrepare{0, 2, block_digest(same), same}));
  EXPECT_EQ(dropped(c.replica(2), DropReason::kRejectedBlock), 0u);
}

TEST(BlockMetadata, HonestPrimaryTimestampsFollowItsClockAndNeverGoBack) {
  TestCluster c(testing::small_cluster_config());
  c.advance_ms(7000);
  c.submit(make_tx(1));
  c.run();
  c.submit(make_tx(2));
  c.run();
  const auto& blocks = c.app(3).blocks();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_GE(blocks.at(1).block.timestamp_ms, kClusterStartMs + 7000);
  EXPECT_GE(blocks.at(2).block.timestamp_ms, blocks.at(1).block.timestamp_ms);
}

// The attack: the primary of view 1 attributes its block to view 0 (and to replica 0).
TEST(BlockMetadata, PrePrepareMustNameItsOwnViewAndPrimary) {
  TestCluster c(testing::small_cluster_config());
  c.run();
  const Block other_view = block_at(1, kClusterStartMs, 1);  // view 0, proposer 0
  deliver(c, 2, signed_wire(c, 1, PrePrepare{1, 1, block_digest(other_view), other_view}));
  EXPECT_EQ(dropped(c.replica(2), DropReason::kMalformed), 1u);
  EXPECT_EQ(c.replica(2).buffered_from(1).messages, 0u);

  Block wrong_proposer{1, kClusterStartMs, 1, 2, {make_tx(1)}};  // view 1, proposer 2
  deliver(c, 2, signed_wire(c, 1, PrePrepare{1, 1, block_digest(wrong_proposer), wrong_proposer}));
  EXPECT_EQ(dropped(c.replica(2), DropReason::kMalformed), 2u);

  Block own{1, kClusterStartMs, 1, 1, {make_tx(1)}};
  deliver(c, 2, signed_wire(c, 1, PrePrepare{1, 1, block_digest(own), own}));
  EXPECT_EQ(c.replica(2).buffered_from(1).messages, 1u);
}

}  // namespace
}  // namespace hc::consensus
