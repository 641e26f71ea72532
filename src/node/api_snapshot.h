// ApiSnapshot: what the API may know of the replica's state (issue 12, item 5). The consensus
// thread publishes a consistent copy (after every batch of submitted transactions, every
// delivered block, a halt, and every kApiSnapshotIntervalMs); the API thread reads the latest
// copy and never touches the replica, the ledger application or the driver. The ledger store
// itself is read directly (its reads are thread-safe and see only committed blocks).
//
// Threading: thread-safe (one mutex, held only to copy).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace hc::node {

inline constexpr std::uint32_t kApiSnapshotIntervalMs = 100;

// A prepared answer: HTTP status and JSON body (GET /v1/envelope-key: envelope_key_answer.h).
struct EnvelopeKeyAnswer {
  int status = 404;
  std::string body;
};

struct ApiSnapshot {
  std::uint64_t view = 0;
  bool in_view_change = false;
  std::uint64_t pending_txs = 0;  // in the replica's pool
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
