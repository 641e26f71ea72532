#include "node/consensus_health.h"

#include "consensus/configuration.h"

#include <algorithm>

namespace hc::node {

namespace {

std::string seconds_text(std::uint64_t ms) { return std::to_string(ms / 1000) + " s"; }

}  // namespace

ConsensusHealth ConsensusHealthWatch::observe(const ConsensusObservation& o) {
  // A clock of 0 is reserved for "not set" below.
  const std::uint64_t now = std::max<std::uint64_t>(o.now_ms, 1);
  if (!started_ || o.height != last_height_) {
    last_height_ = o.height;
    last_commit_ms_ = now;
  }
  if (!started_) last_fetched_ = o.blocks_fetched;
  started_ = true;
  if (o.blocks_fetched != last_fetched_) {
    last_fetched_ = o.blocks_fetched;
    last_fetch_ms_ = now;
    fetched_ = true;
  }
  if (o.pending_txs == 0) {
    pending_since_ms_ = 0;
  } else if (pending_since_ms_ == 0) {
    pending_since_ms_ = now;
  }
  const std::size_t quorum = consensus::Configuration::quorum_of(static_cast<std::uint32_t>(o.replicas));
  if (o.peers_connected + 1 >= quorum) {
    quorum_lost_since_ms_ = 0;
  } else if (quorum_lost_since_ms_ == 0) {
    quorum_lost_since_ms_ = now;
  }

  ConsensusHealth h;
  h.catching_up = fetched_ && now - last_fetch_ms_ <= bounds_.catching_up_window_ms;
  if (quorum_lost_since_ms_ != 0 && now - quorum_lost_since_ms_ > bounds_.quorum_grace_ms) {
    h.stalled = true;
    h.reason = "no quorum: connected to " + std::to_string(o.peers_connected) + " of " +
               std::to_string(o.replicas - 1) + " peers for more than " + seconds_text(bounds_.quorum_grace_ms) +
               " (a quorum needs " + std::to_string(quorum - 1) + ")";
    return h;
  }
  if (pending_since_ms_ != 0) {
    const std::uint64_t waiting_ms = now - std::max(pending_since_ms_, last_commit_ms_);
    if (waiting_ms > bounds_.stall_bound_ms) {
      h.stalled = true;
      h.reason = "consensus stalled: " + std::to_string(o.pending_txs) + " transaction(s) pending and no commit for " +
                 seconds_text(waiting_ms) + " (bound " + seconds_text(bounds_.stall_bound_ms) + ")";
    }
  }
  return h;
}

}  // namespace hc::node
