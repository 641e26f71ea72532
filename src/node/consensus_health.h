// Whether this replica's consensus is making progress, as /v1/health and /v1/status report it
// (issue 15, item 6). A halted replica is reported elsewhere (Node::State::halt); this watches
// a running one for two kinds of stall, each with a documented bound (docs/node.md):
//  - no quorum: fewer than a quorum of replicas (2f+1 when n = 3f+1; this one included) connected for longer than
//    quorum_grace_ms (so a restart or a peer's reconnect is not reported);
//  - no progress: transactions pending and no block committed for longer than stall_bound_ms
//    (counted from the later of the last commit and the moment work became pending), which is
//    well above an honest view change (request timeout plus view-change timeout).
// It also tells whether the replica is catching up: it applied a block fetched by state
// transfer within the last catching_up_window_ms.
//
// Pure and single-threaded: the consensus thread feeds it an observation every snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hc::node {

struct ConsensusHealthBounds {
  std::uint64_t stall_bound_ms = 15000;
  std::uint64_t quorum_grace_ms = 10000;
  std::uint64_t catching_up_window_ms = 2000;
};

struct ConsensusObservation {
  std::uint64_t now_ms = 0;          // a monotonic clock
  std::uint64_t height = 0;          // last committed block
  std::uint64_t pending_txs = 0;     // in the replica's pool
  std::uint64_t blocks_fetched = 0;  // by state transfer, since start (a counter)
  std::size_t replicas = 1;          // n
  std::size_t peers_connected = 0;   // other replicas with a session now
};

struct ConsensusHealth {
  bool stalled = false;
  std::string reason;  // why, when stalled
  bool catching_up = false;
};

class ConsensusHealthWatch {
 public:
  explicit ConsensusHealthWatch(ConsensusHealthBounds bounds = {}) : bounds_(bounds) {}
  ConsensusHealth observe(const ConsensusObservation& o);

 private:
  ConsensusHealthBounds bounds_;
  bool started_ = false;
  std::uint64_t last_height_ = 0;
  std::uint64_t last_commit_ms_ = 0;
  std::uint64_t pending_since_ms_ = 0;  // 0: nothing pending
  std::uint64_t quorum_lost_since_ms_ = 0;  // 0: quorum connected
  std::uint64_t last_fetched_ = 0;
  std::uint64_t last_fetch_ms_ = 0;
  bool fetched_ = false;
};

}  // namespace hc::node
