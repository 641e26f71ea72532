// The trustees-mode state of the ledger (issue 13; docs/ledger.md, "Trustees"): the current key
// epoch and its DKG, the deals and complaints committed for each epoch (with each complaint's
// verdict), each epoch's outcome (the access key or the reason it failed) and which trustee
// answered which access request. Entries live in the store's metadata under "trustees/";
// this module owns their keys and value encodings and reads them back. Values are canonical
// (fixed order, big-endian, exact lengths) because they are hashed into the app hash.
// Readers work on a TrusteeStateView: the store (StoreTrusteeView) or, for `hc chain verify`,
// which recomputes the app hash block by block, the state as it was after each block
// (MemoryTrusteeView). Pure functions over the view (thread-safe as its reads).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chain/block.h"
#include "chain/genesis.h"
#include "chain/ledger_store.h"
#include "chain/state_changes.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {

// Where the trustees-mode state is read from.
class TrusteeStateView {
 public:
  virtual ~TrusteeStateView() = default;
  virtual const Genesis& genesis() const = 0;
  virtual const Digest& genesis_hash() const = 0;
  virtual Result<std::optional<Bytes>> trustee_entry(ByteSpan key) const = 0;
  virtual Result<std::vector<std::pair<Bytes, Bytes>>> trustee_entries(ByteSpan prefix, std::size_t max) const = 0;
};

// The committed state in the store.
class StoreTrusteeView final : public TrusteeStateView {
 public:
  explicit StoreTrusteeView(const LedgerStore& store) : store_(store) {}
  const Genesis& genesis() const override { return store_.genesis(); }
  const Digest& genesis_hash() const override { return store_.genesis_hash(); }
  Result<std::optional<Bytes>> trustee_entry(ByteSpan key) const override { return store_.trustee_entry(key); }
  Result<std::vector<std::pair<Bytes, Bytes>>> trustee_entries(ByteSpan prefix, std::size_t max) const override {
    return store_.trustee_entries(prefix, max);
  }

 private:
  const LedgerStore& store_;
};

// The state rebuilt in memory from the entries of the blocks applied so far (chain_verifier).
class MemoryTrusteeView final : public TrusteeStateView {
 public:
  MemoryTrusteeView(const Genesis& genesis, const Digest& genesis_hash) : genesis_(genesis), genesis_hash_(genesis_hash) {}
  const Genesis& genesis() const override { return genesis_; }
  const Digest& genesis_hash() const override { return genesis_hash_; }
  Result<std::optional<Bytes>> trustee_entry(ByteSpan key) const override;
  Result<std::vector<std::pair<Bytes, Bytes>>> trustee_entries(ByteSpan prefix, std::size_t max) const override;
  void apply(const std::vector<TrusteeStateEntry>& entries);

 private:
  const Genesis& genesis_;
  Digest genesis_hash_;
  std::map<Bytes, Bytes> entries_;
};

// The key epoch whose DKG runs or ran last; epoch 0 starts at genesis (height 0).
struct KeyEpochState {
  std::uint64_t key_epoch = 0;
  std::uint64_t started_at_height = 0;
  bool operator==(const KeyEpochState&) const = default;
};

// The DKG rounds of an epoch started at height h0 (kDkgWindowBlocks = W).
struct DkgSchedule {
  std::uint64_t first_deal_height = 0;       // h0 + 1
  std::uint64_t last_deal_height = 0;        // h0 + W
  std::uint64_t last_complaint_height = 0;   // h0 + 2W
  std::uint64_t finalize_height = 0;         // h0 + 2W + 1: this block's commit stores the outcome
};
DkgSchedule dkg_schedule(const KeyEpochState& epoch);

enum class ComplaintStatus : std::uint8_t {
  kConvictsDealer = 1,  // the dealer is disqualified
  kUnfounded = 2,       // the share was good: recorded against the complainer
  kInvalid = 3,         // bad proof or indices: recorded against the complainer
};
const char* complaint_status_name(ComplaintStatus status);

struct StoredComplaint {
  std::uint16_t complainer = 0;
  std::uint16_t dealer = 0;
  ComplaintStatus status = ComplaintStatus::kInvalid;
  Bytes complaint;  // the threshold module's encoding
};

// The end of an epoch's DKG: the key formed (outcome) or the epoch failed (failure).
struct KeyEpochOutcome {
  std::uint64_t key_epoch = 0;
  std::uint64_t finalized_at_height = 0;
  std::optional<crypto::threshold::DkgOutcome> formed;
  std::string failure;  // set when !formed
};

// The DKG parameters of key epoch `key_epoch` on this chain (trustees and t from the genesis).
crypto::threshold::DkgParams dkg_params_for(const Genesis& genesis, const Digest& chain_id, std::uint64_t key_epoch);

// Entries (keys and values) for StateChanges::trustee_entries.
TrusteeStateEntry key_epoch_entry(const KeyEpochState& epoch);
TrusteeStateEntry deal_entry(std::uint64_t key_epoch, std::uint16_t dealer, const Bytes& deal);
TrusteeStateEntry complaint_entry(std::uint64_t key_epoch, const StoredComplaint& complaint);
TrusteeStateEntry outcome_entry(const KeyEpochOutcome& outcome);
TrusteeStateEntry current_access_key_entry(std::uint64_t key_epoch);
// Written with a formed outcome: the access key's id -> its key epoch (version-2 records name
// their key by id, docs/ledger.md).
TrusteeStateEntry access_key_id_entry(const KeyId& key_id, std::uint64_t key_epoch);
TrusteeStateEntry answer_entry(const Digest& request_id, std::uint16_t trustee, const Digest& shares_tx_id);

Bytes encode_key_epoch_outcome(const KeyEpochOutcome& outcome);
Result<KeyEpochOutcome> decode_key_epoch_outcome(ByteSpan bytes);

// Readers. kCorrupt when a stored value does not decode.
// The current key epoch: genesis' epoch 0 in trustees mode when nothing is stored; nullopt in
// single-manager mode.
Result<std::optional<KeyEpochState>> read_key_epoch(const TrusteeStateView& store);
Result<std::optional<Bytes>> read_deal(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t dealer);
// Every deal of the epoch, by dealer (ascending).
Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_deals(const TrusteeStateView& store, std::uint64_t key_epoch);
Result<bool> has_complaint(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t complainer,
                           std::uint16_t dealer);
// Every complaint of the epoch, by (complainer, dealer) ascending.
Result<std::vector<StoredComplaint>> read_complaints(const TrusteeStateView& store, std::uint64_t key_epoch);
// A formed outcome's key names this chain (the genesis hash) and `key_epoch`, as finalize_dkg's.
Result<std::optional<KeyEpochOutcome>> read_outcome(const TrusteeStateView& store, std::uint64_t key_epoch);
// The key epoch whose formed access key has id `key_id`, if any.
Result<std::optional<std::uint64_t>> read_access_key_epoch(const TrusteeStateView& store, const KeyId& key_id);
// The access key formed last, if any.
Result<std::optional<KeyEpochOutcome>> read_current_access_key(const TrusteeStateView& store);
Result<std::optional<Digest>> read_answer(const TrusteeStateView& store, const Digest& request_id, std::uint16_t trustee);
// Every answer to a request: (trustee, decryption-shares transaction id), trustee ascending.
Result<std::vector<std::pair<std::uint16_t, Digest>>> read_answers(const TrusteeStateView& store, const Digest& request_id);

// True while the DKG of the current key epoch needs the chain's height to advance with or
// without transactions (the engine's idle blocks, consensus::Application::wants_block): in the
// deal window once at least t deals are committed (with fewer the key cannot form, and the
// remaining dealers keep the whole window from their first block on), and through the
// complaint window up to the finalizing block. False once the epoch's outcome is stored, and
// always in single-manager mode. `committed_height` is the state's height.
Result<bool> dkg_wants_blocks(const TrusteeStateView& store, std::uint64_t committed_height);

// The trustees-state entries of a checked block at `height`, given the state after block
// height-1 (the block passed TrusteeRules::check): deals, complaints with their verdicts, key
// epoch starts, answers, and the DKG's outcome when `height` ends the complaint window.
Result<std::vector<TrusteeStateEntry>> trustee_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                          std::uint64_t height);

}  // namespace hc::chain
