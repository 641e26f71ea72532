// VerificationCache: the outcome of each transaction's signature check, by transaction id, so
// that no transaction is verified twice (on arrival and again inside a proposed or committed
// block). A transaction id covers every byte of the transaction, and the group key of an epoch
// never changes, so a cached outcome stays true. Bounded: the oldest entries are evicted first.
// Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "chain/digest.h"
#include "common/status.h"

namespace hc::chain {

struct DigestHasher {
  std::size_t operator()(const Digest& d) const {
    std::size_t h = 0;
    std::memcpy(&h, d.data(), sizeof(h));
    return h;
  }
};

class VerificationCache {
 public:
  explicit VerificationCache(std::size_t capacity) : capacity_(capacity) {}
  // The stored outcome (ok or the failure), if any.
  std::optional<Status> find(const Digest& tx_id) const;
  void insert(const Digest& tx_id, const Status& outcome);
  std::size_t size() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<Digest, Status, DigestHasher> entries_;
  std::deque<Digest> order_;
};

}  // namespace hc::chain
