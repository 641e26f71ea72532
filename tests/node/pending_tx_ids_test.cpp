// The pending-transaction ids the API answers GET /v1/tx/{id} from (api_snapshot.h; issue 14,
// item 3): the cache follows the engine's pool exactly, and rebuilds only when it changed.
#include "node/api_snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hc::node {
namespace {

// The three calls PendingTxIdsCache makes of consensus::Replica, over a plain vector.
struct FakePendingEngine {
  std::vector<PendingTxIds::Id> ids;
  std::uint64_t arrivals = 0;
  mutable int listed = 0;
  void add(std::uint8_t tag) {
    PendingTxIds::Id id{};
    id[0] = tag;
    ids.push_back(id);
    ++arrivals;
  }
  void remove(std::uint8_t tag) {
    ids.erase(std::remove_if(ids.begin(), ids.end(), [tag](const PendingTxIds::Id& id) { return id[0] == tag; }),
              ids.end());
  }
  std::uint64_t pending_arrivals() const { return arrivals; }
  std::size_t pending_txs() const { return ids.size(); }
  std::vector<PendingTxIds::Id> pending_tx_ids() const {
    ++listed;
    return ids;
  }
};

PendingTxIds::Id pending_test_id(std::uint8_t tag) {
  PendingTxIds::Id id{};
  id[0] = tag;
  return id;
}

TEST(PendingTxIdsCache, FollowsThePoolAndRebuildsOnlyOnAChange) {
  FakePendingEngine engine;
  PendingTxIdsCache cache;
  auto empty = cache.refresh(engine);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size(), 0u);
  engine.add(3);
  engine.add(1);
  auto two = cache.refresh(engine);
  EXPECT_TRUE(two->contains(pending_test_id(1)));
  EXPECT_TRUE(two->contains(pending_test_id(3)));
  EXPECT_FALSE(two->contains(pending_test_id(2)));
  const int listed = engine.listed;
  EXPECT_EQ(cache.refresh(engine), two) << "no change, no rebuild";
  EXPECT_EQ(engine.listed, listed);
  // One committed and one new in the same interval: the size is unchanged, the arrivals moved.
  engine.remove(1);
  engine.add(2);
  auto swapped = cache.refresh(engine);
  EXPECT_FALSE(swapped->contains(pending_test_id(1)));
  EXPECT_TRUE(swapped->contains(pending_test_id(2)));
  EXPECT_TRUE(two->contains(pending_test_id(1))) << "a published copy never changes";
  engine.remove(3);
  EXPECT_FALSE(cache.refresh(engine)->contains(pending_test_id(3)));
}

}  // namespace
}  // namespace hc::node
