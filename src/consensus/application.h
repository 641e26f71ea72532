// The ABCI-like boundary between the consensus engine and the replicated application.
//
// The engine calls these synchronously from its event handlers: check_tx when a client's
// transaction arrives (rejected ones never enter the pending pool), validate_block before a
// replica PREPAREs a proposed block (a replica never prepares a block holding a transaction
// its application rejects, or one already committed), commit_block for every committed block
// in height order exactly once, app_hash after each commit (it goes into checkpoints), and
// load_block to serve state transfer, check_deferred on the transactions of a block the primary
// is about to propose and on those a backup is about to forward, and wants_block when the primary has nothing to
// propose (true asks for an empty block, at most one per ConsensusConfig::idle_block_interval_ms,
// so that height-counted windows pass on a quiet chain), and accepted_changes for the changes of
// the replica set that committed blocks accepted. The ledger implements it;
// TestApplication is a small deterministic one for tests and the simulator. Called from one
// thread (the replica's).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "consensus/configuration.h"
#include "consensus/types.h"

namespace hc::consensus {

class Application {
 public:
  virtual ~Application() = default;

  // ok if tx may be proposed; kInvalidInput (with a reason) if it never can be.
  virtual Status check_tx(ByteSpan tx) = 0;
  // The checks check_tx may defer because they are costly and cheaper in a batch (a record's
  // group signature, docs/ledger.md "Admission"), run on many pending transactions at once:
  // the indices of those that fail, ascending. The primary calls it on the transactions of a
  // block it is about to propose (the failing ones leave the block and the pool, so a correct
  // primary never proposes a block that validate_block refuses for them), and a backup on the
  // transactions it is about to forward to the primary (the failing ones leave its pool, so it
  // never suspects a primary for not proposing them). Default: check_tx defers nothing.
  virtual std::vector<std::size_t> check_deferred(const std::vector<Bytes>& /*txs*/) { return {}; }
  // ok if every transaction of block is valid on top of the committed state and none is
  // already committed or repeated inside the block; kInvalidInput otherwise.
  virtual Status validate_block(const Block& block) = 0;
  // Executes block (its height is last_height() + 1) and stores it with its certificate.
  // Must be durable when it returns ok; a non-ok status halts the replica (a local fault).
  virtual Status commit_block(const CommittedBlock& block) = 0;
  // True if a transaction with this digest (tx_digest) is already committed.
  virtual bool contains_tx(const Digest& tx_digest) const = 0;
  // Height of the last committed block (0 before the first).
  virtual SeqNumber last_height() const = 0;
  // A digest of the application state after last_height().
  virtual Bytes app_hash() const = 0;
  // The committed block at height with its certificate, if still held.
  virtual std::optional<CommittedBlock> load_block(SeqNumber height) const = 0;
  // True if the committed state needs the height to advance even with no transaction (a
  // window counted in blocks is waiting to pass). Only a hint to the primary: never part of
  // any block's validity, so replicas need not agree on it.
  virtual bool wants_block() const { return false; }
  // Every change of the replica set accepted by a committed block at a height >= from_height,
  // in height order (at most one per height): committed state, so deterministic and durable.
  // The engine asks after each commit_block (from that height) and once at start (from 1);
  // the change takes effect at a boundary the engine computes (docs/consensus.md, section 2c).
  // Default: none, the genesis configuration for ever.
  virtual std::vector<AcceptedChange> accepted_changes(SeqNumber /*from_height*/) const { return {}; }
};

}  // namespace hc::consensus
