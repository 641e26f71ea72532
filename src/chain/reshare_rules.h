// The application rules of resharing (issue 16 item 3; docs/ledger.md, "Resharing";
// docs/threshold.md, "On the chain" for resharing): which announcements (kind 31), deals (26)
// and complaints (27, 28) a block may hold given the state committed before it, who signs
// decryption shares once a key epoch has been reshared, and the entries a block writes,
// including the deterministic start of a resharing (no transaction starts it: the first block
// at or after a membership change's boundary, when the current key epoch's key has formed and
// no resharing runs) and its end (finalize_reshare over the committed transcript in the first
// block after the complaint window). Every decision is a function of the state before the
// block, the block's height and the block's earlier transactions, so every replica and
// `hc chain verify` (which calls the same functions over its replayed state) decide alike.
// Pure functions over a TrusteeStateView; thread-safe as its reads.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "chain/block.h"
#include "chain/reshare_state.h"
#include "chain/transaction.h"

namespace hc::chain {

// What earlier resharing transactions of the same block have claimed.
struct ReshareBlockClaims {
  std::set<std::uint32_t> announcers;
  std::set<crypto::P256PointBytes> announced_keys;
  std::set<std::uint16_t> dealers;
  std::set<std::pair<std::uint16_t, std::uint16_t>> complaints;         // (complainer, dealer)
  std::set<std::pair<std::uint16_t, std::uint16_t>> opener_complaints;  // (complainer, dealer)
};

// ok if the resharing transaction `tx` (kinds 26, 27/28, 31), signatures included, may be
// committed at `height` after the block's earlier transactions (recorded in `claims`);
// kInvalidInput (kAuthFailed for a signature) with a one-line reason otherwise; kCorrupt / kIo
// from the view.
Status check_reshare_tx(const TrusteeStateView& state, const Transaction& tx, std::uint64_t height,
                        ReshareBlockClaims& claims);

// The old dealer a resharing complaint accuses, read from its encoding's fixed header (LP tag ||
// digest || u16 complainer || u16 dealer); kInvalidInput if the tag is not the complaint's.
Result<std::uint16_t> reshare_complaint_dealer(const ReshareComplaintTx& tx);

// Who may answer a request of `key_epoch` committed at `request_height`: `tx.trustee` must be a
// seat of the sharing in force for it (read_sharing_in_force) and the signature that seat's
// key's. kInvalidInput / kAuthFailed naming the rule otherwise.
Status check_answer_signer(const TrusteeStateView& state, std::uint64_t key_epoch, std::uint64_t request_height,
                           const DecryptionSharesTx& tx);

// A key epoch start is refused while a resharing runs and after any resharing formed (a new
// key epoch's DKG among the reshared trustees is not built: its parameters are the genesis's).
Status check_key_epoch_start_allowed(const TrusteeStateView& state, std::uint64_t height);

// The resharing entries of a checked block at `height` (its transactions passed
// check_reshare_tx): announcements, deals, complaints (access-key complaints judged at once),
// then the finalize of a run whose finalizing block this is, then the start of a new run.
Result<std::vector<TrusteeStateEntry>> reshare_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                          std::uint64_t height);

// The end of `run` over its committed transcript in `state` (the state before its finalizing
// block at `height`): the new sharing or the failure (exposed for clients that recompute it).
Result<ReshareRecord> finalize_reshare_run(const TrusteeStateView& state, const ReshareRun& run, std::uint64_t height);

}  // namespace hc::chain
