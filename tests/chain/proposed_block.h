// The block a correct primary builds from what reached it (consensus/replica_normal.cpp,
// maybe_propose): each transaction that passes check_tx on arrival enters the pool, and each
// pooled one that still passes check_tx while the block is built goes in, in arrival order.
// The regression tests of conflicting pending pairs build their blocks with it.
#pragma once

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
  return block;
}

}  // namespace hc::chain::testing
