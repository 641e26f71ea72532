// Idle blocks (issue 13, item 1): with no transaction to propose, the primary proposes an empty
// block when its application wants_block(), at most one per idle_block_interval_ms, and none
// when it does not; backups accept it; a transaction arriving meanwhile keeps its batching
// delay. The trustees' DKG windows are counted in blocks and need this on a quiet chain.
#include <gtest/gtest.h>

#include "test_cluster.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h

constexpr std::uint64_t kIdleTestIntervalMs = 500;

ConsensusConfig idle_test_config() {
  ConsensusConfig c = small_cluster_config();
  c.idle_block_interval_ms = kIdleTestIntervalMs;
  return c;
}

// The committed blocks replica r delivered, in order.
std::vector<std::shared_ptr<const CommittedBlock>> idle_delivered_by(const TestCluster& c, ReplicaId r) {
  std::vector<std::shared_ptr<const CommittedBlock>> blocks;
  for (const auto& [replica, block] : c.delivered()) {
    if (replica == r) blocks.push_back(block);
  }
  return blocks;
}

// Delivers queued messages until none is left, firing no timer.
void idle_deliver_messages(TestCluster& c) {
  while (!c.network().empty()) {
    Wire w = c.network().front();
    c.network().pop_front();
    c.handle(w.to, MessageReceived{w.bytes});
  }
}

// Commits block 1 (one transaction, proposed when its batching delay fires) and leaves the
// primary's next timer (its idle wake-up, if any) unfired.
void commit_first_block_without_idle_firing(TestCluster& c) {
  c.submit(make_tx(1));
  c.advance_ms(c.config().max_batch_delay_ms);
  c.handle(0, TimerFired{TimerKind::kBatch});
  idle_deliver_messages(c);
  ASSERT_EQ(c.app(0).last_height(), 1u);
  ASSERT_EQ(c.app(3).last_height(), 1u);
}

void idle_want_blocks_until(TestCluster& c, SeqNumber height) {
  for (ReplicaId r = 0; r < c.config().replica_count; ++r) c.app(r).want_blocks_until(height);
}

TEST(IdleBlocks, AnIdleClusterWhoseApplicationWantsBlocksCommitsEmptyOnesOnePerInterval) {
  TestCluster c(idle_test_config());
  idle_want_blocks_until(c, 4);
  c.submit(make_tx(1));  // block 1 carries it; blocks 2..4 are empty
  c.run();               // fires the primary's timers (the driver advances 2 ms per firing)
  for (ReplicaId r = 0; r < 4; ++r) {
    const auto blocks = idle_delivered_by(c, r);
    ASSERT_EQ(blocks.size(), 4u) << "replica " << r;
    EXPECT_EQ(c.app(r).last_height(), 4u);
    EXPECT_EQ(blocks[0]->block.txs.size(), 1u);
    for (std::size_t i = 1; i < blocks.size(); ++i) {
      EXPECT_TRUE(blocks[i]->block.txs.empty()) << "block " << i + 1;
      const std::uint64_t gap_ms = blocks[i]->block.timestamp_ms - blocks[i - 1]->block.timestamp_ms;
      EXPECT_GE(gap_ms, kIdleTestIntervalMs) << "block " << i + 1 << " came before the interval";
      EXPECT_LE(gap_ms, kIdleTestIntervalMs + c.config().max_batch_delay_ms)
          << "block " << i + 1 << " came later than the interval";
    }
  }
  // Height 4 reached: the application no longer wants blocks, and the primary stops.
  EXPECT_FALSE(c.batch_timer_pending(0));
  c.advance_ms(10 * kIdleTestIntervalMs);
  c.handle(0, TimerFired{TimerKind::kBatch});
  c.run();
  EXPECT_EQ(c.app(0).last_height(), 4u);
  EXPECT_EQ(c.app(3).last_height(), 4u);
}

TEST(IdleBlocks, NoEmptyBlockWhenTheApplicationDoesNotWantOne) {
  TestCluster c(idle_test_config());
  c.submit(make_tx(1));
  c.run();
  ASSERT_EQ(c.app(0).last_height(), 1u);
  EXPECT_FALSE(c.batch_timer_pending(0));
  for (int i = 0; i < 5; ++i) {
    c.advance_ms(2 * kIdleTestIntervalMs);
    c.handle(0, TimerFired{TimerKind::kBatch});  // even a stray wake-up proposes nothing
    c.run();
  }
  for (ReplicaId r = 0; r < 4; ++r) EXPECT_EQ(c.app(r).last_height(), 1u) << "replica " << r;
  EXPECT_TRUE(c.network().empty());
}

TEST(IdleBlocks, TheIntervalIsCountedFromTheLastBlockNotFromTheWakeUp) {
  TestCluster c(idle_test_config());
  idle_want_blocks_until(c, 2);
  commit_first_block_without_idle_firing(c);
  ASSERT_TRUE(c.batch_timer_pending(0));
  EXPECT_EQ(c.last_batch_delay_ms(0), kIdleTestIntervalMs);
  // Woken early: no block, the timer re-armed for the rest of the interval.
  c.advance_ms(kIdleTestIntervalMs - 100);
  c.handle(0, TimerFired{TimerKind::kBatch});
  EXPECT_TRUE(c.network().empty());
  EXPECT_EQ(c.last_batch_delay_ms(0), 100u);
  c.advance_ms(100);
  c.handle(0, TimerFired{TimerKind::kBatch});
  idle_deliver_messages(c);
  EXPECT_EQ(c.app(1).last_height(), 2u);
  EXPECT_TRUE(idle_delivered_by(c, 1).back()->block.txs.empty());
}

TEST(IdleBlocks, ATransactionArrivingWhileTheIdleTimerRunsKeepsItsBatchingDelay) {
  TestCluster c(idle_test_config());
  idle_want_blocks_until(c, 10);
  commit_first_block_without_idle_firing(c);
  ASSERT_EQ(c.last_batch_delay_ms(0), kIdleTestIntervalMs);
  c.submit(make_tx(2));
  EXPECT_EQ(c.last_batch_delay_ms(0), c.config().max_batch_delay_ms)
      << "the idle timer must not hold a transaction back";
  c.advance_ms(c.config().max_batch_delay_ms);
  c.handle(0, TimerFired{TimerKind::kBatch});
  idle_deliver_messages(c);
  ASSERT_EQ(c.app(1).last_height(), 2u);
  EXPECT_EQ(idle_delivered_by(c, 1).back()->block.txs.size(), 1u);
}

TEST(IdleBlocks, ARestartedPrimaryOwesTheEmptyBlockWithoutAnyTransaction) {
  TestCluster c(idle_test_config());
  c.submit(make_tx(1));
  c.run();
  ASSERT_EQ(c.app(0).last_height(), 1u);
  idle_want_blocks_until(c, 2);  // e.g. a window opened by block 1, seen after a restart
  c.advance_ms(kIdleTestIntervalMs);
  c.crash(0);
  c.start(0);
  c.run();
  for (ReplicaId r = 0; r < 4; ++r) EXPECT_EQ(c.app(r).last_height(), 2u) << "replica " << r;
}

TEST(IdleBlocks, ConfigRefusesAZeroInterval) {
  ConsensusConfig c = idle_test_config();
  c.idle_block_interval_ms = 0;
  EXPECT_FALSE(c.validate().ok());
}

}  // namespace
}  // namespace hc::consensus
