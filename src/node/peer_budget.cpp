#include "node/peer_budget.h"

namespace hc::node {

bool PeerVerificationBudget::may_check(std::uint32_t peer, std::uint64_t now_ms) const {
  auto it = accounts_.find(peer);
  return it == accounts_.end() || now_ms >= it->second.penalized_until_ms;
}

bool PeerVerificationBudget::charge_failure(std::uint32_t peer, std::uint64_t now_ms) {
  Account& a = accounts_[peer];
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

}  // namespace hc::node
