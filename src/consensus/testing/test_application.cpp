#include "consensus/testing/test_application.h"

namespace hc::consensus {

Status TestApplication::check_tx(ByteSpan tx) {
  // Like the ledger, which caches every signature verdict by transaction id, only the first
  // check of a transaction costs a verification (the primary re-checks its pool when it cuts
  // a block).
  if (on_check_tx_ && checked_.insert(tx_digest(tx)).second) on_check_tx_();
  if (tx.empty()) return invalid_input("empty transaction");
  if (tx[0] == 0xFF) return invalid_input("transaction marked invalid");
  return Status();
}

Status TestApplication::validate_block(const Block& block) {
  std::unordered_set<Digest, DigestHash> seen;
  for (const Bytes& tx : block.txs) {
    if (tx.empty() || tx[0] == 0xFF) return invalid_input("block holds an invalid transaction");
    const Digest d = tx_digest(tx);
    if (committed_.contains(d)) return invalid_input("block holds a committed transaction");
    if (!seen.insert(d).second) return invalid_input("block repeats a transaction");
  }
  return Status();
}

Status TestApplication::commit_block(const CommittedBlock& block) {
  if (block.block.height != height_ + 1) {
    return Status::error(ErrorCode::kInternal, "commit_block out of order");
  }
  for (const Bytes& tx : block.block.txs) committed_.insert(tx_digest(tx));
  Bytes buf(hash_.begin(), hash_.end());
  const Digest& d = block.cert.digest;  // checked against the block by the engine
  buf.insert(buf.end(), d.begin(), d.end());
  hash_ = sha256(buf);
  height_ = block.block.height;
  if (store_blocks_) blocks_.emplace(height_, block);
  return Status();
}

std::optional<CommittedBlock> TestApplication::load_block(SeqNumber height) const {
  auto it = blocks_.find(height);
  if (it == blocks_.end()) return std::nullopt;
  return it->second;
}

void TestApplication::prune_below(SeqNumber height) {
  blocks_.erase(blocks_.begin(), blocks_.lower_bound(height));
}

}  // namespace hc::consensus
