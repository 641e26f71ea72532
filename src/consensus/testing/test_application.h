// TestApplication: a small deterministic application for tests and the simulator.
//
// Test code, kept out of the engine: it is built as its own library (hc_consensus_testing),
// which the simulator and the tests link and production targets do not.
//
// A transaction is valid unless it is empty or its first byte is 0xFF (the "poison" marker
// the simulator uses to check that rejected transactions never commit). A transaction whose
// first byte is kContentKeyed carries an 8-byte content key in bytes 1..8 and becomes invalid
// once another transaction with that key commits (as the ledger refuses a replayed record).
// A transaction whose first byte is kBadSignature passes check_tx but fails check_deferred and
// validate_block (as a record whose group signature is bad: the ledger verifies it with its
// block, not at admission). The state is the set
// of committed transaction digests; app_hash chains SHA-256 over committed block digests.
// Committed blocks are kept in memory for state transfer. Optionally it models the cost of
// checking a transaction through a callback (the simulator's CPU model), and changes of the
// replica set accepted at scheduled heights (schedule_change). Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <unordered_set>

#include "consensus/application.h"

namespace hc::consensus {

class TestApplication final : public Application {
 public:
  static constexpr std::uint8_t kContentKeyed = 0xC0;
  static constexpr std::uint8_t kBadSignature = 0xBD;

  // on_check_tx, if set, is called once per check_tx (for CPU accounting).
  explicit TestApplication(std::function<void()> on_check_tx = {})
      : on_check_tx_(std::move(on_check_tx)) {}

  Status check_tx(ByteSpan tx) override;
  Status validate_block(const Block& block) override;
  // The kBadSignature transactions among txs; counts the transactions it was given.
  std::vector<std::size_t> check_deferred(const std::vector<Bytes>& txs) override;
  std::uint64_t deferred_checked() const { return deferred_checked_; }
  Status commit_block(const CommittedBlock& block) override;
  SeqNumber last_height() const override { return height_; }
  Bytes app_hash() const override { return Bytes(hash_.begin(), hash_.end()); }
  std::optional<CommittedBlock> load_block(SeqNumber height) const override;

  bool contains_tx(const Digest& tx) const override { return committed_.contains(tx); }
  const std::map<SeqNumber, CommittedBlock>& blocks() const { return blocks_; }
  // How many times load_block was called (the reads a peer made this replica do).
  std::uint64_t blocks_loaded() const { return blocks_loaded_; }
  // Keep only blocks above height in memory (state transfer then serves fewer).
  void prune_below(SeqNumber height);
  // Stop storing block bodies (benchmarks); load_block then returns nothing.
  void set_store_blocks(bool store) { store_blocks_ = store; }
  // wants_block() is true while the committed height is below `height` (default 0: never), as
  // the ledger's is while a block-counted window waits to pass.
  void want_blocks_until(SeqNumber height) { want_blocks_until_ = height; }
  bool wants_block() const override { return height_ < want_blocks_until_; }
  // Reconfiguration as the simulator schedules it: the block committed at change.height
  // accepts change (the set becomes change.members), whatever it holds; the change enters the
  // state (app_hash). Every replica's application is given the same schedule.
  void schedule_change(const AcceptedChange& change) { scheduled_[change.height] = change; }
  std::vector<AcceptedChange> accepted_changes(SeqNumber from_height) const override;

 private:
  static std::optional<std::uint64_t> content_key(ByteSpan tx);

  std::function<void()> on_check_tx_;
  std::unordered_set<std::uint64_t> committed_keys_;
  SeqNumber height_ = 0;
  Digest hash_{};
  std::unordered_set<Digest, DigestHash> committed_;
  std::unordered_set<Digest, DigestHash> checked_;  // every transaction checked so far (one run)
  std::map<SeqNumber, CommittedBlock> blocks_;
  bool store_blocks_ = true;
  SeqNumber want_blocks_until_ = 0;
  std::map<SeqNumber, AcceptedChange> scheduled_;
  std::map<SeqNumber, AcceptedChange> accepted_;
  mutable std::uint64_t blocks_loaded_ = 0;
  std::uint64_t deferred_checked_ = 0;
};

}  // namespace hc::consensus
