// Per-client-address rate limiting for the node API (issue 12, item 5): one token bucket per
// source address and route class, so a flood from one address is refused cheaply (429 with
// Retry-After) before any parsing or signature work, while other clients keep their share.
//
// Bounds: at most max_tracked_addresses buckets; past it the least recently used bucket is
// forgotten (a forgotten address starts again with a full bucket, which only ever favours
// the client, never the memory). Thread-safe (one mutex); admit() is O(1) amortized.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hc::node {

struct RateLimit {
  double requests_per_second = 100;  // sustained rate per address
  double burst = 200;                // requests one address may make at once
  std::size_t max_tracked_addresses = 4096;
};

class AddressRateLimiter {
 public:
  explicit AddressRateLimiter(RateLimit limit);

  // Takes one token from `address`'s bucket at time now_ms (any monotonic clock). Returns 0
  // when the request may proceed; otherwise the whole seconds (at least 1) after which a
  // token will be available, for Retry-After.
  std::uint32_t admit(const std::string& address, std::uint64_t now_ms);

  std::size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::uint64_t last_ms = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  const RateLimit limit_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace hc::node
