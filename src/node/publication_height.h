// The height of the block that published the manager's current envelope key, for
// GET /v1/envelope-key. The ledger indexes keys by id, not by height, so the first question
// about a key scans the chain back from the tip (a key is usually recent: one is published a
// day) and the answer is cached; a key is published once (the ledger refuses it again), so
// the answer never changes. Not thread-safe: used on the consensus thread (envelope_key_answer.h).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "chain/ledger_store.h"
#include "chain/transaction.h"
#include "common/status.h"

namespace hc::node {

class PublicationHeights {
 public:
  // The height of the block holding the PublishEnvelopeKey transaction of `key_id`;
  // kCorrupt if the chain holds no such block (the store named a key the chain never
  // published), kIo/kCorrupt if a block cannot be read.
  Result<std::uint64_t> height_of(const chain::LedgerStore& store, const chain::KeyId& key_id);

 private:
  std::optional<std::pair<chain::KeyId, std::uint64_t>> cached_;
};

}  // namespace hc::node
