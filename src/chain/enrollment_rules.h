// Which on-chain enrollments (kind 25, a member key boxed to a joined hospital) a block may hold
// (issue 16 item 3; docs/ledger.md, "Transactions"). Judged against the committed governance
// state (governance_state.h) and the group's current epoch, so every replica and `hc chain
// verify` decide alike. The manager's signature and "a name enrolled once" are checked where
// every enrollment's are (HealthchainApp). Pure function over the view; thread-safe as its reads.
#pragma once

#include <cstdint>

#include "chain/transaction.h"
#include "chain/trustee_state.h"

namespace hc::chain {

// ok if the enrollment `e` (its `boxed` set) names this chain, a current member that joined by
// governance (not a genesis replica) under that member's name, the enrollment key that member's
// join request named, and `current_group_epoch`. kInvalidInput with a one-line reason
// otherwise; kIo / kCorrupt from the view.
Status check_boxed_enrollment(const TrusteeStateView& state, const EnrollmentTx& e, std::uint64_t current_group_epoch);

}  // namespace hc::chain
