#include "node/peer_budget.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

// Limits whose token bucket never binds, to test the failure penalty alone.
PeerBudgetLimits penalty_only(std::uint32_t failures, std::uint32_t window_ms, std::uint32_t penalty_ms) {
  PeerBudgetLimits l;
  l.checks_per_second = 1e6;
  l.burst = 1e6;
  l.failed_check_cost = 1;
  l.max_failures_per_window = failures;
  l.window_ms = window_ms;
  l.penalty_ms = penalty_ms;
  return l;
}

// Limits whose failure penalty never binds, to test the token bucket alone.
PeerBudgetLimits bucket_only(double per_second, double burst, double failed_cost) {
  PeerBudgetLimits l;
  l.checks_per_second = per_second;
  l.burst = burst;
  l.failed_check_cost = failed_cost;
  l.max_failures_per_window = 1000000;
  return l;
}

TEST(PeerVerificationBudgetTest, PenalizesAPeerPastItsFailuresPerWindow) {
  PeerVerificationBudget budget(penalty_only(3, 1000, 5000));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(budget.charge_failure(1, 100));
  EXPECT_TRUE(budget.take_check(1, 100));
  EXPECT_TRUE(budget.charge_failure(1, 200));  // the fourth in the window
  EXPECT_FALSE(budget.take_check(1, 200));
  EXPECT_TRUE(budget.take_check(2, 200));  // other peers are not affected
  EXPECT_FALSE(budget.take_check(1, 5199));
  EXPECT_TRUE(budget.take_check(1, 5200));
  EXPECT_FALSE(budget.charge_failure(1, 5200));  // a fresh window after the penalty
}

TEST(PeerVerificationBudgetTest, FailuresSpreadOverWindowsAreTolerated) {
  PeerVerificationBudget budget(penalty_only(3, 1000, 5000));
  for (std::uint64_t t = 0; t < 20000; t += 400) EXPECT_FALSE(budget.charge_failure(1, t)) << t;
  EXPECT_TRUE(budget.take_check(1, 20000));
}

TEST(PeerVerificationBudgetTest, CapsThePeersChecksPerSecond) {
  PeerVerificationBudget budget(bucket_only(10, 5, 1));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(budget.take_check(1, 1000)) << i;  // the burst
  EXPECT_FALSE(budget.take_check(1, 1000));
  EXPECT_TRUE(budget.take_check(2, 1000));  // other peers are not affected
  EXPECT_FALSE(budget.take_check(1, 1099));
  EXPECT_TRUE(budget.take_check(1, 1100));  // one token per 100 ms
  EXPECT_FALSE(budget.take_check(1, 1100));
  // Never more than the burst, however long the peer was quiet.
  int taken = 0;
  while (budget.take_check(1, 100000)) ++taken;
  EXPECT_EQ(taken, 5);
}

TEST(PeerVerificationBudgetTest, AFailedCheckCostsMore) {
  PeerVerificationBudget budget(bucket_only(10, 10, 5));
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(budget.take_check(1, 0));
    budget.charge_failure(1, 0);  // 5 tokens in all
  }
  EXPECT_FALSE(budget.take_check(1, 0));
  EXPECT_TRUE(budget.take_check(1, 100));
  // A flood of failures leaves the peer in debt for at most one burst's worth.
  for (int i = 0; i < 100; ++i) budget.charge_failure(1, 100);
  EXPECT_FALSE(budget.take_check(1, 1099));
  EXPECT_TRUE(budget.take_check(1, 2200));
}

TEST(PeerVerificationBudgetTest, DropsAreLoggedOncePerInterval) {
  PeerBudgetLimits limits;
  limits.drop_log_interval_ms = 1000;
  PeerVerificationBudget budget(limits);
  EXPECT_TRUE(budget.should_log_drop(1, 0));
  EXPECT_FALSE(budget.should_log_drop(1, 999));
  EXPECT_TRUE(budget.should_log_drop(2, 999));
  EXPECT_TRUE(budget.should_log_drop(1, 1000));
}

// Issue 18: a relayed record waits unverified for its block's batch. A Byzantine peer flooding
// records that will fail hits this bound: per window, at most unverified_per_window of its
// records are admitted unverified; the rest are to be verified on arrival (and charged as
// before). Each peer has its own bound, and a new window starts a new allowance.
TEST(PeerVerificationBudgetTest, APeersRecordsWaitingUnverifiedAreBoundedPerWindow) {
  PeerBudgetLimits l;
  l.unverified_per_window = 32;
  l.unverified_window_ms = 500;
  PeerVerificationBudget budget(l);
  std::uint32_t admitted = 0;
  for (int i = 0; i < 1000; ++i) admitted += budget.take_unverified(3, 1000) ? 1 : 0;
  EXPECT_EQ(admitted, 32u);
  EXPECT_TRUE(budget.take_unverified(2, 1000));  // another peer's allowance is its own
  EXPECT_FALSE(budget.take_unverified(3, 1499));
  EXPECT_TRUE(budget.take_unverified(3, 1500));  // the next window
  admitted = 1;
  for (int i = 0; i < 1000; ++i) admitted += budget.take_unverified(3, 1700) ? 1 : 0;
  EXPECT_EQ(admitted, 32u);
}

}  // namespace
}  // namespace hc::node
