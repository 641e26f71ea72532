// The block a correct primary builds from what reached it (consensus/replica_normal.cpp,
// maybe_propose): each transaction that passes check_tx on arrival enters the pool, each
// pooled one that still passes check_tx while the block is built goes in, in arrival order,
// and those the deferred checks (check_deferred: the records' group signatures, batched) refuse
// leave it. The regression tests of conflicting pending pairs build their blocks with it.
#pragma once

#include <cstddef>
#include <vector>

#include "chain/healthchain_app.h"
#include "common/bytes.h"

namespace hc::chain::testing {

inline std::vector<Bytes> proposed_block(HealthchainApp& app, const std::vector<Bytes>& arrivals) {
  std::vector<Bytes> pool;
  for (const Bytes& tx : arrivals) {
    if (app.check_tx(tx).ok()) pool.push_back(tx);
  }
  std::vector<Bytes> block;
  for (const Bytes& tx : pool) {
    if (app.check_tx(tx).ok()) block.push_back(tx);
  }
  const std::vector<std::size_t> failing = app.check_deferred(block);
  for (auto it = failing.rbegin(); it != failing.rend(); ++it) {
    block.erase(block.begin() + static_cast<std::ptrdiff_t>(*it));
  }
  return block;
}

}  // namespace hc::chain::testing
