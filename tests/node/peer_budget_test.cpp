#include "node/peer_budget.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

TEST(PeerVerificationBudgetTest, PenalizesAPeerPastItsFailuresPerWindow) {
  PeerVerificationBudget budget({3, 1000, 5000});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(budget.charge_failure(1, 100));
  EXPECT_TRUE(budget.may_check(1, 100));
  EXPECT_TRUE(budget.charge_failure(1, 200));  // the fourth in the window
  EXPECT_FALSE(budget.may_check(1, 200));
  EXPECT_TRUE(budget.may_check(2, 200));  // other peers are not affected
  EXPECT_FALSE(budget.may_check(1, 5199));
  EXPECT_TRUE(budget.may_check(1, 5200));
  EXPECT_FALSE(budget.charge_failure(1, 5200));  // a fresh window after the penalty
}

TEST(PeerVerificationBudgetTest, FailuresSpreadOverWindowsAreTolerated) {
  PeerVerificationBudget budget({3, 1000, 5000});
  for (std::uint64_t t = 0; t < 20000; t += 400) EXPECT_FALSE(budget.charge_failure(1, t)) << t;
  EXPECT_TRUE(budget.may_check(1, 20000));
}

}  // namespace
}  // namespace hc::node
