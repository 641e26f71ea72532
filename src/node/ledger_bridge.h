// The bridge between the PBFT engine and the ledger: how an engine block becomes a ledger
// block, how the engine's commit certificate is stored in and checked for a ledger block, and
// the engine's Application implemented on top of the ledger's HealthchainApp.
//
// Block mapping (docs/node.md): the engine block carries (height, proposer's timestamp, view of
// proposal, proposer, transactions), all covered by its digest; the ledger header copies them
// and adds the previous block hash, the Merkle root of the transaction ids and the application
// hash after height-1, so headers, and thus block hashes, are identical on every correct
// replica. The engine's transaction digest is the ledger's transaction id, so the engine block
// digest can be recomputed from a ledger header and its transaction ids. The ledger block's
// opaque certificate field holds the engine's encoded CommitCertificate, which
// PbftCertificateVerifier checks: a quorum of COMMIT signatures by the members of the
// configuration of the block's height (chain/consortium_configuration.h), under its number.
//
// Validation: the engine validates a block only once its predecessor has executed, so
// validate_block sees exactly the state the block will be applied to and commit_block cannot
// fail on a block that correct replicas accepted.
//
// Membership changes (issue 16): accepted_changes reports what the ledger's governance accepted,
// when the bridge is made with MembershipReports::kFromLedger, as hc-node makes it: its engine
// moves to each new configuration at the change's boundary, its PbftCertificateVerifier checks
// each block against the configuration of its height, and its consensus Verifier learns a
// joined member's key when the join commits (node.cpp). kGenesisOnly (tests) reports none.
//
// Thread-safety: LedgerApplication is driven by the replica's thread; PbftCertificateVerifier's
// verify() and verify_in_chain() are safe to call concurrently (no mutable state; the key
// objects are made per call), as far as the state view's reads are.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "chain/genesis.h"
#include "chain/healthchain_app.h"
#include "chain/ledger_store.h"
#include "consensus/application.h"
#include "consensus/crypto.h"

namespace hc::node {

// The engine block that a ledger block was made from.
consensus::Block engine_block_of(const chain::Block& block);

// The ledger block for an engine block on top of `tip_header` (nullptr at height 1, where the
// previous hash is the genesis hash).
chain::Block ledger_block_of(const consensus::Block& block, const chain::BlockHeader* tip_header,
                             const chain::Digest& genesis_hash, const chain::Digest& app_hash);

class PbftCertificateVerifier final : public chain::CommitCertificateVerifier {
 public:
  // For the chain of this genesis (replica ids 0..n-1 in order).
  static Result<std::unique_ptr<PbftCertificateVerifier>> create(const chain::Genesis& genesis);
  // Against the genesis configuration (the light client's check, verifiers.h).
  Status verify(const chain::BlockHeader& header, const chain::Digest& hash, const std::vector<chain::Digest>& tx_ids,
                ByteSpan certificate) const override;
  // Against the configuration of header.height (chain::configuration_at over `committed`):
  // a quorum (Configuration::quorum_of its n) of distinct members of it, with the keys of that
  // configuration (joined members' too), signed under its configuration number. A departed
  // member's vote, or a certificate of the old configuration above the boundary, is refused
  // (kAuthFailed); a state that cannot be read is the local fault it reports.
  Status verify_in_chain(const chain::BlockHeader& header, const chain::Digest& hash,
                         const std::vector<chain::Digest>& tx_ids, ByteSpan certificate,
                         const chain::TrusteeStateView& committed) const override;

 private:
  explicit PbftCertificateVerifier(const chain::Genesis& genesis);
  chain::Genesis genesis_;
  consensus::ChainId chain_id_{};  // the genesis hash: commit signatures are bound to it
  std::uint32_t id_space_ = 0;     // no certificate has more signers than this
};

// Whether the engine learns the membership changes the ledger accepted.
enum class MembershipReports { kGenesisOnly, kFromLedger };

class LedgerApplication final : public consensus::Application {
 public:
  LedgerApplication(chain::LedgerStore& store, chain::HealthchainApp& app,
                    MembershipReports reports = MembershipReports::kGenesisOnly);

  // The ledger's admission check: a record's group signature is not verified here
  // (HealthchainApp::check_tx) but with its block (check_deferred, validate_block).
  Status check_tx(ByteSpan tx) override;
  // check_tx and, for a record, its group signature at once: what a stem record passes before
  // this node forwards or fluffs it, so that a correct node sends a peer only records it has
  // verified and a record that fails can be charged to the peer that sent it.
  Status check_tx_verified(ByteSpan tx);
  // check_tx_verified on each of `txs`, their group signatures verified together
  // (HealthchainApp::check_txs_verified: one batch per key): one verdict per transaction, in
  // order (a stem batch, stem_check_batch.h). Each failure counts in failed_checks; none goes
  // to the deferred-failure observer (the driver charges the sender itself).
  std::vector<Status> check_txs_verified(const std::vector<Bytes>& txs);
  // How many check_tx and check_tx_verified calls have failed (each may have cost a signature
  // check); check_deferred's failures are reported to the observer instead.
  std::uint64_t failed_checks() const { return failed_checks_; }
  // HealthchainApp::check_deferred; each refused transaction's id goes to the observer.
  std::vector<std::size_t> check_deferred(const std::vector<Bytes>& txs) override;
  // Told the id of each transaction check_deferred refuses (the node charges the peer that
  // relayed it). Called on the engine's thread, from inside the engine's event handling.
  void set_deferred_failure_observer(std::function<void(const chain::Digest&)> observer) {
    deferred_failure_observer_ = std::move(observer);
  }
  Status validate_block(const consensus::Block& block) override;
  Status commit_block(const consensus::CommittedBlock& block) override;
  bool contains_tx(const consensus::Digest& tx_digest) const override;
  consensus::SeqNumber last_height() const override;
  Bytes app_hash() const override;
  std::optional<consensus::CommittedBlock> load_block(consensus::SeqNumber height) const override;
  // The ledger's wants_block (a trustees-mode DKG window waiting for blocks).
  bool wants_block() const override { return app_.wants_block(); }
  // kFromLedger: the membership changes the ledger's governance accepted
  // (chain/governance_rules.h), from its committed state; a store read that fails is a local
  // fault: the replica cannot know its configurations, so it stops (HC_CHECK) rather than run
  // the wrong one. kGenesisOnly: none.
  std::vector<consensus::AcceptedChange> accepted_changes(consensus::SeqNumber from_height) const override;

 private:
  chain::Block to_ledger(const consensus::Block& block) const;

  chain::LedgerStore& store_;
  chain::HealthchainApp& app_;
  MembershipReports reports_;
  std::uint64_t failed_checks_ = 0;
  std::function<void(const chain::Digest&)> deferred_failure_observer_;
};

}  // namespace hc::node
