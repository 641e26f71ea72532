// What a peer may make this node verify (issue 12, item 5): client transactions relayed by a
// peer replica cost a group-signature check (a pairing) each. A correct replica relays only
// transactions it has checked itself, so their checks do not fail; a peer whose relayed
// transactions fail more than max_failures_per_window checks within window_ms is charged:
// its relayed transactions are dropped unread for penalty_ms. Consensus messages are not
// affected (they are Ed25519-signed and bounded by the engine).
//
// Bounds: one entry per peer id (the transport only delivers configured peers).
// Not thread-safe: driven by the node's consensus thread.
#pragma once

#include <cstdint>
#include <map>

namespace hc::node {

struct PeerBudgetLimits {
  std::uint32_t max_failures_per_window = 16;
  std::uint32_t window_ms = 10000;
  std::uint32_t penalty_ms = 60000;
};

class PeerVerificationBudget {
 public:
  explicit PeerVerificationBudget(PeerBudgetLimits limits = {}) : limits_(limits) {}

  // False while `peer` is penalized: drop its relayed transaction without checking it.
  bool may_check(std::uint32_t peer, std::uint64_t now_ms) const;
  // Records one failed check caused by `peer`; true when this failure starts a penalty
  // (the caller logs it once).
  bool charge_failure(std::uint32_t peer, std::uint64_t now_ms);

 private:
  struct Account {
    std::uint64_t window_start_ms = 0;
    std::uint32_t failures = 0;
    std::uint64_t penalized_until_ms = 0;
  };
  const PeerBudgetLimits limits_;
  std::map<std::uint32_t, Account> accounts_;
};

}  // namespace hc::node
