#include "chain/pending_records.h"

#include <algorithm>
#include <iterator>

namespace hc::chain {

PendingRecords::PendingRecords(std::size_t max_entries) : max_entries_(max_entries) {}

std::optional<Digest> PendingRecords::claimant(const Digest& content) const {
  auto it = claims_.find(content);
  if (it == claims_.end()) return std::nullopt;
  return it->second.tx_id;
}

void PendingRecords::claim(const Digest& content, const Digest& tx_id, std::uint64_t epoch) {
  if (claims_.count(content) != 0) return;
  const std::uint64_t serial = next_serial_++;
  claims_.emplace(content, Claim{tx_id, epoch, serial});
  order_.emplace_back(serial, content);
  // Every live claim is in order_ (which may also hold released ones): evict the oldest.
  while (claims_.size() > max_entries_) {
    auto [old_serial, old_content] = order_.front();
    order_.pop_front();
    auto it = claims_.find(old_content);
    if (it != claims_.end() && it->second.serial == old_serial) claims_.erase(it);
  }
  if (order_.size() > 2 * max_entries_) {  // drop the released entries
    order_.clear();
    for (const auto& [c, held] : claims_) order_.emplace_back(held.serial, c);
    std::sort(order_.begin(), order_.end());
  }
}

void PendingRecords::release(const Digest& content) { claims_.erase(content); }

void PendingRecords::release_epochs_before(std::uint64_t current_epoch) {
  for (auto it = claims_.begin(); it != claims_.end();) {
    it = it->second.epoch < current_epoch ? claims_.erase(it) : std::next(it);
  }
}

}  // namespace hc::chain
