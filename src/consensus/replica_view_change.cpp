// View change: VIEW-CHANGE with prepared certificates, NEW-VIEW with 2f+1 of them, and the
// re-proposal of every prepared block in the new view.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

void Replica::clear_view_state() {
  awaiting_validation_.clear();
  for (auto& [seq, slot] : log_) {
    slot.pp.reset();
    slot.prepares.clear();
    slot.commits.clear();
    slot.commit_sent = false;
  }
  inflight_.clear();
  if (batch_timer_armed_) batch_timer_armed_ = false;
}

void Replica::start_view_change(ViewNumber new_view, std::vector<Action>& out) {
  HC_CHECK(new_view > view_);
  ++stats_.view_changes_started;
  view_ = new_view;
  in_view_change_ = true;
  clear_view_state();
  out.push_back(Persist{false, encode_view_record(view_, true)});
  out.push_back(CancelTimer{TimerKind::kBatch});
  out.push_back(CancelTimer{TimerKind::kRequest});
  request_timer_at_ms_.reset();
  catchup_tried_ = false;
  view_change_escalating_ = false;
  out.push_back(SetTimer{TimerKind::kViewChange, config_.view_change_timeout_ms});
  view_changes_.erase(view_changes_.begin(), view_changes_.lower_bound(view_));
  future_.retain_views(view_, view_ + config_.future_view_window);
  broadcast_view_change(out);
  start_fetch(last_executed_, out);
}

void Replica::broadcast_view_change(std::vector<Action>& out) {
  ViewChange vc;
  vc.new_view = view_;
  vc.stable = stable_;
  for (const auto& [seq, slot] : log_) {
    if (seq > stable_.seq && slot.prepared) vc.prepared.push_back(*slot.prepared);
  }
  Signature sig{};
  SharedBytes wire = sign_message(vc, &sig);
  view_changes_[view_][id_] = SignedViewChange{id_, std::move(vc), sig};
  out.push_back(Broadcast{std::move(wire)});
  maybe_arm_view_change_timer(out);
  try_send_new_view(out);
}

// As in the paper, the escalation timer runs only once 2f+1 replicas have left the previous
// view, so one lagging replica does not race through views alone; each expiry doubles the
// next wait. A replica counts as having left it when its latest VIEW-CHANGE is for this view
// or a later one: otherwise honest replicas split across two views, each group smaller than
// 2f+1 and the higher one smaller than f+1, would wait for each other for ever (issue 12,
// item 8). Before that, the timer only re-sends this replica's VIEW-CHANGE (it may be lost).
void Replica::maybe_arm_view_change_timer(std::vector<Action>& out) {
  if (!in_view_change_ || view_change_escalating_) return;
  std::size_t left_previous_view = 0;
  for (auto it = view_changes_.lower_bound(view_); it != view_changes_.end(); ++it) {
    left_previous_view += it->second.size();
  }
  if (left_previous_view < config_.quorum()) return;
  out.push_back(SetTimer{TimerKind::kViewChange, view_change_timeout_ms_});
  view_change_escalating_ = true;
  view_change_timeout_ms_ = std::min(2 * view_change_timeout_ms_, config_.max_view_change_timeout_ms);
}

void Replica::on_view_change_timer(std::vector<Action>& out) {
  if (!in_view_change_) return;
  if (view_change_escalating_) return start_view_change(view_ + 1, out);
  auto it = view_changes_.find(view_);
  if (it != view_changes_.end() && it->second.contains(id_)) {
    const SignedViewChange& own = it->second.at(id_);
    Message msg{id_, own.vc, own.sig};
    out.push_back(Broadcast{std::make_shared<const Bytes>(encode_message(msg))});
  }
  out.push_back(SetTimer{TimerKind::kViewChange, config_.view_change_timeout_ms});
}

void Replica::on_view_change(const Message& msg, std::vector<Action>& out) {
  const ViewChange& vc = std::get<ViewChange>(msg.body);
  if (vc.new_view < view_ || (vc.new_view == view_ && !in_view_change_)) {
    // The sender is behind: show it how this view was formed.
    if (!in_view_change_ && last_new_view_ != nullptr) out.push_back(SendTo{msg.sender, last_new_view_});
    return drop(DropReason::kStaleView);
  }
  // Keep only each replica's latest view change (and no empty view entries), so the store
  // holds at most n VIEW-CHANGEs.
  for (auto it = view_changes_.begin(); it != view_changes_.end();) {
    if (it->first != vc.new_view) it->second.erase(msg.sender);
    it = it->second.empty() ? view_changes_.erase(it) : std::next(it);
  }
  view_changes_[vc.new_view][msg.sender] = SignedViewChange{msg.sender, vc, msg.sig};
  maybe_join_higher_view(out);
  maybe_arm_view_change_timer(out);
  try_send_new_view(out);
}

// f+1 replicas (so at least one correct) want a higher view: join the smallest of them.
void Replica::maybe_join_higher_view(std::vector<Action>& out) {
  std::vector<ViewNumber> views;
  for (const auto& [v, by_sender] : view_changes_) {
    if (v <= view_) continue;
    for (const auto& [sender, svc] : by_sender) {
      if (sender != id_) views.push_back(v);
    }
  }
  if (views.size() < config_.weak_quorum()) return;
  start_view_change(*std::min_element(views.begin(), views.end()), out);
}

void Replica::try_send_new_view(std::vector<Action>& out) {
  if (!in_view_change_ || primary_of(view_) != id_) return;
  auto it = view_changes_.find(view_);
  if (it == view_changes_.end() || it->second.size() < config_.quorum() ||
      !it->second.contains(id_)) {
    return;
  }
  NewView nv;
  nv.view = view_;
  nv.view_changes.push_back(it->second.at(id_));
  for (const auto& [sender, svc] : it->second) {
    if (sender != id_ && nv.view_changes.size() < config_.quorum()) nv.view_changes.push_back(svc);
  }
  std::optional<NewViewPlan> plan = plan_new_view(nv.view_changes);
  HC_CHECK(plan.has_value());  // built from verified view changes
  for (const auto& [seq, entry] : plan->blocks) {
    nv.preprepares.push_back({seq, entry.first, sign_vote(MsgType::kPrePrepare, view_, seq, entry.first)});
  }
  SharedBytes wire = sign_message(nv);
  out.push_back(Broadcast{wire});
  last_new_view_ = wire;
  install_new_view(nv, *plan, out);
}

// The paper's rule: start at the highest stable checkpoint among the view changes; for every
// later seq up to the highest prepared one, re-propose the block prepared in the highest
// view, or an empty (null) block if none was prepared.
std::optional<Replica::NewViewPlan> Replica::plan_new_view(
    const std::vector<SignedViewChange>& vcs) const {
  NewViewPlan plan;
  for (const SignedViewChange& svc : vcs) {
    if (svc.vc.stable.seq > plan.stable.seq) plan.stable = svc.vc.stable;
  }
  plan.max_seq = plan.stable.seq;
  std::map<SeqNumber, const PreparedCertificate*> best;
  for (const SignedViewChange& svc : vcs) {
    for (const PreparedCertificate& cert : svc.vc.prepared) {
      if (cert.seq <= plan.stable.seq) continue;
      plan.max_seq = std::max(plan.max_seq, cert.seq);
      const PreparedCertificate*& b = best[cert.seq];
      if (b == nullptr || cert.view > b->view) b = &cert;
    }
  }
  if (plan.max_seq - plan.stable.seq > config_.window_blocks) return std::nullopt;
  for (SeqNumber s = plan.stable.seq + 1; s <= plan.max_seq; ++s) {
    auto it = best.find(s);
    if (it != best.end()) {
      plan.blocks.emplace(s, std::make_pair(it->second->digest, it->second->block));
    } else {
      Block null_block;
      null_block.height = s;
      const Digest d = block_digest(null_block);
      plan.blocks.emplace(s, std::make_pair(d, std::move(null_block)));
    }
  }
  return plan;
}

void Replica::on_new_view(const Message& msg, std::vector<Action>& out) {
  const NewView& nv = std::get<NewView>(msg.body);
  std::optional<NewViewPlan> plan = plan_new_view(nv.view_changes);
  HC_CHECK(plan.has_value());  // checked in verify_new_view
  last_new_view_ = std::make_shared<const Bytes>(encode_message(msg));
  install_new_view(nv, *plan, out);
}

void Replica::install_new_view(const NewView& nv, const NewViewPlan& plan,
                               std::vector<Action>& out) {
  view_ = nv.view;
  in_view_change_ = true;  // until the plan is installed, nothing may be proposed
  clear_view_state();
  view_changes_.erase(view_changes_.begin(), view_changes_.upper_bound(view_));
  out.push_back(CancelTimer{TimerKind::kViewChange});
  view_change_escalating_ = false;
  view_change_timeout_ms_ = config_.view_change_timeout_ms;
  if (plan.stable.seq > stable_.seq) make_stable(plan.stable, out);
  out.push_back(Persist{false, encode_view_record(view_, false)});
  next_seq_ = std::max({plan.max_seq, last_executed_, stable_.seq}) + 1;
  // in_view_change_ stays set while the plan is installed so nothing new is proposed.
  auto sig = nv.preprepares.begin();
  for (const auto& [seq, entry] : plan.blocks) {
    const Signature primary_sig = (sig++)->sig;
    if (seq <= stable_.seq) continue;
    accept_preprepare(PrePrepareRecord{view_, seq, entry.first, primary_sig, entry.second},
                      tx_digests(entry.second), out);
  }
  in_view_change_ = false;
  reset_pending_for_view();
  if (plan.stable.seq > last_executed_) start_fetch(plan.stable.seq, out);
  replay_future(out);
  arm_request_timer(out);
  maybe_propose(false, out);
}

void Replica::reset_pending_for_view() {
  queue_.clear();
  queue_bytes_ = 0;
  for (auto& [d, p] : pending_) {
    p.inflight = inflight_.contains(d);
    p.forwarded = false;  // the new primary has not been sent it
    if (!p.inflight) {
      queue_.emplace(p.arrival_no, d);
      queue_bytes_ += p.tx.size();
    }
  }
  request_deadline_base_ms_ = now_ms_;
  request_timer_at_ms_.reset();
  catchup_tried_ = false;
}

}  // namespace hc::consensus
