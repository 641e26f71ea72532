// State transfer (FETCH / BLOCKS with commit certificates) and restart from persisted state.
#include <algorithm>
#include <tuple>

#include "consensus/replica.h"

namespace hc::consensus {

// Fetches committed blocks until last_executed_ >= target (a target at or below
// last_executed_ means "whatever peers have beyond us", one round).
void Replica::start_fetch(SeqNumber target, std::vector<Action>& out) {
  fetch_target_ = std::max(fetch_target_, target);
  if (fetching_) return;
  fetching_ = true;
  fetch_replied_ = false;
  fetch_attempts_ = 0;
  fetch_empty_from_.clear();
  fetch_peer_ = next_fetch_peer();
  send_fetch(out);
}

SeqNumber Replica::vouched_checkpoint_seq() const {
  std::vector<SeqNumber> claims;
  for (const auto& [peer, seq] : peer_checkpoint_seq_) claims.push_back(seq);
  const std::uint32_t weak_quorum = schedule_.newest().weak_quorum();
  if (claims.size() < weak_quorum) return 0;
  std::nth_element(claims.begin(), claims.begin() + (weak_quorum - 1), claims.end(), std::greater<>());
  return claims[weak_quorum - 1];
}

// A CHECKPOINT costs its sender one signature, so a faulty peer can announce any sequence
// number: only a checkpoint that f+1 peers announced sets the target, a claim far beyond it
// makes a peer less preferred rather than more, and a peer that failed to deliver is asked
// after those that did not (issue 12 item 7).
ReplicaId Replica::next_fetch_peer() const {
  const std::vector<ReplicaId> peers = fetch_peers();
  const auto n = static_cast<std::uint32_t>(peers.size());
  // Position of the current peer in the list (n if it is not in it: then none comes last).
  const auto current = static_cast<std::uint32_t>(std::find(peers.begin(), peers.end(), fetch_peer_) - peers.begin());
  const SeqNumber target = std::max(vouched_checkpoint_seq(), last_executed_ + 1);
  const auto tier = [&](ReplicaId r) -> int {
    auto it = peer_checkpoint_seq_.find(r);
    const SeqNumber claim = it == peer_checkpoint_seq_.end() ? 0 : it->second;
    if (claim < target) return 1;                          // announced nothing beyond us
    if (claim - target <= config_.window_blocks) return 0;  // reaches the target, plausibly
    return 2;                                               // far beyond what f+1 vouch for
  };
  const bool all_asked = fetch_empty_from_.size() >= n;
  std::optional<std::tuple<std::uint32_t, int, std::uint32_t>> best_key;
  ReplicaId best = id_;
  for (std::uint32_t i = 0; i < n; ++i) {
    const ReplicaId r = peers[i];
    if (!all_asked && fetch_empty_from_.contains(r)) continue;
    const std::uint32_t distance = current < n ? (i + n - current - 1) % n : i;  // the current peer comes last
    const std::tuple<std::uint32_t, int, std::uint32_t> key{fetch_strikes_[r], tier(r), distance};
    if (!best_key || key < *best_key) {
      best_key = key;
      best = r;
    }
  }
  return best;
}

void Replica::send_fetch(std::vector<Action>& out) {
  ++fetch_attempts_;
  send_to(fetch_peer_, sign_message(Fetch{last_executed_ + 1, view_}), out);
  set_fetch_timer(config_.fetch_retry_ms, out);
}

void Replica::set_fetch_timer(std::uint64_t delay_ms, std::vector<Action>& out) {
  out.push_back(SetTimer{TimerKind::kFetch, delay_ms});
  fetch_timer_armed_ = true;
}

void Replica::note_behind(SeqNumber seq, ViewNumber view, std::vector<Action>& out) {
  behind_seq_hint_ = std::max(behind_seq_hint_, seq);
  behind_view_hint_ = std::max(behind_view_hint_, view);
  if (!fetching_ && !fetch_timer_armed_) set_fetch_timer(config_.fetch_retry_ms, out);
}

void Replica::on_fetch_timer(std::vector<Action>& out) {
  fetch_timer_armed_ = false;
  if (fetching_) {
    const bool done = last_executed_ >= fetch_target_ && fetch_replied_;
    // Give up after two rounds over all peers; the next trigger starts afresh.
    if (done || fetch_attempts_ >= 2 * schedule_.newest().n()) return end_fetch_round(out);
    // No answer in time: the peer failed to deliver; ask the next one.
    fetch_strikes_[fetch_peer_] = std::min(fetch_strikes_[fetch_peer_] + 1, 1u << 16);
    fetch_peer_ = next_fetch_peer();
    send_fetch(out);
    return;
  }
  const SeqNumber seq_hint = behind_seq_hint_;
  const bool behind = seq_hint > last_executed_ || behind_view_hint_ > view_;
  behind_seq_hint_ = 0;
  behind_view_hint_ = 0;
  // The target is the height f+1 peers vouched for (at least one correct replica committed
  // it), so the round goes on past peers with nothing newer until it is reached. While
  // waiting for NEW-VIEW, or outside the configuration (a learner), keep up by polling.
  if (behind || in_view_change_ || !is_member()) start_fetch(std::max(last_executed_, seq_hint), out);
}

// Evidence that arrived during the round (f+1 COMMITs or CHECKPOINTs beyond us, f+1 peers in
// a later view) starts another round; it must not be dropped with the round that missed it.
void Replica::end_fetch_round(std::vector<Action>& out) {
  fetching_ = false;
  if (behind_seq_hint_ > last_executed_ || behind_view_hint_ > view_) {
    set_fetch_timer(config_.fetch_retry_ms, out);
  } else if (in_view_change_ || !is_member()) {
    set_fetch_timer(4 * config_.fetch_retry_ms, out);
  } else {
    out.push_back(CancelTimer{TimerKind::kFetch});
    fetch_timer_armed_ = false;
  }
}

std::uint64_t& Replica::fetch_allowance(ReplicaId peer) {
  FetchAllowance& a = fetch_allowance_[peer];
  if (!a.started || now_ms_ < a.refilled_at_ms) {
    a = FetchAllowance{config_.fetch_serve_burst_bytes_per_peer, now_ms_, true};
  } else if (now_ms_ > a.refilled_at_ms) {
    const std::uint64_t elapsed_ms = now_ms_ - a.refilled_at_ms;
    const std::uint64_t room = config_.fetch_serve_burst_bytes_per_peer - a.bytes;
    const std::uint64_t per_ms = std::max<std::uint64_t>(1, config_.fetch_serve_bytes_per_s_per_peer / 1000);
    a.bytes += elapsed_ms >= room / per_ms + 1 ? room : elapsed_ms * per_ms;
    a.refilled_at_ms = now_ms_;
  }
  return a.bytes;
}

// A BLOCKS reply holds at most max_fetch_blocks blocks and fits max_message_bytes; each block
// read is charged to the requester's allowance (at least 4 KiB, the cost of a read), and a
// requester without allowance gets no reply (it retries later or asks another peer).
void Replica::on_fetch(const Message& msg, std::vector<Action>& out) {
  const Fetch& fetch = std::get<Fetch>(msg.body);
  std::uint64_t& allowance = fetch_allowance(msg.sender);
  if (allowance < kMinServeChargeBytes) return drop(DropReason::kRateLimited);
  BlocksReply reply;
  reply.stable = stable_;
  std::size_t bytes = blocks_reply_overhead_bytes(config_);
  for (SeqNumber h = std::max<SeqNumber>(fetch.from_seq, 1);
       h <= last_executed_ && reply.blocks.size() < config_.max_fetch_blocks &&
       allowance >= kMinServeChargeBytes;
       ++h) {
    std::optional<CommittedBlock> cb = app_.load_block(h);
    if (!cb) break;
    const std::size_t block_bytes = committed_block_wire_bytes(*cb);
    allowance -= std::min<std::uint64_t>(allowance, std::max<std::uint64_t>(kMinServeChargeBytes, block_bytes));
    if (bytes + block_bytes > config_.max_message_bytes) break;
    bytes += block_bytes;
    reply.blocks.push_back(std::move(*cb));
  }
  send_to(msg.sender, sign_message(std::move(reply)), out);
  if (msg.config == current_.number && fetch.view < view_ && !in_view_change_ && last_new_view_ != nullptr) {
    out.push_back(SendTo{msg.sender, last_new_view_});  // it missed this view's NEW-VIEW
  }
}

void Replica::on_blocks(const Message& msg, std::vector<Action>& out) {
  const BlocksReply& reply = std::get<BlocksReply>(msg.body);
  bool applied = false;
  for (const CommittedBlock& cb : reply.blocks) {
    if (cb.block.height != last_executed_ + 1) continue;
    // The configuration of this height is known (it is at most known_through(), and the
    // blocks executed just before may have changed it).
    if (!verify_commit_certificate(config_.chain_id, cb, schedule_.at(cb.block.height), verifier_).ok()) {
      drop(DropReason::kBadProof);
      break;
    }
    auto it = log_.find(cb.block.height);
    if (it != log_.end() && it->second.committed && it->second.committed->digest != cb.cert.digest) {
      drop(DropReason::kConflict);  // two certified blocks at one height: more than f faulty
      break;
    }
    execute_block(std::make_shared<const CommittedBlock>(cb), tx_digests(cb.block), out);
    if (halted_) return;
    ++stats_.blocks_fetched;
    applied = true;
  }
  // The checkpoint proof is adopted only once the configuration after it is known (its
  // sequence number below known_through()); until then the next reply brings it again.
  if (reply.stable.seq > stable_.seq && reply.stable.seq < known_through() &&
      verify_checkpoint_proof(config_.chain_id, reply.stable, schedule_.at(reply.stable.seq), verifier_).ok()) {
    auto own = own_checkpoints_.find(reply.stable.seq);
    if (own == own_checkpoints_.end() || own->second == reply.stable.state_digest) {
      make_stable(reply.stable, out);
    }
    if (reply.stable.seq > last_executed_) fetch_target_ = std::max(fetch_target_, reply.stable.seq);
  }
  if (applied) {
    execute_committed_slots(out);  // slots committed above the fetched range may now run
    after_execution(out);
  }
  if (!fetching_ || msg.sender != fetch_peer_) return;
  continue_fetch(applied, reply_may_be_cut(reply), out);
}

bool Replica::reply_may_be_cut(const BlocksReply& reply) const {
  if (reply.blocks.size() >= config_.max_fetch_blocks) return true;
  std::size_t bytes = blocks_reply_overhead_bytes(config_);
  for (const CommittedBlock& cb : reply.blocks) bytes += committed_block_wire_bytes(cb);
  return bytes + max_committed_block_bytes(config_) > config_.max_message_bytes;
}

// After a reply from the current fetch peer: more from it, another peer, or done. A round
// ends once the target is reached and f+1 distinct peers in a row had nothing newer (so at
// least one correct peer agrees that we are up to date). A peer that announced a checkpoint
// beyond us and sent nothing failed to deliver.
void Replica::continue_fetch(bool applied, bool full_reply, std::vector<Action>& out) {
  fetch_replied_ = true;
  if (applied) {
    fetch_strikes_[fetch_peer_] = 0;
    fetch_empty_from_.clear();
  } else {
    fetch_empty_from_.insert(fetch_peer_);
    auto claim = peer_checkpoint_seq_.find(fetch_peer_);
    if (claim != peer_checkpoint_seq_.end() && claim->second > last_executed_) {
      fetch_strikes_[fetch_peer_] = std::min(fetch_strikes_[fetch_peer_] + 1, 1u << 16);
    }
  }
  if (applied && (full_reply || last_executed_ < fetch_target_)) return send_fetch(out);
  const bool reached = last_executed_ >= fetch_target_;
  if ((reached && fetch_empty_from_.size() >= schedule_.newest().weak_quorum()) ||
      fetch_attempts_ >= 2 * schedule_.newest().n()) {
    return end_fetch_round(out);
  }
  fetch_peer_ = next_fetch_peer();
  send_fetch(out);
}

void Replica::on_state_loaded(const StateLoaded& loaded, std::vector<Action>& out) {
  if (started_) return;
  started_ = true;
  Result<PersistedState> st = decode_persisted_state(loaded.records, limits_);
  if (!st.ok()) {
    halted_ = true;  // corrupt local state: refuse to run rather than risk equivocating
    return;
  }
  restore(st.value(), out);
}

// Rebuilds what this replica has signed so it never contradicts itself, re-sends those same
// statements (harmless duplicates) and starts catching up.
void Replica::restore(const PersistedState& st, std::vector<Action>& out) {
  view_ = st.view;
  in_view_change_ = st.in_view_change;
  stable_ = st.stable;
  last_executed_ = app_.last_height();
  // The configurations come from committed state (the application), the view from the
  // records, which are rewritten whenever a boundary is crossed. A stable checkpoint adopted
  // but not executed before a crash is no exception: a checkpoint is adopted only below
  // known_through(), so every change that decides the configuration after it was executed
  // first (section 2c, "Restart between an adopted checkpoint and the blocks below it").
  load_changes();
  current_ = schedule_.at(stable_.seq + 1);
  if (last_executed_ > 0) {
    if (std::optional<CommittedBlock> tip = app_.load_block(last_executed_)) {
      last_executed_timestamp_ms_ = tip->block.timestamp_ms;
      last_block_timestamp_ms_ = tip->block.timestamp_ms;
    }
  }
  fetch_peer_ = id_;
  for (const PreparedCertificate& cert : st.prepared) {
    if (cert.seq <= stable_.seq) continue;
    Slot& slot = log_[cert.seq];
    if (!slot.prepared || slot.prepared->view < cert.view) slot.prepared = cert;
  }
  if (!in_view_change_) {
    for (const PrePrepareRecord& rec : st.preprepares) {
      if (rec.seq <= stable_.seq || rec.view != view_) continue;
      next_seq_ = std::max(next_seq_, rec.seq + 1);
      accept_preprepare(rec, tx_digests(rec.block), out);
      Slot& slot = log_[rec.seq];
      if (slot.prepared && slot.prepared->view == view_ && !slot.commit_sent) {
        Signature sig{};
        SharedBytes wire = sign_message(Commit{view_, rec.seq, rec.digest}, &sig);
        slot.commits[id_] = VoteSig{rec.digest, sig};
        slot.commit_sent = true;
        broadcast(std::move(wire), out);
      }
    }
  } else if (is_member()) {
    view_changes_[view_];  // rebuild and re-send this replica's VIEW-CHANGE
    broadcast_view_change(out);
  }
  // The CHECKPOINT for the executed state, if it is one above the stable checkpoint: it was
  // not persisted, and the others may need it (the same signed statement as before the crash).
  if (last_executed_ > stable_.seq) after_execute_checkpoint(out);
  update_checkpoint_resend_timer(out);
  start_fetch(std::max(stable_.seq, last_executed_), out);
}

}  // namespace hc::consensus
