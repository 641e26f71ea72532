// LedgerStore: the committed chain on disk (RocksDB through KvStore) and its indexes.
//
// Each committed block is written in one atomic, synced write batch holding the block, its
// transaction locations, its serial-index entries, the state changes and the new tip, so a
// process killed at any moment reopens exactly at its last committed block. A block is checked
// before it is written (decoding, Merkle root, height, previous hash, app hash) and again when
// it is read (framing, height, Merkle root). Retrieval by serial number reads the serial index
// and then only the blocks it names. Layout: docs/ledger.md, "Store".
//
// Thread-safety: reads may run concurrently with each other and with commit_block(); commits
// must come from one thread at a time (the application's commit path).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chain/block.h"
#include "chain/genesis.h"
#include "chain/kv_store.h"
#include "chain/state_changes.h"
#include "chain/transaction.h"

namespace hc::chain {

inline constexpr std::string_view kTrusteeStatePrefix = "trustees/";
// The consortium governance state (governance_state.h) is written the same way, under this.
inline constexpr std::string_view kConsortiumPrefix = "consortium/";

struct ChainTip {
  std::uint64_t height = 0;  // 0: only the genesis
  Digest block_hash{};       // the genesis hash at height 0
  Digest app_hash{};         // app hash after block `height`
};

struct TxLocation {
  std::uint64_t height = 0;
  std::uint32_t index = 0;
  bool operator==(const TxLocation&) const = default;
};

struct SerialHit {
  TxLocation location;
  TxKind kind = TxKind::kRecord;  // kRecord, kAccessAudit or (trustees mode) kAccessRequest
};

struct LocatedTx {
  TxLocation location;
  Digest tx_id{};
  Transaction tx;
};

struct StoreOptions {
  bool sync_writes = true;
  // open() reads the tip block and checks its hash; `hc chain verify` turns this off and
  // reports such faults itself.
  bool check_tip_on_open = true;
  // Opens a snapshot that never writes into the directory and refuses a damaged or truncated
  // write-ahead log (kCorrupt); commit_block() then fails. For `hc chain verify` (kv_store.h).
  bool read_only = false;
};

class LedgerStore {
 public:
  // Creates a new ledger at `path` for `genesis` (kAlreadyExists if one is there).
  static Result<std::unique_ptr<LedgerStore>> create(const std::string& path,
                                                     const Genesis& genesis,
                                                     StoreOptions options = {});
  // Opens an existing ledger and checks that its tip block is present and matches.
  static Result<std::unique_ptr<LedgerStore>> open(const std::string& path,
                                                   StoreOptions options = {});

  const Genesis& genesis() const { return genesis_; }
  const Digest& genesis_hash() const { return genesis_hash_; }
  ChainTip tip() const;

  // Writes block tip+1 with its state changes; returns the new app hash. kInvalidInput if the
  // block does not check or does not extend the tip; kIo on write failure.
  Result<Digest> commit_block(const Block& block, const StateChanges& changes);

  // The block at `height`, checked after reading (kCorrupt if it does not check).
  Result<Block> read_block(std::uint64_t height) const;
  Result<Bytes> read_block_bytes(std::uint64_t height) const;
  Result<std::optional<TxLocation>> find_transaction(const Digest& tx_id) const;
  // Where the record with this sealed content (record_content_digest) was committed, if any.
  Result<std::optional<TxLocation>> find_record_content(const Digest& content) const;
  Result<std::vector<SerialHit>> serial_hits(const Serial& serial) const;
  // Every record, audit entry and access request of `serial`, in chain order.
  Result<std::vector<LocatedTx>> transactions_by_serial(const Serial& serial) const;

  Result<std::optional<Bytes>> envelope_key(const KeyId& key_id) const;
  // The envelope key published last (the manager's key of the day), if any.
  Result<std::optional<EnvelopeKeyEntry>> current_envelope_key() const;
  Result<std::optional<Bytes>> registry_entry(const std::string& member_name) const;
  Result<EpochState> epoch_state() const;
  // Trustees-mode state (trustee_state.h builds the keys, all under kTrusteeStatePrefix) and the
  // governance state (governance_state.h, under kConsortiumPrefix).
  Result<std::optional<Bytes>> trustee_entry(ByteSpan key) const;
  Result<std::vector<std::pair<Bytes, Bytes>>> trustee_entries(ByteSpan prefix, std::size_t max) const;
  // The encoded state changes (encode_state_changes) of the block at `height` if it accepted a
  // membership change (it wrote a consortium/change/ entry): what that change's proof carries
  // (chain/change_proof.h). Kept beside the block in its write batch, outside the hashed state,
  // because only a replay of the chain from the genesis recomputes them. nullopt for any other
  // block, and for a change committed by a build older than this record (docs/ledger.md,
  // "Membership change proofs"; `hc chain restore-change-proofs` writes those).
  Result<std::optional<Bytes>> membership_change_state(std::uint64_t height) const;
  // Writes those bytes for a block committed before they were kept (`hc chain
  // restore-change-proofs`, from the chain verifier's replay). kInvalidInput unless they hash,
  // with block height's header, to the app hash block height + 1 carries and accept a change.
  Status restore_membership_change_state(std::uint64_t height, ByteSpan encoded);
  // The revocation records in epoch order (epoch 1 first), for re-installing group keys.
  Result<std::vector<std::pair<std::uint64_t, Bytes>>> revocations() const;

  KvStore& kv_for_testing() { return *kv_; }

 private:
  LedgerStore(std::unique_ptr<KvStore> kv, Genesis genesis, ChainTip tip);
  Result<Block> read_and_check(std::uint64_t height) const;
  WriteBatch batch_for(const Block& block, const CheckedBlock& checked,
                       const StateChanges& changes, const ChainTip& new_tip) const;

  std::unique_ptr<KvStore> kv_;
  Genesis genesis_;
  Digest genesis_hash_;
  mutable std::mutex tip_mutex_;
  ChainTip tip_;
};

// Key encodings shared with the chain verifier and tests.
Bytes height_key(std::uint64_t height);

}  // namespace hc::chain
