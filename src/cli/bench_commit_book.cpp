#include "cli/bench_commit_book.h"

#include <algorithm>

namespace hc::cli {

void BenchCommitBook::record_sent(const std::string& id, Clock::time_point at, std::string node) {
  Entry entry{at, std::move(node), std::nullopt};
  auto early = unclaimed_.find(id);
  if (early != unclaimed_.end()) {
    entry.committed_at = early->second;
    unclaimed_.erase(early);
  }
  sent_[id] = std::move(entry);
}

void BenchCommitBook::record_in_block(const std::string& id, Clock::time_point seen_at) {
  auto it = sent_.find(id);
  if (it != sent_.end()) {
    if (!it->second.committed_at) it->second.committed_at = seen_at;
    return;
  }
  if (unclaimed_.size() < max_unclaimed_) unclaimed_.emplace(id, seen_at);
}

std::size_t BenchCommitBook::committed_count() const {
  return static_cast<std::size_t>(
      std::count_if(sent_.begin(), sent_.end(), [](const auto& kv) { return kv.second.committed_at.has_value(); }));
}

}  // namespace hc::cli
