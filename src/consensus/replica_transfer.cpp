// State transfer (FETCH / BLOCKS with commit certificates) and restart from persisted state.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

// Fetches committed blocks until last_executed_ >= target (a target at or below
// last_executed_ means "whatever peers have beyond us", one round).
void Replica::start_fetch(SeqNumber target, std::vector<Action>& out) {
  fetch_target_ = std::max(fetch_target_, target);
  if (fetching_) return;
  fetching_ = true;
  send_fetch(out);
}

void Replica::send_fetch(std::vector<Action>& out) {
  out.push_back(SendTo{fetch_peer_, sign_message(Fetch{last_executed_ + 1})});
  out.push_back(SetTimer{TimerKind::kFetch, config_.fetch_retry_ms});
}

void Replica::on_fetch_timer(std::vector<Action>& out) {
  if (fetching_) {
    // No (useful) answer in time: ask the next peer.
    fetch_peer_ = (fetch_peer_ + 1) % config_.replica_count;
    if (fetch_peer_ == id_) fetch_peer_ = (fetch_peer_ + 1) % config_.replica_count;
    if (last_executed_ >= fetch_target_ && !in_view_change_) {
      fetching_ = false;
      return;
    }
    send_fetch(out);
  } else if (in_view_change_) {
    start_fetch(last_executed_, out);  // keep up with the others while waiting for NEW-VIEW
  }
}

void Replica::on_fetch(const Message& msg, std::vector<Action>& out) {
  const Fetch& fetch = std::get<Fetch>(msg.body);
  BlocksReply reply;
  reply.stable = stable_;
  for (SeqNumber h = std::max<SeqNumber>(fetch.from_seq, 1);
       h <= last_executed_ && reply.blocks.size() < config_.max_fetch_blocks; ++h) {
    std::optional<CommittedBlock> cb = app_.load_block(h);
    if (!cb) break;
    reply.blocks.push_back(std::move(*cb));
  }
  out.push_back(SendTo{msg.sender, sign_message(std::move(reply))});
}

void Replica::on_blocks(const Message& msg, std::vector<Action>& out) {
  const BlocksReply& reply = std::get<BlocksReply>(msg.body);
  bool applied = false;
  for (const CommittedBlock& cb : reply.blocks) {
    if (cb.block.height != last_executed_ + 1) continue;
    auto it = log_.find(cb.block.height);
    if (it != log_.end() && it->second.committed && it->second.committed->digest != cb.cert.digest) {
      drop(DropReason::kConflict);  // two certified blocks at one height: more than f faulty
      break;
    }
    execute_block(cb, out);
    if (halted_) return;
    ++stats_.blocks_fetched;
    applied = true;
  }
  if (reply.stable.seq > stable_.seq) {
    auto own = own_checkpoints_.find(reply.stable.seq);
    if (own == own_checkpoints_.end() || own->second == reply.stable.state_digest) {
      make_stable(reply.stable, out);
    }
    if (reply.stable.seq > last_executed_) fetch_target_ = std::max(fetch_target_, reply.stable.seq);
  }
  if (applied) {
    execute_ready(out);  // slots committed above the fetched range may now run
    catchup_tried_ = false;
    arm_request_timer(out);
    maybe_propose(false, out);
  }
  if (!fetching_ || msg.sender != fetch_peer_) return;
  if (applied && (reply.blocks.size() == config_.max_fetch_blocks || last_executed_ < fetch_target_)) {
    send_fetch(out);  // more to come from the same peer
  } else if (last_executed_ >= fetch_target_) {
    fetching_ = false;
    if (in_view_change_) {
      out.push_back(SetTimer{TimerKind::kFetch, 4 * config_.fetch_retry_ms});
    } else {
      out.push_back(CancelTimer{TimerKind::kFetch});
    }
  }
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
  fetch_peer_ = (id_ + 1) % config_.replica_count;
  for (const PreparedCertificate& cert : st.prepared) {
    if (cert.seq <= stable_.seq) continue;
    Slot& slot = log_[cert.seq];
    if (!slot.prepared || slot.prepared->view < cert.view) slot.prepared = cert;
  }
  if (!in_view_change_) {
    for (const PrePrepareRecord& rec : st.preprepares) {
      if (rec.seq <= stable_.seq || rec.view != view_) continue;
      next_seq_ = std::max(next_seq_, rec.seq + 1);
      accept_preprepare(rec, out);
      Slot& slot = log_[rec.seq];
      if (slot.prepared && slot.prepared->view == view_ && !slot.commit_sent) {
        Signature sig{};
        SharedBytes wire = sign_message(Commit{view_, rec.seq, rec.digest}, &sig);
        slot.commits[id_] = VoteSig{rec.digest, sig};
        slot.commit_sent = true;
        out.push_back(Broadcast{std::move(wire)});
      }
    }
  } else {
    view_changes_[view_];  // rebuild and re-send this replica's VIEW-CHANGE
    broadcast_view_change(out);
  }
  start_fetch(std::max(stable_.seq, last_executed_), out);
}

}  // namespace hc::consensus
