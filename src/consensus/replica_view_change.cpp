// View change: VIEW-CHANGE with prepared proofs (digests), NEW-VIEW with 2f+1 of them, the
// fetching of planned blocks this replica lacks, and the re-proposal of every prepared block
// in the new view.
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
  awaited_new_view_.reset();
  clear_view_state();
  out.push_back(Persist{false, encode_view_record(view_, true)});
  out.push_back(CancelTimer{TimerKind::kBatch});
  out.push_back(CancelTimer{TimerKind::kRequest});
  request_timer_at_ms_.reset();
  catchup_tried_ = false;
  view_change_escalating_ = false;
  out.push_back(SetTimer{TimerKind::kViewChange, config_.view_change_timeout_ms});
  view_changes_.erase(view_changes_.begin(), view_changes_.lower_bound(view_));
  future_.retain(current_.number, view_, view_ + config_.future_view_window);
  broadcast_view_change(out);
  start_fetch(last_executed_, out);
}

void Replica::broadcast_view_change(std::vector<Action>& out) {
  ViewChange vc;
  vc.new_view = view_;
  vc.stable = stable_;
  for (const auto& [seq, slot] : log_) {
    if (seq > stable_.seq && slot.prepared) vc.prepared.push_back(slot.prepared->proof());
  }
  Signature sig{};
  SharedBytes wire = sign_message(vc, &sig);
  view_changes_[view_][id_] = SignedViewChange{id_, std::move(vc), sig};
  broadcast(std::move(wire), out);
  maybe_arm_view_change_timer(out);
  try_send_new_view(out);
}

// As in the paper, the escalation timer runs only once 2f+1 replicas have left the previous
// view, so one lagging replica does not race through views alone; each expiry doubles the
// next wait. A replica counts as having left it when its latest VIEW-CHANGE is for this view
// or a later one: otherwise honest replicas split across two views, each group smaller than
// 2f+1 and the higher one smaller than f+1, would wait for each other for ever (issue 12,
// item 8). Before that, the timer only re-sends this replica's VIEW-CHANGE (it may be lost).
// While a NEW-VIEW waits for blocks, the timer paces the BLOCK-REQUEST retries instead.
void Replica::maybe_arm_view_change_timer(std::vector<Action>& out) {
  if (!in_view_change_ || view_change_escalating_ || awaited_new_view_) return;
  std::size_t left_previous_view = 0;
  for (auto it = view_changes_.lower_bound(view_); it != view_changes_.end(); ++it) {
    left_previous_view += it->second.size();
  }
  if (left_previous_view < current_.quorum()) return;
  out.push_back(SetTimer{TimerKind::kViewChange, view_change_timeout_ms_});
  view_change_escalating_ = true;
  view_change_timeout_ms_ = std::min(2 * view_change_timeout_ms_, config_.max_view_change_timeout_ms);
}

void Replica::on_view_change_timer(std::vector<Action>& out) {
  if (!in_view_change_) return;
  if (awaited_new_view_) {
    // Two rounds over every replica without the missing blocks: suspect this view too.
    if (awaited_new_view_->rounds >= 2 * current_.n()) return start_view_change(view_ + 1, out);
    if (!request_missing_blocks(out)) {
      AwaitedNewView complete = std::move(*awaited_new_view_);
      awaited_new_view_.reset();
      return install_new_view(complete, out);
    }
    out.push_back(SetTimer{TimerKind::kViewChange, config_.fetch_retry_ms});
    return;
  }
  if (view_change_escalating_) return start_view_change(view_ + 1, out);
  auto it = view_changes_.find(view_);
  if (it != view_changes_.end() && it->second.contains(id_)) {
    const SignedViewChange& own = it->second.at(id_);
    broadcast(encode_within_budget(Message{id_, own.vc, own.sig, current_.number}), out);
  }
  out.push_back(SetTimer{TimerKind::kViewChange, config_.view_change_timeout_ms});
}

void Replica::on_view_change(const Message& msg, std::vector<Action>& out) {
  const ViewChange& vc = std::get<ViewChange>(msg.body);
  if (vc.new_view < view_ || (vc.new_view == view_ && !in_view_change_)) {
    // The sender is behind: show it how this view was formed.
    if (!in_view_change_ && last_new_view_ != nullptr) send_to(msg.sender, last_new_view_, out);
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
  if (views.size() < current_.weak_quorum()) return;
  start_view_change(*std::min_element(views.begin(), views.end()), out);
}

void Replica::try_send_new_view(std::vector<Action>& out) {
  if (!in_view_change_ || primary_of(view_) != id_ || awaited_new_view_) return;
  auto it = view_changes_.find(view_);
  if (it == view_changes_.end() || it->second.size() < current_.quorum() ||
      !it->second.contains(id_)) {
    return;
  }
  NewView nv;
  nv.view = view_;
  nv.view_changes.push_back(it->second.at(id_));
  for (const auto& [sender, svc] : it->second) {
    if (sender != id_ && nv.view_changes.size() < current_.quorum()) nv.view_changes.push_back(svc);
  }
  std::optional<NewViewPlan> plan = plan_new_view(nv.view_changes);
  HC_CHECK(plan.has_value());  // built from verified view changes
  for (const auto& [seq, digest] : plan->digests) {
    nv.preprepares.push_back({seq, digest, sign_vote(MsgType::kPrePrepare, view_, seq, digest)});
  }
  SharedBytes wire = sign_message(nv);
  if (wire == nullptr) return;  // over budget (counted): the view-change timer moves on
  broadcast(wire, out);
  last_new_view_ = wire;
  begin_new_view(std::move(nv), std::move(*plan), out);
}

// The paper's rule: start at the highest stable checkpoint among the view changes; for every
// later seq up to the highest prepared one, re-propose the digest prepared in the highest
// view, or an empty (null) block if none was prepared. The replicas whose proofs name that
// digest hold the block (they prepared it), so they are asked for it first.
std::optional<Replica::NewViewPlan> Replica::plan_new_view(
    const std::vector<SignedViewChange>& vcs) const {
  NewViewPlan plan;
  for (const SignedViewChange& svc : vcs) {
    if (svc.vc.stable.seq > plan.stable.seq) plan.stable = svc.vc.stable;
  }
  plan.max_seq = plan.stable.seq;
  std::map<SeqNumber, const PreparedProof*> best;
  for (const SignedViewChange& svc : vcs) {
    for (const PreparedProof& proof : svc.vc.prepared) {
      if (proof.seq <= plan.stable.seq) continue;
      plan.max_seq = std::max(plan.max_seq, proof.seq);
      const PreparedProof*& b = best[proof.seq];
      if (b == nullptr || proof.view > b->view) b = &proof;
    }
  }
  if (plan.max_seq - plan.stable.seq > config_.window_blocks) return std::nullopt;
  for (SeqNumber s = plan.stable.seq + 1; s <= plan.max_seq; ++s) {
    auto it = best.find(s);
    plan.digests.emplace(s, it != best.end() ? it->second->digest : block_digest(null_block(s)));
  }
  for (const SignedViewChange& svc : vcs) {
    for (const PreparedProof& proof : svc.vc.prepared) {
      auto it = best.find(proof.seq);
      if (it != best.end() && proof.digest == it->second->digest) plan.provers[proof.seq].push_back(svc.sender);
    }
  }
  return plan;
}

void Replica::on_new_view(const Message& msg, std::vector<Action>& out) {
  const NewView& nv = std::get<NewView>(msg.body);
  if (awaited_new_view_ && awaited_new_view_->nv.view == nv.view) return drop(DropReason::kDuplicate);
  std::optional<NewViewPlan> plan = plan_new_view(nv.view_changes);
  HC_CHECK(plan.has_value());  // checked in verify_new_view
  last_new_view_ = encode_within_budget(msg);
  begin_new_view(nv, std::move(*plan), out);
}

void Replica::begin_new_view(NewView nv, NewViewPlan plan, std::vector<Action>& out) {
  AwaitedNewView awaited{std::move(nv), std::move(plan), {}, 0};
  // Collect the planned blocks held locally before the view state (the log's PRE-PREPAREs)
  // is cleared.
  for (const auto& [seq, digest] : awaited.plan.digests) {
    if (seq <= stable_.seq) continue;
    if (std::optional<Block> block = find_block(seq, digest)) awaited.blocks.emplace(seq, std::move(*block));
  }
  view_ = awaited.nv.view;
  in_view_change_ = true;  // until the plan is installed, nothing may be proposed
  clear_view_state();
  view_changes_.erase(view_changes_.begin(), view_changes_.upper_bound(view_));
  view_change_escalating_ = false;
  awaited_new_view_ = std::move(awaited);
  if (!request_missing_blocks(out)) {
    AwaitedNewView complete = std::move(*awaited_new_view_);
    awaited_new_view_.reset();
    return install_new_view(complete, out);
  }
  out.push_back(Persist{false, encode_view_record(view_, true)});
  out.push_back(SetTimer{TimerKind::kViewChange, config_.fetch_retry_ms});
}

bool Replica::request_missing_blocks(std::vector<Action>& out) {
  AwaitedNewView& awaited = *awaited_new_view_;
  const std::vector<ReplicaId>& members = current_.members;
  const auto n = static_cast<std::uint32_t>(members.size());
  const auto self = static_cast<std::uint32_t>(std::find(members.begin(), members.end(), id_) - members.begin());
  bool missing = false;
  for (const auto& [seq, digest] : awaited.plan.digests) {
    if (seq <= stable_.seq || awaited.blocks.contains(seq)) continue;
    missing = true;
    // The provers in turn (spread over sequence numbers), then every other replica: a prover
    // may be faulty, and a correct replica that executed the block serves it as well.
    std::vector<ReplicaId> provers;
    if (auto it = awaited.plan.provers.find(seq); it != awaited.plan.provers.end()) {
      for (ReplicaId r : it->second) {
        if (r != id_) provers.push_back(r);
      }
    }
    const std::uint64_t turn = awaited.rounds + seq;
    const ReplicaId to = awaited.rounds < provers.size()
                             ? provers[turn % provers.size()]
                             : members[(self + 1 + turn % (n - 1)) % n];
    send_to(to, sign_message(BlockRequest{view_, seq, digest}), out);
    ++stats_.blocks_requested;
  }
  ++awaited.rounds;
  return missing;
}

void Replica::install_new_view(const AwaitedNewView& awaited, std::vector<Action>& out) {
  const NewViewPlan& plan = awaited.plan;
  view_ = awaited.nv.view;
  in_view_change_ = true;  // until the plan is installed, nothing may be proposed
  out.push_back(CancelTimer{TimerKind::kViewChange});
  view_change_escalating_ = false;
  view_change_timeout_ms_ = config_.view_change_timeout_ms;
  if (plan.stable.seq > stable_.seq) make_stable(plan.stable, out);
  out.push_back(Persist{false, encode_view_record(view_, false)});
  next_seq_ = std::max({plan.max_seq, last_executed_, stable_.seq}) + 1;
  // in_view_change_ stays set while the plan is installed so nothing new is proposed.
  auto sig = awaited.nv.preprepares.begin();
  for (const auto& [seq, digest] : plan.digests) {
    const Signature primary_sig = (sig++)->sig;
    if (seq <= stable_.seq) continue;
    const Block& block = awaited.blocks.at(seq);
    accept_preprepare(PrePrepareRecord{view_, seq, digest, primary_sig, block}, tx_digests(block), out);
  }
  in_view_change_ = false;
  reset_pending_for_view();
  if (plan.stable.seq > last_executed_) start_fetch(plan.stable.seq, out);
  replay_future(out);
  arm_request_timer(out);
  maybe_propose(false, out);
}

void Replica::reset_pending_for_view() {
  // None is forwarded to the new primary yet; in flight are those the new view re-proposed.
  pending_.requeue([this](const Digest& d) { return inflight_.contains(d); });
  request_deadline_base_ms_ = now_ms_;
  request_timer_at_ms_.reset();
  catchup_tried_ = false;
}

}  // namespace hc::consensus
