// Checkpoints: every K executed blocks, 2f+1 matching signed CHECKPOINTs make the state
// stable; the log below it is garbage-collected and the durable log is snapshotted. A replica
// whose window is used up sends its CHECKPOINT again until one is stable.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

void Replica::after_execute_checkpoint(std::vector<Action>& out) {
  const SeqNumber seq = last_executed_;
  if (seq % config_.checkpoint_interval_blocks != 0) return;
  const Digest digest = state_digest(seq, app_.app_hash());
  own_checkpoints_[seq] = digest;
  if (seq <= stable_.seq) return;  // already stable (adopted through state transfer)
  // Signed in the configuration of seq, by its members only (a learner signs nothing).
  const Configuration& cfg = schedule_.at(seq);
  if (cfg.contains(id_)) {
    Signature sig{};
    SharedBytes wire = sign_message(CheckpointMsg{seq, digest}, &sig, cfg.number);
    checkpoint_votes_[seq][id_] = VoteSig{digest, sig, cfg.number};
    broadcast(std::move(wire), out);
  }
  try_stabilize(seq, out);
}

void Replica::on_checkpoint(const Message& msg, std::vector<Action>& out) {
  const CheckpointMsg& cp = std::get<CheckpointMsg>(msg.body);
  SeqNumber& seen = peer_checkpoint_seq_[msg.sender];
  seen = std::max(seen, cp.seq);
  // Votes are kept only up to two windows ahead, so a peer cannot grow this map at will.
  if (cp.seq <= high_watermark() + config_.window_blocks) {
    auto [it, inserted] = checkpoint_votes_[cp.seq].emplace(msg.sender, VoteSig{cp.state_digest, msg.sig, msg.config});
    if (!inserted) drop(DropReason::kDuplicate);
    try_stabilize(cp.seq, out);
  }
  // f+1 peers are at least one interval ahead of what we executed: we are behind. A single
  // peer ahead only schedules a later check (it may be us that is merely a little slow).
  std::vector<SeqNumber> ahead;
  for (const auto& [peer, s] : peer_checkpoint_seq_) {
    if (s >= last_executed_ + config_.checkpoint_interval_blocks) ahead.push_back(s);
  }
  const std::uint32_t weak_quorum = schedule_.newest().weak_quorum();
  if (ahead.size() >= weak_quorum) {
    std::sort(ahead.begin(), ahead.end(), std::greater<>());
    start_fetch(ahead[weak_quorum - 1], out);
  } else if (cp.seq > last_executed_) {
    note_behind(cp.seq, 0, out);
  }
}

void Replica::try_stabilize(SeqNumber seq, std::vector<Action>& out) {
  if (seq <= stable_.seq) return;
  auto own = own_checkpoints_.find(seq);
  auto votes = checkpoint_votes_.find(seq);
  if (own == own_checkpoints_.end() || votes == checkpoint_votes_.end()) return;
  // seq is executed, so its configuration is known; only votes signed in it count.
  const Configuration& cfg = schedule_.at(seq);
  CheckpointProof proof{seq, own->second, {}};
  for (const auto& [replica, vote] : votes->second) {
    if (vote.digest == own->second && vote.config == cfg.number && cfg.contains(replica) &&
        proof.sigs.size() < cfg.quorum()) {
      proof.sigs.push_back({replica, vote.sig});
    }
  }
  if (proof.sigs.size() < cfg.quorum()) return;
  make_stable(std::move(proof), out);
}

void Replica::make_stable(CheckpointProof proof, std::vector<Action>& out) {
  const SeqNumber seq = proof.seq;
  HC_CHECK(seq > stable_.seq);
  stable_ = std::move(proof);
  log_.erase(log_.begin(), log_.upper_bound(seq));
  own_checkpoints_.erase(own_checkpoints_.begin(), own_checkpoints_.lower_bound(seq));
  checkpoint_votes_.erase(checkpoint_votes_.begin(), checkpoint_votes_.upper_bound(seq));
  if (schedule_.at(seq + 1).number != current_.number) enter_configuration(out);
  persist_snapshot(out);
  update_checkpoint_resend_timer(out);
  maybe_propose(false, out);
}

void Replica::update_checkpoint_resend_timer(std::vector<Action>& out) {
  if (window_used_up()) {
    if (checkpoint_resend_armed_) return;
    out.push_back(SetTimer{TimerKind::kCheckpoint, config_.checkpoint_resend_ms});
    checkpoint_resend_armed_ = true;
  } else if (checkpoint_resend_armed_) {
    out.push_back(CancelTimer{TimerKind::kCheckpoint});
    checkpoint_resend_armed_ = false;
  }
}

// CHECKPOINTs are sent once, when the block is executed. Usually a lost one does not matter:
// the next checkpoint, K blocks later, makes the state stable instead. But once the window is
// used up nothing later is ordered, so without this the chain would wait for ever; at a
// configuration boundary the window always ends at the boundary's checkpoint (the reconfig
// soak's stall, docs/consensus.md section 2c). The same signed statement is sent again, so
// this never contradicts anything; one message per replica per checkpoint_resend_ms.
void Replica::on_checkpoint_resend_timer(std::vector<Action>& out) {
  checkpoint_resend_armed_ = false;
  if (!window_used_up()) return;
  for (auto own = own_checkpoints_.rbegin(); own != own_checkpoints_.rend() && own->first > stable_.seq; ++own) {
    auto votes = checkpoint_votes_.find(own->first);
    if (votes == checkpoint_votes_.end()) continue;
    auto mine = votes->second.find(id_);
    if (mine == votes->second.end()) continue;  // not a member of that checkpoint's configuration
    const VoteSig& vote = mine->second;
    broadcast(encode_within_budget(Message{id_, CheckpointMsg{own->first, vote.digest}, vote.sig, vote.config}), out);
    break;
  }
  // A peer that already holds the stable proof hands it over with its BLOCKS reply.
  start_fetch(last_executed_, out);
  update_checkpoint_resend_timer(out);
}

void Replica::persist_snapshot(std::vector<Action>& out) {
  out.push_back(Persist{true, encode_stable_record(stable_)});
  out.push_back(Persist{false, encode_view_record(view_, in_view_change_)});
  for (const auto& [seq, slot] : log_) {
    if (slot.prepared) out.push_back(Persist{false, encode_prepared_record(*slot.prepared)});
    if (slot.pp) out.push_back(Persist{false, encode_preprepare_record(*slot.pp)});
  }
}

}  // namespace hc::consensus
