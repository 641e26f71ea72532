#include "consensus/testing/test_application.h"

namespace hc::consensus {

Status TestApplication::check_tx(ByteSpan tx) {
  // Like the ledger, which caches every signature verdict by transaction id, only the first
  // check of a transaction costs a verification (the primary re-checks its pool when it cuts
  // a block).
  if (on_check_tx_ && checked_.insert(tx_digest(tx)).second) on_check_tx_();
  if (tx.empty()) return invalid_input("empty transaction");
  if (tx[0] == 0xFF) return invalid_input("transaction marked invalid");
  if (auto key = content_key(tx); key && committed_keys_.contains(*key)) {
    return invalid_input("a transaction with the same content key is committed");
  }
  return Status();
}

std::optional<std::uint64_t> TestApplication::content_key(ByteSpan tx) {
  if (tx.size() < 9 || tx[0] != kContentKeyed) return std::nullopt;
  std::uint64_t key = 0;
  for (std::size_t i = 1; i < 9; ++i) key = (key << 8) | tx[i];
  return key;
}

std::vector<std::size_t> TestApplication::check_deferred(const std::vector<Bytes>& txs) {
  deferred_checked_ += txs.size();
  std::vector<std::size_t> failing;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!txs[i].empty() && txs[i][0] == kBadSignature) failing.push_back(i);
  }
  return failing;
}

Status TestApplication::validate_block(const Block& block) {
  std::unordered_set<Digest, DigestHash> seen;
  std::unordered_set<std::uint64_t> keys;
  for (const Bytes& tx : block.txs) {
    if (tx.empty() || tx[0] == 0xFF) return invalid_input("block holds an invalid transaction");
    if (tx[0] == kBadSignature) return invalid_input("block holds a transaction whose signature does not verify");
    if (auto key = content_key(tx); key && (committed_keys_.contains(*key) || !keys.insert(*key).second)) {
      return invalid_input("block repeats a content key");
    }
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
  for (const Bytes& tx : block.block.txs) {
    committed_.insert(tx_digest(tx));
    if (auto key = content_key(tx)) committed_keys_.insert(*key);
  }
  Bytes buf(hash_.begin(), hash_.end());
  const Digest& d = block.cert.digest;  // checked against the block by the engine
  buf.insert(buf.end(), d.begin(), d.end());
  if (auto change = scheduled_.find(block.block.height); change != scheduled_.end()) {
    accepted_[change->first] = change->second;
    for (ReplicaId r : change->second.members) append_u32_be(buf, r);
  }
  hash_ = sha256(buf);
  height_ = block.block.height;
  if (store_blocks_) blocks_.emplace(height_, block);
  return Status();
}

std::vector<AcceptedChange> TestApplication::accepted_changes(SeqNumber from_height) const {
  std::vector<AcceptedChange> out;
  for (auto it = accepted_.lower_bound(from_height); it != accepted_.end(); ++it) out.push_back(it->second);
  return out;
}

std::optional<CommittedBlock> TestApplication::load_block(SeqNumber height) const {
  ++blocks_loaded_;
  auto it = blocks_.find(height);
  if (it == blocks_.end()) return std::nullopt;
  return it->second;
}

void TestApplication::prune_below(SeqNumber height) {
  blocks_.erase(blocks_.begin(), blocks_.lower_bound(height));
}

}  // namespace hc::consensus
