// Safety: a backup never PREPAREs a block that conflicts with one it already executed, whether
// that height's certificate was garbage-collected below the stable checkpoint or was never in
// its log at all (the block arrived by state transfer). A faulty primary uses its own key.
// Liveness: a PRE-PREPARE that waited for a parent executed by state transfer is PREPAREd.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

// Commits `blocks` full blocks of fresh transactions.
void commit_blocks(TestCluster& c, std::uint64_t& next_tx, int blocks) {
  for (int i = 0; i < 4 * blocks; ++i) c.submit(make_tx(next_tx++));
  c.run();
}

// A PRE-PREPARE by the primary of view 0 (replica 0) for a block of its own at `height`.
Bytes conflicting_preprepare(TestCluster& c, SeqNumber height) {
  Block b = big_block(height, 0, 4, 1, 16, 1u << 20);
  b.timestamp_ms = 1000;
  const Digest d = block_digest(b);
  return signed_wire(c, 0, PrePrepare{0, height, d, b});
}

std::size_t messages_sent_by(TestCluster& c, ReplicaId r) {
  std::size_t n = 0;
  for (const Wire& w : c.network()) n += (*w.bytes)[13] == r ? 1 : 0;  // sender's low byte
  return n;
}

// Cannot happen, by construction: precheck() refuses every PRE-PREPARE (and vote) whose
// sequence number is at or below the stable checkpoint (kOutsideWindow) before any handler
// runs, and the log is garbage-collected only up to that same checkpoint (make_stable). So a
// slot whose certificate was collected can never be pre-prepared again.
TEST(ExecutedHeight, PrePrepareBelowTheStableCheckpointIsRefused) {
  TestCluster c(testing::small_cluster_config());
  std::uint64_t next_tx = 0;
  commit_blocks(c, next_tx, 12);
  ASSERT_EQ(c.replica(1).stable_seq(), 12u);
  deliver(c, 1, conflicting_preprepare(c, 5));
  EXPECT_EQ(testing::dropped(c.replica(1), DropReason::kOutsideWindow), 1u);
  EXPECT_EQ(messages_sent_by(c, 1), 0u);
}

// It did happen above the stable checkpoint: a replica that executed heights 13 and 14 by state
// transfer holds no log slot for them, so on_preprepare took a conflicting PRE-PREPARE for
// height 13 as new (it validates only heights above the last executed one) and PREPAREd it.
TEST(ExecutedHeight, RegressionConflictingPrePrepareForAHeightExecutedByStateTransferIsRefused) {
  TestCluster c(testing::small_cluster_config());
  c.crash(3);
  std::uint64_t next_tx = 0;
  commit_blocks(c, next_tx, 14);
  c.start(3);  // catches up by state transfer: executes 1..14, stable checkpoint 12
  c.run();
  ASSERT_EQ(c.replica(3).last_executed(), 14u);
  ASSERT_EQ(c.replica(3).stable_seq(), 12u);

  deliver(c, 3, conflicting_preprepare(c, 13));
  EXPECT_EQ(messages_sent_by(c, 3), 0u) << "replica 3 PREPAREd a block conflicting with executed height 13";
  EXPECT_EQ(testing::dropped(c.replica(3), DropReason::kConflict), 1u);
}

// Each such PRE-PREPARE cost the backup a block read (load_block) on top of its signature
// check, with no allowance: one faulty primary replaying it made a backup read without bound.
// The read is charged to the sender's state-transfer allowance, like a FETCH.
TEST(ExecutedHeight, RegressionReplayedConflictingPrePrepareReadsOnlyWithinThePeerAllowance) {
  ConsensusConfig cfg = testing::small_cluster_config();
  cfg.fetch_serve_burst_bytes_per_peer = 64 * 1024;
  cfg.fetch_serve_bytes_per_s_per_peer = 64 * 1024;
  TestCluster c(cfg);
  c.crash(3);
  std::uint64_t next_tx = 0;
  commit_blocks(c, next_tx, 14);
  c.start(3);  // executes 13 and 14 by state transfer: no log slot for them
  c.run();
  ASSERT_EQ(c.replica(3).last_executed(), 14u);
  c.network().clear();
  const Bytes conflicting = conflicting_preprepare(c, 13);
  const std::uint64_t reads_before = c.app(3).blocks_loaded();
  for (int i = 0; i < 1000; ++i) deliver(c, 3, conflicting);
  const std::uint64_t reads = c.app(3).blocks_loaded() - reads_before;
  EXPECT_LE(reads, cfg.fetch_serve_burst_bytes_per_peer / Replica::kMinServeChargeBytes);  // 16
  EXPECT_GE(reads, 1u);
  EXPECT_GE(testing::dropped(c.replica(3), DropReason::kRateLimited), 1000u - reads);
  EXPECT_EQ(messages_sent_by(c, 3), 0u);
}

// A PRE-PREPARE for the height above the next one waits until its parent has executed
// (validate_deferred). When the parent came by state transfer, nothing validated it: the
// backup never PREPAREd, and with f faulty replicas silent an idle chain stalled for good (the
// reconfiguration sweep's seed 90042: `hc-sim --scenario byzantine-two-faced --replicas 7
// --seed 90042 --partition 2 --loss 0.03 --duplicate 0.03 --duration 2000 --heal 30000
// --reconfig join`, "the change accepted at height 10 never took effect").
TEST(ExecutedHeight, RegressionAPrePrepareDeferredBehindAStateTransferredParentIsPrepared) {
  TestCluster c(testing::small_cluster_config());
  c.crash(3);
  std::uint64_t next_tx = 0;
  commit_blocks(c, next_tx, 2);
  const SeqNumber tip = c.replica(0).last_executed();
  ASSERT_GE(tip, 2u);
  c.start(3);  // at height 0: it catches up by state transfer

  Block next = big_block(tip + 1, 0, 4, 1, 16, next_tx++);
  next.timestamp_ms = c.now_ms();
  deliver(c, 3, signed_wire(c, 0, PrePrepare{0, tip + 1, block_digest(next), next}));
  ASSERT_EQ(c.replica(3).last_executed(), 0u);  // so the PRE-PREPARE waits for its parent

  std::size_t prepares_by_3 = 0;
  c.run([&](const Wire& w) {
    auto m = decode_message(*w.bytes, DecodeLimits{});
    if (m.ok() && m->sender == 3 && m->type() == MsgType::kPrepare && std::get<Prepare>(m->body).seq == tip + 1) {
      ++prepares_by_3;
    }
    return false;
  });
  ASSERT_EQ(c.replica(3).last_executed(), tip) << "replica 3 did not catch up by state transfer";
  EXPECT_GT(prepares_by_3, 0u) << "replica 3 never PREPAREd height " << tip + 1 << " after catching up";
}

}  // namespace
}  // namespace hc::consensus
