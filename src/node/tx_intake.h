// TxIntake: the one way API work reaches the consensus thread (issue 12, item 5). The API
// thread pushes transactions it has already parsed, signed and whose signatures it has
// verified, each with the callback that answers its HTTP request; the consensus thread takes
// them in batches, runs the ledger's admission check (a cache hit for the signature) and hands
// them to the replica. The queue is bounded in count and bytes: a push over either bound is
// refused (the API answers 503 with Retry-After), so a flood never grows it.
//
// Threading: thread-safe (one mutex). push() tells the caller when the consumer must be woken
// (once per non-empty spell), take() tells the consumer whether more is left.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "common/bytes.h"
#include "net/http.h"

namespace hc::node {

struct TxIntakeLimits {
  std::size_t max_txs = 1024;
  std::size_t max_bytes = 64u * 1024 * 1024;
};

struct IntakeItem {
  Bytes tx;
  bool doctor_record = false;                        // POST /v1/records (else the manager route)
  std::function<void(net::HttpResponse)> respond;  // answers the HTTP request, from any thread
};

class TxIntake {
 public:
  enum class Pushed { kWakeConsumer, kQueued, kFull };

  explicit TxIntake(TxIntakeLimits limits = {}) : limits_(limits) {}

  // kFull (item untouched, not queued) when over a bound; kWakeConsumer when the consumer is
  // not yet scheduled and must be (the caller posts it); kQueued otherwise.
  Pushed push(IntakeItem& item);
  // Up to max_items, oldest first. `more` is true when items remain: the consumer stays
  // scheduled and must run again; false clears the scheduled flag.
  std::vector<IntakeItem> take(std::size_t max_items, bool& more);
  std::size_t size() const;

 private:
  const TxIntakeLimits limits_;
  mutable std::mutex mutex_;
  std::deque<IntakeItem> items_;
  std::size_t bytes_ = 0;
  bool consumer_scheduled_ = false;
};

}  // namespace hc::node
