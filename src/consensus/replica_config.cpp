// Configurations (docs/consensus.md, section 2c): which configuration a message must belong
// to, learning accepted changes from the application, and crossing a boundary.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

std::optional<DropReason> Replica::check_config(const Message& msg, std::vector<Action>& out) {
  // A message of a configuration this replica has not reached: the sender is past a boundary
  // it has not crossed (or lies; a check costs at most one fetch round at the timer's pace).
  const auto wrong = [&](ConfigNumber expected) -> std::optional<DropReason> {
    if (msg.config > expected) note_behind(last_executed_ + 1, 0, out);
    return DropReason::kWrongConfig;
  };
  switch (msg.type()) {
    case MsgType::kFetch:
    case MsgType::kBlocks:
    case MsgType::kBlockRequest:
    case MsgType::kBlockReply:
      // State transfer runs between configurations: what it carries is checked per height.
      return std::nullopt;
    case MsgType::kCheckpoint: {
      // Of the configuration of its sequence number; beyond what this replica knows, of the
      // newest it knows (such a vote only counts once that is confirmed, try_stabilize).
      const SeqNumber seq = std::get<CheckpointMsg>(msg.body).seq;
      const Configuration& cfg = seq <= known_through() ? schedule_.at(seq) : schedule_.newest();
      if (msg.config != cfg.number) return wrong(cfg.number);
      if (!cfg.contains(msg.sender)) return DropReason::kNotMember;
      return std::nullopt;
    }
    case MsgType::kPrePrepare:
    case MsgType::kPrepare:
    case MsgType::kCommit:
    case MsgType::kViewChange:
    case MsgType::kNewView:
    case MsgType::kForward:
      // Agreement inside the window, which belongs to the current configuration only.
      if (msg.config != current_.number) return wrong(current_.number);
      if (!current_.contains(msg.sender) || !current_.contains(id_)) return DropReason::kNotMember;
      return std::nullopt;
  }
  return DropReason::kMalformed;
}

void Replica::learn_changes(SeqNumber height) {
  for (const AcceptedChange& change : app_.accepted_changes(height)) {
    if (change.height != height) continue;
    if (!check_members(change.members, config_.id_space()).ok() || !schedule_.add(change)) {
      ++stats_.changes_ignored;
    }
  }
}

void Replica::load_changes() {
  const SeqNumber executed = app_.last_height();
  for (const AcceptedChange& change : app_.accepted_changes(1)) {
    if (change.height == 0 || change.height > executed) continue;
    if (!check_members(change.members, config_.id_space()).ok() || !schedule_.add(change)) {
      ++stats_.changes_ignored;
    }
  }
}

// Called with stable_ just moved past a boundary (before the snapshot is written). Nothing of
// the old configuration is above the boundary (the window never straddles one), so its view
// state is simply dropped; every member of the new configuration starts in its view 0.
void Replica::enter_configuration(std::vector<Action>& out) {
  current_ = schedule_.at(stable_.seq + 1);
  ++stats_.configurations_entered;
  view_ = 0;
  in_view_change_ = false;
  view_changes_.clear();
  last_new_view_ = nullptr;
  awaited_new_view_.reset();
  // Messages of the old configuration go; those kept for this one are replayed once the
  // current event has been handled (handle).
  future_.retain(current_.number, 0, config_.future_view_window);
  replay_for_new_configuration_ = true;
  future_view_senders_.clear();
  view_change_escalating_ = false;
  view_change_timeout_ms_ = config_.view_change_timeout_ms;
  out.push_back(CancelTimer{TimerKind::kViewChange});
  clear_view_state();
  next_seq_ = stable_.seq + 1;
  if (!is_member()) {
    // A leaving replica: its pool is its clients' to resend elsewhere; it keeps learning the
    // chain by state transfer like any non-member.
    pending_.clear();
  }
  reset_pending_for_view();
  out.push_back(CancelTimer{TimerKind::kRequest});
  arm_request_timer(out);
}

std::vector<ReplicaId> Replica::fetch_peers() const {
  std::vector<ReplicaId> peers;
  for (ReplicaId r : schedule_.newest().members) {
    if (r != id_) peers.push_back(r);
  }
  return peers;
}

}  // namespace hc::consensus
