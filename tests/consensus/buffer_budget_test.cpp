// Regression tests for issue 12 item 1: what one replica can make another hold. Every buffer
// a peer can fill has a per-peer byte and count budget, repeats cost once, and messages for
// views that can never become useful are not kept.
#include <gtest/gtest.h>

#include "signed_messages.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

// The attack: replica 1, the legitimate primary of view 1, replays one signed
// PRE-PREPARE of view 1 (a maximum-size, 1 MiB block) 60 times to replica 2, still in view 0.
TEST(BufferBudget, ReplayedFutureViewPrePrepareIsBufferedOnce) {
  const ConsensusConfig cfg = testing::small_cluster_config(64);
  TestCluster c(cfg);
  c.run();
  const Block b = big_block(1, 1, 4, 16, testing::kSixteenthOfMaxBatchBytes);
  const Bytes wire = signed_wire(c, 1, PrePrepare{1, 1, block_digest(b), b});
  for (int i = 0; i < 60; ++i) deliver(c, 2, wire);
  const BufferUsage used = c.replica(2).buffered_from(1);
  EXPECT_EQ(used.messages, 1u);
  EXPECT_EQ(used.bytes, wire.size());
  EXPECT_LE(used.bytes, cfg.max_future_bytes_per_peer);
  EXPECT_EQ(dropped(c.replica(2), DropReason::kDuplicate), 59u);
}

// Distinct large future-view PRE-PREPAREs from one primary stay within its byte budget (a
// window of maximum-size blocks, 7.5 MiB, against a 4 MiB budget).
TEST(BufferBudget, FutureViewBytesStayWithinThePeerBudget) {
  ConsensusConfig cfg = testing::small_cluster_config(64);
  cfg.max_future_bytes_per_peer = 4u << 20;
  TestCluster c(cfg);
  c.run();
  for (SeqNumber s = 1; s <= cfg.window_blocks; ++s) {
    const Block b = big_block(s, 1, 4, 16, 60 * 1024, s * 1000);
    deliver(c, 2, signed_wire(c, 1, PrePrepare{1, s, block_digest(b), b}));
    const BufferUsage used = c.replica(2).buffered_from(1);
    EXPECT_LE(used.bytes, cfg.max_future_bytes_per_peer);
    EXPECT_LE(used.messages, cfg.max_future_messages_per_peer);
  }
  EXPECT_GT(c.replica(2).buffered_from(1).messages, 0u);
}

// Tiny PREPAREs for view 2^63 and beyond can never become useful: none is buffered, and the
// legitimate next-view messages that follow are still accepted.
TEST(BufferBudget, FarFutureVotesNeverCrowdOutTheNextView) {
  const ConsensusConfig cfg = testing::small_cluster_config(64);
  TestCluster c(cfg);
  c.run();
  const ViewNumber far = ViewNumber{1} << 63;
  for (std::uint64_t i = 0; i < 5000; ++i) {
    const ViewNumber v = far + 4 * i;  // primary is replica 0, so replica 3 may PREPARE
    deliver(c, 2, signed_wire(c, 3, Prepare{v, 1 + i % cfg.window_blocks, Digest{}}));
  }
  EXPECT_EQ(c.replica(2).buffered_from(3).messages, 0u);
  EXPECT_EQ(c.replica(2).buffered_from(3).bytes, 0u);

  const Block b = big_block(1, 1, 4, 2, 100);
  deliver(c, 2, signed_wire(c, 1, PrePrepare{1, 1, block_digest(b), b}));
  deliver(c, 2, signed_wire(c, 3, Prepare{1, 1, block_digest(b)}));
  EXPECT_EQ(c.replica(2).buffered_from(1).messages, 1u);
  EXPECT_EQ(c.replica(2).buffered_from(3).messages, 1u);
  EXPECT_EQ(dropped(c.replica(2), DropReason::kBufferFull), 0u);
}

// Within the future-view window, a peer that has filled its own count budget with messages
// for distant views loses those first: a message for a nearer view is still buffered.
TEST(BufferBudget, NearerViewEvictsFartherOnesFromAFullPeerBudget) {
  ConsensusConfig cfg = testing::small_cluster_config(64);
  cfg.max_future_messages_per_peer = 8;
  TestCluster c(cfg);
  c.run();
  const ViewNumber far = cfg.future_view_window - (cfg.future_view_window % 4);  // primary 0
  for (SeqNumber s = 1; s <= cfg.window_blocks; ++s) {
    deliver(c, 2, signed_wire(c, 3, Prepare{far, s, Digest{}}));
  }
  EXPECT_EQ(c.replica(2).buffered_from(3).messages, 8u);
  deliver(c, 2, signed_wire(c, 3, Prepare{1, 1, Digest{}}));
  EXPECT_EQ(c.replica(2).buffered_from(3).messages, 8u);
  EXPECT_EQ(dropped(c.replica(2), DropReason::kBufferFull), 1u);  // one far one evicted
}

}  // namespace
}  // namespace hc::consensus
