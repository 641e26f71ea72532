// AdmissionClaims: what the non-record transactions this replica admitted (check_tx) and has not
// yet seen committed claim, so that a correct proposer, which re-checks each pending
// transaction with check_tx while it builds a block, never puts into one block two
// transactions that are each valid against the committed state but not together (docs/ledger.md,
// "Admission"): two join requests naming one replica key, two approvals of one proposal by one
// approver, more proposals than the open slots left, two reader-policy changes, two key-epoch
// starts, two deals of one dealer, two complaints of one (complainer, dealer), two answers of
// one trustee to one request, two revocations, one envelope key or member name twice.
//
// Each admitted transaction holds its claim keys (admission_claim_keys); a transaction whose
// key another transaction holds is refused (kAlreadyExists, "already pending"). A transaction
// that opens a proposal holds a slot: it passes only while fewer than `slots` older slot
// holders exist, so however a proposer orders its pool, the holders that pass one round of
// re-checks fit the slots. Claims end when their transaction commits, when its check_tx fails
// (the engine then drops it from its pool), or kAdmissionClaimBlocks committed blocks after it
// last passed check_tx (a transaction that left the pool unseen). They never move inside one
// height, so within one proposal round at most one transaction per key passes.
//
// Local to one replica and in memory only: it decides what enters this replica's pending pool,
// never whether a block is valid. Bounded: at most kMaxAdmissionClaimants transactions hold
// claims; a new one beyond that is refused (kUnavailable), never an old one evicted (evicting
// inside a round could let a conflicting pair through).
// Thread-safety: none; the application calls it from its one engine thread.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "chain/digest.h"
#include "chain/transaction.h"
#include "chain/trustee_state.h"
#include "common/status.h"

namespace hc::chain {

// The claim keys of `tx` (a transaction check_state accepted); empty for kinds with no
// same-block rule (records have PendingRecords). kInvalidInput if a complaint does not decode.
Result<std::vector<Digest>> admission_claim_keys(const TrusteeStateView& state, const Transaction& tx);
// True for the kinds that open a proposal (join request, exit announcement, vote-out).
bool opens_proposal(const Transaction& tx);

class AdmissionClaims {
 public:
  explicit AdmissionClaims(std::size_t max_claimants);

  // ok if `tx_id` may hold `keys` and, when it opens a proposal, a slot among `slots`;
  // kAlreadyExists naming the holder of a key; kUnavailable if the slots or the bound are full.
  Status check(const Digest& tx_id, const std::vector<Digest>& keys, bool opens, std::size_t slots) const;
  // Records (or renews, at `committed_height`) the claims of a transaction check() accepted.
  void claim(const Digest& tx_id, const std::vector<Digest>& keys, bool opens, std::uint64_t committed_height);
  // Ends every claim of `tx_id` (committed, or refused by check_tx).
  void release(const Digest& tx_id);
  // Ends the claims not renewed within kAdmissionClaimBlocks of `committed_height`.
  void expire(std::uint64_t committed_height);
  std::size_t size() const { return claimants_.size(); }

 private:
  struct Claimant {
    std::vector<Digest> keys;
    bool opens = false;
    std::uint64_t serial = 0;  // claim order: a slot's rank
    std::uint64_t height = 0;  // committed height when it last passed check_tx
  };
  std::size_t max_claimants_;
  std::uint64_t next_serial_ = 0;
  std::map<Digest, Claimant> claimants_;      // tx id -> its claims
  std::map<Digest, Digest> holders_;          // claim key -> tx id
  std::map<std::uint64_t, Digest> openings_;  // serial -> tx id of a slot holder, oldest first
};

}  // namespace hc::chain
