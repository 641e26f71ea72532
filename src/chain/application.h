// Application: the ABCI-like interface between the consensus engine and the ledger.
//
// The node's engine bridge (node::LedgerApplication, src/node/ledger_bridge.h) calls check_tx()
// when a client submits a transaction, validate_block() before it prepares a proposed block (a
// replica never prepares a block its application rejects), commit_block() once per committed
// block in height order (the block carries its commit certificate), and app_hash() to fill the
// next proposal's header. The rules: docs/ledger.md, "Application".
//
// Errors: kInvalidInput / kAuthFailed / kTooLarge mean the transaction or block is invalid (the
// sender is to blame); kIo / kCorrupt / kInternal are local failures (the replica must stop).
// Thread-safety: the engine calls check_tx, validate_block and commit_block from one thread;
// query() may be called from other threads concurrently.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chain/block.h"
#include "chain/digest.h"
#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

class Application {
 public:
  virtual ~Application() = default;
  // ok if the encoded transaction may enter the pending pool.
  virtual Status check_tx(ByteSpan transaction) = 0;
  // ok if `proposed` may be committed as the next block (its certificate is not yet there).
  virtual Status validate_block(const Block& proposed) = 0;
  // Checks the block and its commit certificate, applies and stores it; returns the new app hash.
  virtual Result<Digest> commit_block(const Block& block) = 0;
  // The app hash after the last committed block (what the next block's header must carry).
  virtual Digest app_hash() const = 0;
  virtual std::uint64_t committed_height() const = 0;
  // True if the committed state needs the height to advance even with no transaction (a DKG
  // window counted in blocks; trustee_state.h, dkg_wants_blocks). A hint to the proposer,
  // never part of validity. Called from the engine's thread.
  virtual bool wants_block() const { return false; }
  // Read-only queries by path: "tip", "serial/<hex>", "tx/<hex>", "envelope_key/<hex>",
  // "block/<height>", and in trustees mode "access_key", "access_key/<epoch>", "dkg/<epoch>",
  // "access_request/<tx id>" (trustee_query.h). kNotFound if absent, kInvalidInput for a
  // malformed path.
  virtual Result<nlohmann::json> query(std::string_view path) const = 0;
};

}  // namespace hc::chain
