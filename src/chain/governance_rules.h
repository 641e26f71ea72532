// The rules of consortium governance (issue 16 item 1; docs/ledger.md, "Consortium
// governance"): which join requests, approvals, exit announcements and vote-out proposals a
// block may hold, given the state committed before it, and what a block writes. Every check
// is a function of the committed state (governance_state.h), the block's height and the
// block's earlier transactions, so every replica, and `hc chain verify` replaying the chain,
// decides alike.
//
// A join request or vote-out proposal opens a proposal (its transaction id names it); members
// approve it; an exit announcement is a proposal its member's own signature decides. At the end
// of each block, the oldest open proposal that has enough approvals from current members (more
// than two thirds of them, or the admin's if the genesis allows it) is accepted, at most one
// per block; the others wait for the next block (so a second decisive approval in a block is
// never refused). An accepted proposal that can no longer apply (its subject left meanwhile,
// or it would leave fewer than 4 members) is closed as void with the reason. A join gets the
// next replica id (ids are never reused). Proposals expire `proposal_expiry_blocks` after the
// block that opened them unless they had enough approvals by then. Approvals and proposals are
// judged against the committed member list, which changes at the block that accepts a change
// (the engine's configuration follows later, at its boundary: docs/consensus.md, section 2c).
// Thread-safety: pure functions over the view.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "chain/block.h"
#include "chain/governance_state.h"
#include "chain/transaction.h"

namespace hc::chain {

// What earlier governance transactions of the same block have claimed.
struct GovernanceBlockClaims {
  std::set<Ed25519PublicKey> join_keys;
  std::set<std::pair<Digest, std::uint32_t>> approvals;  // (proposal, approver)
  std::size_t opened = 0;                                // proposals opened by the block so far
};

// ok if governance transaction `tx` (with the signature it carries) may be committed in the
// block at `height` after the block's earlier transactions; kInvalidInput with a one-line
// reason otherwise (another chain, a key in use, a non-member, an unknown, closed or expired
// proposal, a repeated approval, too few members left, too many proposals open); kAuthFailed
// if the signature is not the signer's.
Status check_governance_tx(const TrusteeStateView& state, const Transaction& tx, std::uint64_t height,
                           GovernanceBlockClaims& claims);

// The governance state entries of a checked block at `height` (its governance transactions
// checked with check_governance_tx), including the acceptance of at most one ready proposal.
// Empty if nothing changes.
Result<std::vector<TrusteeStateEntry>> governance_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                             std::uint64_t height);

// How many committed proposals still count as open at `height` (what the rule against more than
// kMaxOpenProposals counts before the block's own; admission adds the pending ones).
Result<std::size_t> open_proposal_count(const TrusteeStateView& state, std::uint64_t height);

// True if an open proposal is ready to be accepted by the next block (the primary should cut
// one even with no transaction: HealthchainApp::wants_block).
Result<bool> governance_wants_block(const TrusteeStateView& state, std::uint64_t next_height);

// The approvals a proposal needs among n current members: more than two thirds.
std::size_t approvals_needed(std::size_t members);

}  // namespace hc::chain
