#include "node/peer_budget.h"

#include <algorithm>

namespace hc::node {

PeerVerificationBudget::Account& PeerVerificationBudget::account(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = accounts_[peer];
  if (!a.started) {
    a.started = true;
    a.tokens = limits_.burst;
    a.refilled_ms = now_ms;
  } else if (now_ms > a.refilled_ms) {
    const double earned = static_cast<double>(now_ms - a.refilled_ms) * limits_.checks_per_second / 1000.0;
    a.tokens = std::min(limits_.burst, a.tokens + earned);
    a.refilled_ms = now_ms;
  }
  return a;
}

bool PeerVerificationBudget::take_check(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = account(peer, now_ms);
  if (now_ms < a.penalized_until_ms || a.tokens < 1.0) return false;
  a.tokens -= 1.0;
  return true;
}

bool PeerVerificationBudget::charge_failure(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = account(peer, now_ms);
  a.tokens = std::max(-limits_.burst, a.tokens - (limits_.failed_check_cost - 1.0));
  if (now_ms < a.penalized_until_ms) return false;
  if (now_ms >= a.window_start_ms + limits_.window_ms) {
    a.window_start_ms = now_ms;
    a.failures = 0;
  }
  if (++a.failures <= limits_.max_failures_per_window) return false;
  a.penalized_until_ms = now_ms + limits_.penalty_ms;
  a.failures = 0;
  a.window_start_ms = a.penalized_until_ms;
  return true;
}

bool PeerVerificationBudget::take_unverified(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = account(peer, now_ms);
  if (now_ms >= a.unverified_window_start_ms + limits_.unverified_window_ms) {
    a.unverified_window_start_ms = now_ms;
    a.unverified = 0;
  }
  if (a.unverified >= limits_.unverified_per_window) return false;
  ++a.unverified;
  return true;
}

bool PeerVerificationBudget::should_log_drop(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = account(peer, now_ms);
  if (now_ms < a.next_drop_log_ms) return false;
  a.next_drop_log_ms = now_ms + limits_.drop_log_interval_ms;
  return true;
}

}  // namespace hc::node
