// StemCheckBatch: the stem records waiting for their check (issue 18 item 4; docs/relay.md).
//
// A node checks a stem record (admission and its group signature) before it forwards or fluffs
// it, so that a correct node sends peers only records it has verified and a record that fails
// is charged to the peer that sent it. Checked one at a time, each record costs one group
// verification; checked together, a trustees-mode batch costs one multi-pairing plus cheap
// work per record (docs/groupsig.md, "Batch verification"). The driver (replica_driver.h) adds
// each stem record it has to check here and checks the whole batch when it is full or its
// window has passed (the first record's arrival plus window_ms); every verdict goes back to
// its own record and the peer that sent it.
//
// Bounds: at most max_records records and, since a record is added before the size is
// compared, max_bytes plus one record's bytes (a record is bounded by the transport's frame
// bound). A record already waiting is not added twice (contains()).
//
// Pure: no timers, no threads, no checks of its own. Not thread-safe (the consensus thread's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

#include "common/bytes.h"
#include "node/stem_relay.h"

namespace hc::node {

struct StemCheckLimits {
  std::size_t max_records = 32;
  std::size_t max_bytes = 8 * 1024 * 1024;
  // How long the first record of a batch waits for others: each stem hop that checks a record
  // adds up to this much to its latency (a record is checked once per node, on its first visit).
  std::uint64_t window_ms = 20;
};

class StemCheckBatch {
 public:
  // Where a waiting record came from.
  struct Origin {
    std::uint32_t peer = 0;
    StemTxId id{};
  };
  // A batch taken for checking: txs[i] came from origins[i], in arrival order.
  struct Taken {
    std::vector<Bytes> txs;
    std::vector<Origin> origins;
  };

  explicit StemCheckBatch(StemCheckLimits limits = {}) : limits_(limits) {}

  // Adds a record (the caller has checked !contains(id) and charged the peer's budget). True
  // when the batch is now full (max_records or max_bytes reached): the caller checks it now.
  bool add(std::uint32_t peer, const StemTxId& id, Bytes tx, std::uint64_t now_ms);
  bool contains(const StemTxId& id) const { return ids_.count(id) != 0; }
  bool empty() const { return txs_.empty(); }
  std::size_t size() const { return txs_.size(); }
  std::size_t bytes() const { return bytes_; }
  // When the batch is due for its check (its first record's arrival + window_ms); 0 if empty.
  std::uint64_t due_ms() const { return empty() ? 0 : first_arrival_ms_ + limits_.window_ms; }
  // Every waiting record, in arrival order; the batch is empty afterwards.
  Taken take();
  const StemCheckLimits& limits() const { return limits_; }

 private:
  StemCheckLimits limits_;
  std::vector<Bytes> txs_;
  std::vector<Origin> origins_;
  std::set<StemTxId> ids_;
  std::size_t bytes_ = 0;
  std::uint64_t first_arrival_ms_ = 0;
};

}  // namespace hc::node
