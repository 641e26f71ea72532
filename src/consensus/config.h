// All bounds and timing parameters of the PBFT engine, in one place.
//
// Every queue, batch, window, message and timer of the replica is bounded by a field of
// ConsensusConfig. The node and the simulator fill one in; validate() rejects settings the
// protocol cannot run with. A plain value type, safe to copy between threads.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "consensus/configuration.h"
#include "consensus/types.h"

namespace hc::consensus {

struct ConsensusConfig {
  // The genesis configuration's n (members 0..n-1); tolerates f = (n - 1) / 3 Byzantine
  // replicas. Later configurations (section 2c of docs/consensus.md) come from the application.
  std::uint32_t replica_count = 4;
  // Every replica id that may ever be a member is below this (0: replica_count, a fixed set).
  // Message budgets and decoding bounds are computed for a configuration of this many members.
  std::uint32_t replica_id_space = 0;
  // The chain this replica orders blocks for: the hash of its genesis (the node passes
  // chain::genesis_hash). Every signing input starts with it (signing_input, messages.h), so
  // a signature made for one chain is refused on any other, even with the same keys. Must be
  // set (validate() refuses all zeros).
  ChainId chain_id{};

  // Batching (the primary cuts a block when any limit is reached).
  std::uint32_t max_batch_txs = 400;
  std::uint32_t max_batch_bytes = 1u << 20;
  std::uint64_t max_batch_delay_ms = 2;
  std::uint32_t max_tx_bytes = 64u * 1024;
  // With no transaction to propose, the primary proposes an empty block when its application
  // wants_block(), at most one per this interval (counted from the last block's timestamp).
  std::uint64_t idle_block_interval_ms = 500;

  // Sequence window: low watermark h = last stable checkpoint; accepted seqs are (h, h + window].
  std::uint32_t checkpoint_interval_blocks = 16;  // K
  std::uint32_t window_blocks = 64;               // L, a multiple of K
  std::uint32_t max_inflight_blocks = 8;          // blocks proposed but not yet executed

  // Timers (virtual or real milliseconds; the driver's clock).
  // A backup forwards a pending transaction it has not seen proposed to the primary after
  // forward_delay_ms, and suspects the primary only request_timeout_ms after that forward.
  std::uint64_t forward_delay_ms = 500;
  std::uint64_t request_timeout_ms = 2000;           // a pending (forwarded) transaction older than this
  std::uint64_t view_change_timeout_ms = 2000;       // first wait for NEW-VIEW, doubled per try
  std::uint64_t max_view_change_timeout_ms = 64000;  // back-off ceiling
  std::uint64_t fetch_retry_ms = 500;                // state-transfer retry / next peer
  // A replica that executed up to the top of its window (nothing more can be ordered until a
  // checkpoint above its stable one becomes stable: always so at a configuration boundary)
  // sends its CHECKPOINT for it again, and asks a peer for a newer stable checkpoint, this
  // often until one is stable (docs/consensus.md, section 2c).
  std::uint64_t checkpoint_resend_ms = 1000;
  // A backup refuses a proposed block whose timestamp is more than this ahead of its own
  // clock (or earlier than its parent's): the bound on clock skew between replicas.
  std::uint64_t max_clock_skew_ms = 10000;

  // Queues and message bounds.
  std::uint32_t max_pending_txs = 200000;
  std::uint64_t max_pending_bytes = 256u << 20;  // the pool's transaction bytes (mempool_max_bytes)
  std::uint32_t max_fetch_blocks = 32;        // blocks per state-transfer reply (also by bytes)
  // Every message this replica builds fits in this (the transport's frame limit is 16 MiB);
  // a BLOCKS reply carries as many blocks as fit, and the requester asks for the rest.
  std::uint32_t max_message_bytes = 16u << 20;
  // Serving state transfer: each peer may make this replica read and send at most this many
  // block bytes per second (each block charged at least 4 KiB), with this burst.
  std::uint64_t fetch_serve_bytes_per_s_per_peer = 64u << 20;
  std::uint64_t fetch_serve_burst_bytes_per_peer = 32u << 20;

  // Per-peer budgets: what one peer can make this replica hold. Messages (PRE-PREPARE,
  // PREPARE, COMMIT) for a view not yet entered are buffered only for the next
  // future_view_window views; each peer has its own count and byte budget (bytes = wire size).
  std::uint32_t future_view_window = 4;
  std::uint32_t max_future_messages_per_peer = 512;
  std::uint32_t max_future_bytes_per_peer = 16u << 20;

  // Of the genesis configuration (the engine itself uses the configuration of each sequence
  // number, configuration.h).
  std::uint32_t f() const { return (replica_count - 1) / 3; }
  std::uint32_t quorum() const { return Configuration::quorum_of(replica_count); }
  std::uint32_t weak_quorum() const { return f() + 1; }
  std::uint32_t id_space() const { return replica_id_space == 0 ? replica_count : replica_id_space; }
  // The largest quorum any configuration can have (one of id_space() members).
  std::uint32_t max_quorum() const { return Configuration::quorum_of(id_space()); }

  // ok, or kInvalidInput naming the first inconsistent field.
  Status validate() const;
};

}  // namespace hc::consensus
