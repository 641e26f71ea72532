#include "node/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace hc::node {

AddressRateLimiter::AddressRateLimiter(RateLimit limit) : limit_(limit) {}

std::uint32_t AddressRateLimiter::admit(const std::string& address, std::uint64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limit_.max_tracked_addresses && !lru_.empty()) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(address);
    it = buckets_.emplace(address, Bucket{limit_.burst, now_ms, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Bucket& b = it->second;
  if (now_ms > b.last_ms) {
    b.tokens = std::min(limit_.burst, b.tokens + static_cast<double>(now_ms - b.last_ms) * limit_.requests_per_second / 1000.0);
    b.last_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double wait_s = (1.0 - b.tokens) / limit_.requests_per_second;
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil(wait_s)));
}

std::size_t AddressRateLimiter::tracked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

}  // namespace hc::node
