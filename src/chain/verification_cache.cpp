#include "chain/verification_cache.h"

namespace hc::chain {

std::optional<Status> VerificationCache::find(const Digest& tx_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(tx_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void VerificationCache::insert(const Digest& tx_id, const Status& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!entries_.emplace(tx_id, outcome).second) return;
  order_.push_back(tx_id);
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

std::size_t VerificationCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace hc::chain
