// HealthchainApp: the ledger's Application. It checks transactions (encoding, sizes, epochs,
// known envelope keys, manager signatures, group signatures through RecordSignatureVerifier,
// duplicates), verifies a block's signatures in parallel on a 2-thread pool and never twice
// (VerificationCache by transaction id), and commits blocks to the LedgerStore. A record's group
// signature is not verified at admission (check_tx checks only what needs no pairing) but with
// the records of a block, in batches: check_deferred on the transactions the primary is about
// to propose (or a backup to forward), validate_block on a proposed block (issue 18).
//
// Rules (docs/ledger.md, "Application"): each transaction of block h is checked against the
// state committed at h-1; a record's epoch must be the current epoch, and a block holding a
// revocation holds no record (its records would be checked against the epoch the revocation
// ends, whose signatures anyone can forge once the revocation publishes (A*, x*)); no sealed
// content (record_content_digest) is committed twice, nor appears twice in a block; at most one
// revocation per block, and it must start epoch e+1; an envelope key is published once and is
// an RSA-3072 SPKI; a member name is enrolled once; an audit entry names a known envelope key id
// or the admin key's id; no transaction appears twice on the chain. Trustees-mode transactions
// (kinds 6..10 and the reader policy, 17) follow TrusteeRules (trustee_rules.h); an access
// request's signer must be the manager or a reader the policy committed before the block lists
// (reader_policy.h). Consortium governance (kinds 19..22, either mode) follows
// governance_rules.h; a block's proposer must be a replica that is or was a member.
//
// Admission (check_tx) adds local rules so that a correct proposer, which re-checks each
// pending transaction while it builds a block, never builds an invalid one: a record whose
// sealed content another pending transaction already claims is refused (kAlreadyExists,
// PendingRecords); once a revocation to e+1 has been admitted, records of epoch e are
// refused (kUnavailable: (A*, x*) is public from then on; resubmit in epoch e+1); and a
// transaction of another kind that a pending one excludes from its block (the same join key,
// approval, dealer, complaint or answer, a second reader-policy change, key-epoch start or
// revocation, the same envelope key or member name, a proposal beyond the slots left) is
// refused (AdmissionClaims).
//
// Thread-safety: as Application. The store and verifiers must outlive the application.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "chain/admission_claims.h"
#include "chain/application.h"
#include "chain/governance_rules.h"
#include "chain/ledger_store.h"
#include "chain/pending_records.h"
#include "chain/thread_pool.h"
#include "chain/trustee_rules.h"
#include "chain/verification_cache.h"
#include "chain/verifiers.h"

namespace hc::chain {

class HealthchainApp final : public Application {
 public:
  // Loads the epoch state and re-installs the stored revocations into `group_verifier`.
  static Result<std::unique_ptr<HealthchainApp>> start(
      LedgerStore& store, RecordSignatureVerifier& group_verifier,
      const CommitCertificateVerifier& certificate_verifier);

  // ok if the transaction may enter the pending pool: every rule above, and every signature
  // except a record's group signature (whose form only is checked, and a verdict the cache
  // already holds), which check_deferred and validate_block verify.
  Status check_tx(ByteSpan transaction) override;
  // check_tx and, for a record, its group signature at once (check_deferred on it alone):
  // what a node checks of a stem record before it sends it on (docs/relay.md), so that a
  // correct node sends peers only records it has verified. A refused signature's verdict.
  Status check_tx_verified(ByteSpan transaction);
  // check_tx_verified on each of `txs`, the group signatures of those check_tx admits verified
  // together (one batch per key, as check_deferred): one verdict per transaction, in order.
  std::vector<Status> check_txs_verified(const std::vector<Bytes>& txs);
  // The deferred checks: the group signatures of the records among `txs` (encoded, pending),
  // those not yet verified as one batch per key on the 2-thread pool, every verdict cached by
  // transaction id. The indices of the transactions that fail (a refused signature, or bytes
  // that do not decode), ascending; each refused record counts in deferred_failures().
  std::vector<std::size_t> check_deferred(const std::vector<Bytes>& txs);
  Status validate_block(const Block& proposed) override;
  Result<Digest> commit_block(const Block& block) override;
  Digest app_hash() const override;
  std::uint64_t committed_height() const override;
  // dkg_wants_blocks on the committed state, computed once per height (a store read fails:
  // false, and the next height tries again).
  bool wants_block() const override;
  Result<nlohmann::json> query(std::string_view path) const override;
  // Every membership change accepted by a committed block at a height >= from_height, in height
  // order (at most one per block), read from the committed state (governance_state.h), so it
  // is the same after reopening the store.
  Result<std::vector<MembershipChange>> membership_changes(std::uint64_t from_height) const;

  EpochState epoch() const { return epoch_; }
  // How many signature verifications actually ran (cache hits excluded).
  std::uint64_t signatures_verified() const { return signatures_verified_.load(); }
  // How many records check_deferred (or check_tx_verified) has refused (engine thread only).
  std::uint64_t deferred_failures() const { return deferred_failures_; }

 private:
  // What earlier transactions of the same block have claimed.
  struct BlockContext {
    std::uint64_t height = 0;
    bool admission = false;      // check_tx: consult the pending claims and revocation
    bool holds_revocation = false;  // the block holds a revocation (anywhere in it)
    std::set<Digest> tx_ids;
    std::set<Digest> record_contents;
    std::set<KeyId> new_keys;
    std::set<std::string> new_members;
    bool has_revocation = false;
    // Admission of a record: the pending transaction whose claim on the same sealed content it
    // would take over, that claimant's signature not being known good (check_replay).
    std::optional<Digest> displaces;
    std::uint64_t timestamp_ms = 0;  // the block's; at admission the last committed block's
    TrusteeBlockClaims trustees;
    GovernanceBlockClaims governance;
  };

  HealthchainApp(LedgerStore& store, RecordSignatureVerifier& group_verifier,
                 const CommitCertificateVerifier& certificate_verifier, EpochState epoch,
                 std::uint64_t last_timestamp_ms);
  Status check_header(const BlockHeader& header) const;
  Status check_epoch(std::uint64_t tx_epoch, const BlockContext& ctx) const;
  Status check_replay(const RecordTx& record, const Digest& id, BlockContext& ctx) const;
  Status check_state(const Transaction& tx, const Digest& id, BlockContext& ctx) const;
  Status check_record(const RecordTx& record, const Digest& id, BlockContext& ctx) const;
  Status admit(Transaction tx, const Digest& id);
  void admitted(const Transaction& tx, const Digest& id, const std::vector<Digest>& claim_keys);
  Status check_manager_tx(const Transaction& tx, BlockContext& ctx) const;
  Status verify_signature(const Transaction& tx) const;
  Status verify_signatures(const std::vector<Transaction>& txs, const std::vector<Digest>& ids);
  // check_deferred's verdict on each transaction (ok for a transaction of another kind).
  std::vector<Status> deferred_outcomes(const std::vector<Bytes>& txs);
  static bool shares_sealed_content(const std::vector<Bytes>& txs);
  // Each transaction's signature verdict (cache first, the rest on the pool, batched).
  std::vector<Status> signature_outcomes(const std::vector<Transaction>& txs, const std::vector<Digest>& ids);
  Result<CheckedBlock> validate(const Block& block);

  LedgerStore& store_;
  RecordSignatureVerifier& group_verifier_;
  const CommitCertificateVerifier& certificate_verifier_;
  EpochState epoch_;
  std::uint64_t last_timestamp_ms_;
  KeyId admin_key_id_;
  VerificationCache cache_;
  PendingRecords pending_records_;
  AdmissionClaims admission_claims_;
  std::uint64_t revocation_admitted_for_ = 0;  // new epoch of an admitted revocation; 0: none
  TrusteeRules trustee_rules_;
  ThreadPool pool_;
  std::atomic<std::uint64_t> signatures_verified_{0};
  std::uint64_t deferred_failures_ = 0;
  // wants_block's answer for one committed height (engine thread only).
  mutable std::optional<std::pair<std::uint64_t, bool>> wants_block_at_;
};

}  // namespace hc::chain
