// How the node shares out its file descriptors (issue 12, item 3). Every descriptor a client
// or an unauthenticated peer can make the node open is bounded: accepted connections still in
// the peer handshake, and API connections. Those bounds are fitted under the process's
// RLIMIT_NOFILE at startup, after the ledger is open, leaving a reserve for the store's files,
// the write-ahead log's snapshots and the peer sessions, so a flood of connections can never
// take the descriptor a WAL snapshot or a RocksDB flush needs. Too low a limit is refused at
// startup with the number needed. The caps asked for (the node config's "connections",
// connection_limits.h) are ceilings: they are lowered, never raised, to fit. Plain functions;
// not thread-safe (startup only).
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"

namespace hc::node {

// Descriptors kept free for the ledger store (RocksDB table and log files), WAL snapshots,
// logs and the runtime, beyond those open at startup.
inline constexpr std::size_t kStorageDescriptorReserve = 64;

struct DescriptorBudget {
  std::size_t pending_handshakes = 32;
  std::size_t pending_handshakes_per_address = 8;
  std::size_t api_connections = 256;
  std::size_t api_connections_per_address = 64;
};

// Fits `wanted` (each cap at least 1, a per-address cap at most its total) under `limit`
// descriptors, `in_use` of which are open, for a node with `peers` peer replicas: every cap
// is at most what was wanted. kInvalidInput naming the minimum when the limit is too low.
Result<DescriptorBudget> plan_descriptors(std::uint64_t limit, std::size_t in_use, std::size_t peers,
                                          const DescriptorBudget& wanted = {});

// Raises the soft RLIMIT_NOFILE to the hard limit where allowed; returns the soft limit now
// in force (kIo if it cannot be read).
Result<std::uint64_t> raise_descriptor_limit();

// Descriptors this process has open (/proc/self/fd).
Result<std::size_t> open_descriptor_count();

}  // namespace hc::node
