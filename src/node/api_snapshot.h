// ApiSnapshot: what the API may know of the replica's state (issue 12, item 5). The consensus
// thread publishes a consistent copy (after every batch of submitted transactions, every
// delivered block, a halt, and every kApiSnapshotIntervalMs); the API thread reads the latest
// copy and never touches the replica, the ledger application or the driver. The ledger store
// itself is read directly (its reads are thread-safe and see only committed blocks).
//
// Threading: thread-safe (one mutex, held only to copy).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hc::node {

inline constexpr std::uint32_t kApiSnapshotIntervalMs = 100;

// A prepared answer: HTTP status and JSON body (GET /v1/envelope-key: envelope_key_answer.h).
struct EnvelopeKeyAnswer {
  int status = 404;
  std::string body;
};

// The ids of the transactions pending in the replica's consensus engine, sorted: what every
// replica holds once a record has been diffused, so GET /v1/tx/{id} answers "pending" from it
// and never from this node's own intake (issue 14, item 3: that named the submitting node).
class PendingTxIds {
 public:
  using Id = std::array<std::uint8_t, 32>;
  explicit PendingTxIds(std::vector<Id> ids) : ids_(std::move(ids)) { std::sort(ids_.begin(), ids_.end()); }
  bool contains(const Id& id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }
  std::size_t size() const { return ids_.size(); }

 private:
  std::vector<Id> ids_;
};

// The consensus thread's copy of the pending ids, rebuilt only when the engine's set changed
// (its arrival count or its size moved): a publication without a change costs nothing.
// Threading: the consensus thread only.
class PendingTxIdsCache {
 public:
  template <typename Engine>
  std::shared_ptr<const PendingTxIds> refresh(const Engine& engine) {
    const std::uint64_t arrivals = engine.pending_arrivals();
    const std::uint64_t count = engine.pending_txs();
    if (!ids_ || arrivals != arrivals_ || count != count_) {
      ids_ = std::make_shared<const PendingTxIds>(engine.pending_tx_ids());
      arrivals_ = arrivals;
      count_ = count;
    }
    return ids_;
  }

 private:
  std::shared_ptr<const PendingTxIds> ids_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t count_ = 0;
};

struct ApiSnapshot {
  std::uint64_t view = 0;
  std::uint32_t primary = 0;        // the view's primary in the engine's current configuration
  std::uint64_t configuration = 0;  // that configuration's number (docs/consensus.md section 2c)
  bool member = true;               // whether this replica is a member of it
  bool in_view_change = false;
  std::uint64_t pending_txs = 0;  // in the replica's pool
  std::shared_ptr<const PendingTxIds> pending_ids;  // the same pool's ids (shared, immutable)
  std::uint64_t epoch = 0;        // the chain's group-signature epoch
  // False once the replica halted or while consensus is stalled (consensus_health.h).
  bool healthy = true;
  std::string halted_reason;  // why, when not healthy (a halt or a stall)
  bool catching_up = false;   // applied a block fetched by state transfer in the last 2 s
  // GET /v1/envelope-key's answer, rebuilt only when the current key changes (shared, immutable).
  std::shared_ptr<const EnvelopeKeyAnswer> envelope_key;
};

class ApiSnapshotBoard {
 public:
  void publish(ApiSnapshot snapshot) {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_ = std::move(snapshot);
  }
  ApiSnapshot read() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return latest_;
  }

 private:
  mutable std::mutex mutex_;
  ApiSnapshot latest_;
};

}  // namespace hc::node
