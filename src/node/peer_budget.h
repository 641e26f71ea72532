// What a peer may make this node verify (issue 12, item 5): a client transaction relayed by a
// peer replica costs a group-signature check (a pairing, about 1.4 ms) on the consensus
// thread. Each peer is charged for that work in two ways:
//  - a token bucket of checks: checks_per_second sustained, burst at once. Every relayed
//    transaction that is checked takes one token; one whose check fails takes
//    failed_check_cost tokens in all (the balance may go down to -burst). A peer without a
//    whole token has its relayed transactions dropped unchecked;
//  - a penalty for failures: a peer whose relayed transactions fail more than
//    max_failures_per_window checks within window_ms has its relayed transactions dropped
//    unchecked for penalty_ms. A correct replica relays only transactions it has checked
//    itself, so their checks do not fail.
//  - a bound on its records waiting unverified (issue 18): a relayed record's group signature
//    is verified with its block, not on arrival, so a peer could fill the pool with records that
//    will fail. Each peer may have at most unverified_per_window relayed records admitted
//    unverified per unverified_window_ms (about what waits at a time: a relayed record is
//    verified by the next proposal, or by a backup's forward after forward_delay_ms, 500 ms);
//    beyond that its records are verified on arrival, alone, as before (take_unverified).
// Drops are reported by the caller, at most once per drop_log_interval_ms per peer
// (should_log_drop). Consensus messages are not affected (Ed25519, bounded by the engine).
//
// Bounds: one account per peer id (the transport only delivers configured peers).
// Not thread-safe: driven by the node's consensus thread.
#pragma once

#include <cstdint>
#include <map>

namespace hc::node {

struct PeerBudgetLimits {
  double checks_per_second = 100;
  double burst = 100;
  double failed_check_cost = 20;
  std::uint32_t max_failures_per_window = 16;
  std::uint32_t window_ms = 10000;
  std::uint32_t penalty_ms = 60000;
  std::uint32_t drop_log_interval_ms = 10000;
  std::uint32_t unverified_per_window = 32;
  std::uint32_t unverified_window_ms = 500;
};

class PeerVerificationBudget {
 public:
  explicit PeerVerificationBudget(PeerBudgetLimits limits = {}) : limits_(limits) {}

  // True (one token taken) when `peer` may have one relayed transaction checked now; false
  // while it is penalized or has no whole token: drop the transaction without checking it.
  bool take_check(std::uint32_t peer, std::uint64_t now_ms);
  // Records that a check `peer` caused failed: the rest of failed_check_cost is taken, and
  // the failure counts towards the penalty. True when this failure starts a penalty (the
  // caller logs it once).
  bool charge_failure(std::uint32_t peer, std::uint64_t now_ms);
  // True (one taken) when `peer` may have one more relayed record admitted without its
  // signature verified now; false when its unverified_per_window for the current window are
  // used: verify that record on arrival.
  bool take_unverified(std::uint32_t peer, std::uint64_t now_ms);
  // True at most once per drop_log_interval_ms for `peer`: the caller logs a drop then.
  bool should_log_drop(std::uint32_t peer, std::uint64_t now_ms);

  const PeerBudgetLimits& limits() const { return limits_; }

 private:
  struct Account {
    double tokens = 0;
    std::uint64_t refilled_ms = 0;
    bool started = false;
    std::uint64_t window_start_ms = 0;
    std::uint32_t failures = 0;
    std::uint64_t penalized_until_ms = 0;
    std::uint64_t next_drop_log_ms = 0;
    std::uint64_t unverified_window_start_ms = 0;
    std::uint32_t unverified = 0;
  };
  Account& account(std::uint32_t peer, std::uint64_t now_ms);

  const PeerBudgetLimits limits_;
  std::map<std::uint32_t, Account> accounts_;
};

}  // namespace hc::node
