#include "node/stem_check_batch.h"

namespace hc::node {

bool StemCheckBatch::add(std::uint32_t peer, const StemTxId& id, Bytes tx, std::uint64_t now_ms) {
  if (txs_.empty()) first_arrival_ms_ = now_ms;
  bytes_ += tx.size();
  txs_.push_back(std::move(tx));
  origins_.push_back(Origin{peer, id});
  ids_.insert(id);
  return txs_.size() >= limits_.max_records || bytes_ >= limits_.max_bytes;
}

StemCheckBatch::Taken StemCheckBatch::take() {
  Taken out{std::move(txs_), std::move(origins_)};
  txs_.clear();
  origins_.clear();
  ids_.clear();
  bytes_ = 0;
  first_arrival_ms_ = 0;
  return out;
}

}  // namespace hc::node
