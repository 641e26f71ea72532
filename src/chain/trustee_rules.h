// The application rules of trustees mode (issue 13; docs/ledger.md, "Trustees"): which DKG
// deals and complaints, key-epoch starts, access requests and decryption shares a block may
// hold, given the state committed before it, and the trustees-state entries a block writes,
// including the deterministic end of a DKG (finalize_dkg over the committed transcript) in the
// first block after the complaint window. Every check is a function of the stored state, the
// block's height and timestamp and the earlier transactions of the block, so every replica
// decides alike. Who may request: reader_policy.h; the resharing kinds: reshare_rules.h (check
// dispatches to it); who may answer: a seat of the sharing in force (reshare_state.h).
// Thread-safety: as LedgerStore reads; the application calls it from its commit thread.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "chain/block.h"
#include "chain/ledger_store.h"
#include "chain/reshare_rules.h"
#include "chain/state_changes.h"
#include "chain/transaction.h"
#include "chain/trustee_state.h"

namespace hc::chain {

// What earlier trustees-mode transactions of the same block have claimed.
struct TrusteeBlockClaims {
  std::set<std::uint16_t> dealers;
  std::set<std::pair<std::uint16_t, std::uint16_t>> complaints;  // (complainer, dealer)
  std::set<std::pair<std::uint16_t, std::uint16_t>> opener_complaints;  // (complainer, dealer)
  std::set<std::pair<Digest, std::uint16_t>> answers;            // (request id, trustee)
  bool key_epoch_start = false;
  bool reader_policy_change = false;  // at most one per block
  ReshareBlockClaims reshare;          // the resharing kinds (reshare_rules.h)
};

// Where and when a transaction is checked: the block's height and timestamp; for admission
// (check_tx) the next height and the last committed block's timestamp, and only the stale
// bound of an access request's timestamp applies (the block that commits it checks both).
struct TrusteeCheckPoint {
  std::uint64_t height = 0;
  std::uint64_t timestamp_ms = 0;
  bool admission = false;
};

// ok if the key the request names signed it (manager signing scheme): the reader's key for
// wire kind 18, the genesis admin key otherwise; kAuthFailed if not. Stateless, so its verdict
// may be cached by transaction id; whether that reader may ask is a rule of the state
// (check_requester_allowed, reader_policy.h, applied by TrusteeRules::check).
Status verify_access_request(const AccessRequestTx& request, const Genesis& genesis);

// True for kinds 6..10, 17 (the reader policy: trustees mode only) and the resharing kinds 26,
// 27 and 31; not the governance kinds.
bool is_trustees_mode_tx(const Transaction& tx);

class TrusteeRules {
 public:
  explicit TrusteeRules(const LedgerStore& store) : store_(store), view_(store) {}

  // ok if `tx` (a trustees-mode kind) may be committed at `at` after the block's earlier
  // transactions (recorded in `claims`); kInvalidInput naming the rule otherwise. Signatures
  // are checked separately (trustee_signing.h, verify_access_request).
  Status check(const Transaction& tx, const Digest& tx_id, const TrusteeCheckPoint& at,
               TrusteeBlockClaims& claims) const;
  // The trustees-state entries of a checked block at `height` (validated with check()).
  Result<std::vector<TrusteeStateEntry>> changes_of(const CheckedBlock& checked, std::uint64_t height) const;

 private:
  Status check_deal(const DkgDealTx& tx, const TrusteeCheckPoint& at, TrusteeBlockClaims& claims) const;
  Status check_complaint(const DkgComplaintTx& tx, const TrusteeCheckPoint& at, TrusteeBlockClaims& claims) const;
  Status check_opener_complaint(const DkgComplaintTx& tx, TrusteeBlockClaims& claims) const;
  Status check_epoch_start(const KeyEpochStartTx& tx, const TrusteeCheckPoint& at, TrusteeBlockClaims& claims) const;
  Status check_request(const AccessRequestTx& tx, const TrusteeCheckPoint& at) const;
  Status check_shares(const DecryptionSharesTx& tx, TrusteeBlockClaims& claims) const;
  Status check_reader_policy(const ReaderPolicyTx& tx, TrusteeBlockClaims& claims) const;

  const LedgerStore& store_;
  StoreTrusteeView view_;
};

// The committed access request `request_id`; kNotFound if no such transaction is committed,
// kInvalidInput if it is not an access request.
Result<AccessRequestTx> committed_access_request(const LedgerStore& store, const Digest& request_id);
// The same with the height of the block that committed it (which sharing answers it:
// reshare_rules.h, check_answer_signer).
struct CommittedRequest {
  AccessRequestTx request;
  std::uint64_t height = 0;
};
Result<CommittedRequest> committed_access_request_at(const LedgerStore& store, const Digest& request_id);

}  // namespace hc::chain
