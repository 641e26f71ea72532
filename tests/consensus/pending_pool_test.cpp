// PendingPool (issue 18 item 3): the replica's pending transactions with their arrival order and
// the queue of those not in flight kept as intrusive lists. Each test checks the pool against
// what the replica relies on: both orders by arrival, the counts and byte totals, and a queue
// rebuilt for a new view.
#include <gtest/gtest.h>

#include "consensus/pending_pool.h"

namespace hc::consensus {
namespace {

PendingTx entry(std::uint8_t n, std::size_t bytes = 8, bool inflight = false) {
  PendingTx p;
  p.tx = Bytes(bytes, n);
  p.id = tx_digest(p.tx);
  p.arrival_no = n;
  p.arrival_ms = 100 + n;
  p.inflight = inflight;
  return p;
}

std::vector<std::uint8_t> arrival_order(const PendingPool& pool) {
  std::vector<std::uint8_t> out;
  pool.for_each_by_arrival([&](const PendingTx& p) {
    out.push_back(static_cast<std::uint8_t>(p.arrival_no));
    return true;
  });
  return out;
}

// Takes every queued transaction into flight, oldest first: the order a primary proposes them.
std::vector<std::uint8_t> drain_queue(PendingPool& pool) {
  std::vector<std::uint8_t> out;
  while (const PendingTx* p = pool.take_oldest_queued()) out.push_back(static_cast<std::uint8_t>(p->arrival_no));
  return out;
}

TEST(PendingPoolTest, KeepsArrivalOrderAndQueueThroughRemovals) {
  PendingPool pool;
  for (std::uint8_t n = 1; n <= 5; ++n) EXPECT_TRUE(pool.add(entry(n, n)));
  EXPECT_FALSE(pool.add(entry(3, 3)));  // already pending: nothing changes
  EXPECT_EQ(pool.size(), 5u);
  EXPECT_EQ(pool.bytes(), 15u);
  EXPECT_EQ(pool.queued(), 5u);
  EXPECT_EQ(pool.queued_bytes(), 15u);

  pool.remove(entry(1, 1).id);  // the oldest
  pool.remove(entry(3, 3).id);  // one in the middle
  pool.remove(entry(5, 5).id);  // the newest
  pool.remove(entry(9, 9).id);  // never pending: nothing
  EXPECT_EQ(arrival_order(pool), (std::vector<std::uint8_t>{2, 4}));
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(pool.bytes(), 6u);
  EXPECT_EQ(pool.oldest()->arrival_no, 2u);
  EXPECT_EQ(pool.oldest_queued()->arrival_no, 2u);

  EXPECT_TRUE(pool.add(entry(6, 6)));  // after removals, still appended at the end
  EXPECT_EQ(arrival_order(pool), (std::vector<std::uint8_t>{2, 4, 6}));
  EXPECT_EQ(drain_queue(pool), (std::vector<std::uint8_t>{2, 4, 6}));
  EXPECT_EQ(pool.queued(), 0u);
  EXPECT_EQ(pool.queued_bytes(), 0u);
  EXPECT_EQ(pool.size(), 3u);  // in flight, still pending
}

TEST(PendingPoolTest, InFlightTransactionsLeaveTheQueueOnly) {
  PendingPool pool;
  pool.add(entry(1));
  pool.add(entry(2, 8, /*inflight=*/true));  // arrived after its block was proposed
  pool.add(entry(3));
  pool.add(entry(4));
  EXPECT_EQ(pool.queued(), 3u);
  pool.set_inflight(entry(3).id);
  pool.set_inflight(entry(3).id);  // twice: no change
  pool.set_inflight(entry(7).id);  // not pending: no change
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_EQ(pool.queued_bytes(), 16u);
  EXPECT_TRUE(pool.find(entry(3).id)->inflight);
  EXPECT_EQ(pool.find(entry(7).id), nullptr);

  pool.remove(entry(2).id);  // in flight: the queue is untouched
  pool.remove(entry(4).id);  // queued: leaves both
  EXPECT_EQ(arrival_order(pool), (std::vector<std::uint8_t>{1, 3}));
  EXPECT_EQ(pool.queued(), 1u);
  EXPECT_EQ(drain_queue(pool), (std::vector<std::uint8_t>{1}));
}

TEST(PendingPoolTest, RequeueForANewViewRebuildsTheQueueByArrival) {
  PendingPool pool;
  for (std::uint8_t n = 1; n <= 4; ++n) pool.add(entry(n));
  EXPECT_EQ(drain_queue(pool), (std::vector<std::uint8_t>{1, 2, 3, 4}));  // all proposed
  pool.mark_forwarded(entry(4).id, 500);
  EXPECT_TRUE(pool.find(entry(4).id)->forwarded);
  EXPECT_EQ(pool.find(entry(4).id)->forwarded_ms, 500u);

  // The new view re-proposed only transaction 3.
  const Digest reproposed = entry(3).id;
  pool.requeue([&](const Digest& id) { return id == reproposed; });
  EXPECT_EQ(pool.queued(), 3u);
  EXPECT_EQ(pool.queued_bytes(), 24u);
  EXPECT_FALSE(pool.find(entry(4).id)->forwarded);
  EXPECT_TRUE(pool.find(reproposed)->inflight);
  EXPECT_EQ(drain_queue(pool), (std::vector<std::uint8_t>{1, 2, 4}));

  pool.clear();
  EXPECT_TRUE(pool.empty());
  EXPECT_EQ(pool.oldest(), nullptr);
  EXPECT_EQ(pool.oldest_queued(), nullptr);
  EXPECT_EQ(pool.bytes(), 0u);
  EXPECT_TRUE(pool.add(entry(9)));  // usable after clear
  EXPECT_EQ(pool.ids(), (std::vector<Digest>{entry(9).id}));
}

TEST(PendingPoolTest, VisitStopsWhenAsked) {
  PendingPool pool;
  for (std::uint8_t n = 1; n <= 4; ++n) pool.add(entry(n));
  std::vector<std::uint8_t> seen;
  pool.for_each_by_arrival([&](const PendingTx& p) {
    seen.push_back(static_cast<std::uint8_t>(p.arrival_no));
    return p.arrival_no < 2;
  });
  EXPECT_EQ(seen, (std::vector<std::uint8_t>{1, 2}));
}

}  // namespace
}  // namespace hc::consensus
