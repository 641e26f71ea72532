// PendingPool (issue 18 item 3): the replica's pending transactions with their arrival order and
// the queue of those not in flight kept as intrusive lists. Each test checks the pool against
// what the replica relies on: both orders by arrival, the counts and byte totals, and a queue
// rebuilt for a new view.
#include <gtest/gtest.h>

#include <map>
#include <random>

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

// Many adds, removals and moves into flight, checked after every step against a plain model
// (maps by id and by arrival): the index's backward-shift deletion and growth, the two lists
// and the totals must agree with it. The ids' first 8 bytes (the index's key) take four values
// whose homes are the index's last slots, so probe sequences collide and wrap around.
TEST(PendingPoolTest, AgreesWithAModelThroughRandomOperations) {
  std::mt19937_64 rng(18);
  PendingPool pool;
  std::map<Digest, PendingTx> model;        // by id
  std::map<std::uint64_t, Digest> arrivals;  // by arrival
  std::uint64_t next_arrival = 1;
  const auto make = [&](std::uint64_t n) {
    PendingTx p;
    p.tx = Bytes(1 + n % 13, static_cast<std::uint8_t>(n));
    p.id = tx_digest(p.tx);
    // Four homes at the index's last slots, whatever its size: long probes that wrap around.
    for (std::size_t i = 0; i < 6; ++i) p.id[i] = 0;
    p.id[6] = 0xFF;
    p.id[7] = static_cast<std::uint8_t>(0xFC + n % 4);
    p.id[31] = static_cast<std::uint8_t>(n);
    p.id[30] = static_cast<std::uint8_t>(n >> 8);
    return p;
  };
  for (int step = 0; step < 20000; ++step) {
    const std::uint64_t pick = rng() % 600;
    const PendingTx candidate = make(pick);
    switch (rng() % 4) {
      case 0:
      case 1: {
        PendingTx p = candidate;
        p.arrival_no = next_arrival++;
        p.inflight = rng() % 5 == 0;
        const bool added = pool.add(p);
        EXPECT_EQ(added, !model.contains(p.id));
        if (added) {
          arrivals[p.arrival_no] = p.id;
          model[p.id] = p;
        }
        break;
      }
      case 2:
        pool.remove(candidate.id);
        if (auto it = model.find(candidate.id); it != model.end()) {
          arrivals.erase(it->second.arrival_no);
          model.erase(it);
        }
        break;
      case 3:
        pool.set_inflight(candidate.id);
        if (auto it = model.find(candidate.id); it != model.end()) it->second.inflight = true;
        break;
    }
    ASSERT_EQ(pool.size(), model.size());
    ASSERT_EQ(pool.contains(candidate.id), model.contains(candidate.id));
  }
  std::vector<Digest> expected;
  std::uint64_t bytes = 0;
  std::uint64_t queued_bytes = 0;
  std::vector<std::uint64_t> expected_queue;
  for (const auto& [arrival, id] : arrivals) {
    expected.push_back(id);
    const PendingTx& p = model.at(id);
    bytes += p.tx.size();
    if (!p.inflight) {
      queued_bytes += p.tx.size();
      expected_queue.push_back(arrival);
    }
    ASSERT_NE(pool.find(id), nullptr);
    EXPECT_EQ(pool.find(id)->tx, p.tx);
    EXPECT_EQ(pool.find(id)->inflight, p.inflight);
  }
  EXPECT_EQ(pool.ids(), expected);
  EXPECT_EQ(pool.bytes(), bytes);
  EXPECT_EQ(pool.queued(), expected_queue.size());
  EXPECT_EQ(pool.queued_bytes(), queued_bytes);
  std::vector<std::uint64_t> queue;
  while (const PendingTx* p = pool.take_oldest_queued()) queue.push_back(p->arrival_no);
  EXPECT_EQ(queue, expected_queue);
}

}  // namespace
}  // namespace hc::consensus
