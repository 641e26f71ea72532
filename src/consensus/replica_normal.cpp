// Normal-case operation: the pending pool, batching, PRE-PREPARE / PREPARE / COMMIT and
// in-order execution.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

void Replica::on_client_tx(const ClientTransaction& ct, std::vector<Action>& out) {
  // A replica outside the current configuration orders nothing: the client resends elsewhere.
  if (!is_member() || ct.tx.size() > config_.max_tx_bytes || pending_.size() >= config_.max_pending_txs ||
      pending_.bytes() + ct.tx.size() > config_.max_pending_bytes) {
    ++stats_.client_txs_rejected;
    return;
  }
  const Digest d = tx_digest(ct.tx);
  if (pending_.contains(d) || app_.contains_tx(d)) return;  // already known: not an error
  if (!app_.check_tx(ct.tx).ok()) {
    ++stats_.client_txs_rejected;
    return;
  }
  PendingTx p;
  p.id = d;
  p.tx = ct.tx;
  p.arrival_no = next_arrival_no_++;
  p.arrival_ms = now_ms_;
  p.inflight = inflight_.contains(d);
  pending_.add(std::move(p));
  arm_request_timer(out);
  maybe_propose(false, out);
}

// The primary cuts blocks from its queue (batching); with an empty queue and nothing in flight
// it proposes an empty block when the application wants_block(), at most one per
// idle_block_interval_ms after the last block's timestamp, waking itself with the batch timer.
void Replica::maybe_propose(bool batch_timer_fired, std::vector<Action>& out) {
  if (!is_primary() || in_view_change_) return;
  next_seq_ = std::max({next_seq_, last_executed_ + 1, stable_.seq + 1});
  const auto new_block = [this] {
    Block block;
    block.height = next_seq_;
    block.timestamp_ms = std::max(now_ms_, last_block_timestamp_ms_);
    block.view = view_;
    block.proposer = id_;
    last_block_timestamp_ms_ = block.timestamp_ms;
    return block;
  };
  const auto send_proposal = [this, &out](Block block, std::vector<Digest> ids) {
    // The ids were hashed when the transactions arrived: the block's digest reuses them.
    const Digest digest = block_digest_of(block.height, block.timestamp_ms, block.view, block.proposer, ids);
    PrePrepareRecord rec{view_, next_seq_, digest, {}, std::move(block)};
    rec.primary_sig = sign_vote(MsgType::kPrePrepare, rec.view, rec.seq, rec.digest);
    ++next_seq_;
    out.push_back(Persist{false, encode_preprepare_record(rec)});
    // The block is lent to the message for its encoding, then taken back (no copy).
    Message msg{id_, PrePrepare{rec.view, rec.seq, rec.digest, std::move(rec.block)}, rec.primary_sig, current_.number};
    broadcast(encode_within_budget(msg), out);
    rec.block = std::move(std::get<PrePrepare>(msg.body).block);
    Slot& slot = log_[rec.seq];
    slot.pp = std::move(rec);
    slot.tx_ids = std::move(ids);
  };
  bool force = batch_timer_fired;
  while (pending_.queued() > 0) {
    const SeqNumber in_flight = next_seq_ - 1 - last_executed_;
    if (next_seq_ > high_watermark() || in_flight >= config_.max_inflight_blocks) return;
    // Cut a block when it is full or its oldest transaction has waited the batching delay.
    const bool full = pending_.queued() >= config_.max_batch_txs || pending_.queued_bytes() >= config_.max_batch_bytes;
    const std::uint64_t oldest_ms = pending_.oldest_queued()->arrival_ms;
    const std::uint64_t due_ms = oldest_ms + config_.max_batch_delay_ms;
    if (!full && !force && due_ms > now_ms_) {
      if (!batch_timer_armed_) {
        out.push_back(SetTimer{TimerKind::kBatch, due_ms - now_ms_});
        batch_timer_armed_ = true;
      }
      return;
    }
    force = false;
    Block block = new_block();
    std::vector<Digest> ids;
    const std::size_t most = std::min<std::size_t>(pending_.queued(), config_.max_batch_txs);
    block.txs.reserve(most);
    ids.reserve(most);
    std::size_t bytes = 0;
    while (pending_.queued() > 0 && block.txs.size() < config_.max_batch_txs) {
      const PendingTx& p = *pending_.oldest_queued();
      if (!app_.check_tx(p.tx).ok()) {  // no longer valid on the current state: drop it
        ++stats_.client_txs_rejected;
        pending_.remove(Digest{p.id});
        continue;
      }
      if (!block.txs.empty() && bytes + p.tx.size() > config_.max_batch_bytes) break;
      bytes += p.tx.size();
      block.txs.push_back(p.tx);
      ids.push_back(p.id);
      inflight_[p.id] = next_seq_;
      pending_.take_oldest_queued();
    }
    drop_failing_deferred(block.txs, ids);
    if (block.txs.empty()) continue;  // every one failed: nothing to propose from them
    send_proposal(std::move(block), std::move(ids));
  }
  // Idle: only with nothing in flight (executing the last proposal calls back here).
  // A change waiting for its boundary also needs the height to advance (section 2c).
  const bool change_pending = schedule_.next_boundary(last_executed_ + 1).has_value();
  if (next_seq_ != last_executed_ + 1 || next_seq_ > high_watermark() || !(change_pending || app_.wants_block())) {
    return;
  }
  const std::uint64_t idle_due_ms = last_block_timestamp_ms_ + config_.idle_block_interval_ms;
  if (idle_due_ms > now_ms_) {
    // Replaces any batch timer (the queue is empty); a transaction arriving re-arms it for
    // its batching delay, since batch_timer_armed_ stays false.
    out.push_back(SetTimer{TimerKind::kBatch, idle_due_ms - now_ms_});
    batch_timer_armed_ = false;
    return;
  }
  send_proposal(new_block(), {});
}

// Called for the block at last_executed_ + 1 only, so its parent is the last executed block.
// Timestamp rule: parent's timestamp <= timestamp <= this replica's clock + max_clock_skew_ms.
Status Replica::block_acceptable(const Block& block, const std::vector<Digest>& tx_ids) const {
  if (block.timestamp_ms < last_executed_timestamp_ms_) {
    return invalid_input("block timestamp is before its parent's");
  }
  if (block.timestamp_ms > now_ms_ && block.timestamp_ms - now_ms_ > config_.max_clock_skew_ms) {
    return invalid_input("block timestamp is too far ahead of this replica's clock");
  }
  for (const Digest& id : tx_ids) {
    auto it = inflight_.find(id);
    if (it != inflight_.end() && it->second != block.height) {
      return invalid_input("transaction already proposed at another height");
    }
  }
  return app_.validate_block(block);
}

// Takes the block out of msg when it accepts it (msg is the caller's to discard). tx_ids are
// the block's transaction ids (from precheck).
void Replica::on_preprepare(Message& msg, std::vector<Digest> tx_ids, std::vector<Action>& out) {
  PrePrepare& pp = std::get<PrePrepare>(msg.body);
  Slot& slot = log_[pp.seq];
  if (slot.pp) return drop(slot.pp->digest == pp.digest ? DropReason::kDuplicate : DropReason::kConflict);
  if (slot.committed && slot.committed->digest != pp.digest) return drop(DropReason::kConflict);
  if (pp.seq <= last_executed_ && !slot.committed) {
    // Executed, but not through this log (state transfer, or before a restart): the only block
    // this replica may PREPARE at that height is the one it executed. (Heights at or below the
    // stable checkpoint, whose slots are garbage-collected, never get here: precheck refuses
    // them as outside the window.) The read is charged to the sender's state-transfer
    // allowance, so a replayed PRE-PREPARE costs at most the allowance's reads.
    std::uint64_t& allowance = fetch_allowance(msg.sender);
    if (allowance < kMinServeChargeBytes) return drop(DropReason::kRateLimited);
    const std::optional<CommittedBlock> executed = app_.load_block(pp.seq);
    const std::uint64_t cost = executed ? encoded_block_size(executed->block) : 0;
    allowance -= std::min(allowance, std::max(kMinServeChargeBytes, cost));
    if (!executed || executed->cert.digest != pp.digest) return drop(DropReason::kConflict);
  }
  if (pp.seq > last_executed_ + 1 && !slot.committed) {
    // Validate a block on exactly the state it will be applied to: wait until its predecessor
    // has executed (validate_deferred), so no block that f+1 correct replicas accepted can fail
    // later when it is committed. Bounded by the window (precheck) and cleared on view change.
    const SeqNumber seq = pp.seq;
    awaiting_validation_.try_emplace(seq, AwaitingPrePrepare{std::move(msg), std::move(tx_ids)});
    return;
  }
  if (pp.seq > last_executed_ && !slot.committed && !block_acceptable(pp.block, tx_ids).ok()) {
    return drop(DropReason::kRejectedBlock);
  }
  accept_preprepare(PrePrepareRecord{pp.view, pp.seq, pp.digest, msg.sig, std::move(pp.block)}, std::move(tx_ids),
                    out);
}

// Records the pre-prepare (persist first), PREPAREs it as a backup, then checks progress.
void Replica::accept_preprepare(PrePrepareRecord rec, std::vector<Digest> tx_ids,
                                std::vector<Action>& out) {
  const SeqNumber seq = rec.seq;
  last_block_timestamp_ms_ = std::max(last_block_timestamp_ms_, rec.block.timestamp_ms);
  if (seq > last_executed_) {
    for (const Digest& d : tx_ids) {
      inflight_[d] = seq;
      pending_.set_inflight(d);
    }
  }
  out.push_back(Persist{false, encode_preprepare_record(rec)});
  Slot& slot = log_[seq];
  if (primary_of(rec.view) != id_) {
    Signature sig{};
    SharedBytes wire = sign_message(Prepare{rec.view, seq, rec.digest}, &sig);
    slot.prepares[id_] = VoteSig{rec.digest, sig};
    broadcast(std::move(wire), out);
  }
  slot.pp = std::move(rec);
  slot.tx_ids = std::move(tx_ids);
  check_prepared(seq, out);
}

void Replica::on_vote(const Message& msg, std::vector<Action>& out) {
  const bool is_prepare = msg.type() == MsgType::kPrepare;
  SeqNumber seq = 0;
  Digest digest{};
  if (is_prepare) {
    const Prepare& p = std::get<Prepare>(msg.body);
    seq = p.seq;
    digest = p.digest;
  } else {
    const Commit& c = std::get<Commit>(msg.body);
    seq = c.seq;
    digest = c.digest;
  }
  Slot& slot = log_[seq];
  auto& votes = is_prepare ? slot.prepares : slot.commits;
  auto [it, inserted] = votes.emplace(msg.sender, VoteSig{digest, msg.sig});
  if (!inserted) return drop(it->second.digest == digest ? DropReason::kDuplicate : DropReason::kConflict);
  if (is_prepare) return check_prepared(seq, out);
  check_committed(seq, out);
  // Executing may have made a checkpoint stable and dropped this slot: look it up again.
  auto again = log_.find(seq);
  if (again != log_.end() && !again->second.committed && seq > last_executed_) {
    std::uint32_t matching = 0;
    for (const auto& [replica, vote] : again->second.commits) matching += vote.digest == digest ? 1 : 0;
    if (matching >= current_.weak_quorum()) note_behind(seq, 0, out);
  }
}

void Replica::check_prepared(SeqNumber seq, std::vector<Action>& out) {
  Slot& slot = log_[seq];
  if (!slot.pp || slot.commit_sent) return;
  const ReplicaId primary = primary_of(view_);
  std::vector<SignedBy> sigs;
  for (const auto& [replica, vote] : slot.prepares) {
    if (replica != primary && vote.digest == slot.pp->digest) sigs.push_back({replica, vote.sig});
  }
  if (sigs.size() < current_.prepares_needed()) return;
  sigs.resize(current_.prepares_needed());
  PreparedCertificate cert{view_, seq, slot.pp->digest, slot.pp->block, slot.pp->primary_sig,
                           std::move(sigs)};
  out.push_back(Persist{false, encode_prepared_record(cert)});
  slot.prepared = std::move(cert);
  Signature sig{};
  SharedBytes wire = sign_message(Commit{view_, seq, slot.pp->digest}, &sig);
  slot.commits[id_] = VoteSig{slot.pp->digest, sig};
  slot.commit_sent = true;
  broadcast(std::move(wire), out);
  check_committed(seq, out);
}

void Replica::check_committed(SeqNumber seq, std::vector<Action>& out) {
  Slot& slot = log_[seq];
  if (!slot.commit_sent || slot.committed) return;
  CommitCertificate cert{view_, seq, slot.pp->digest, {}};
  for (const auto& [replica, vote] : slot.commits) {
    if (vote.digest == cert.digest && cert.commits.size() < current_.quorum()) {
      cert.commits.push_back({replica, vote.sig});
    }
  }
  if (cert.commits.size() < current_.quorum()) return;
  slot.committed = cert;
  slot.committed_block = std::make_shared<const CommittedBlock>(CommittedBlock{slot.pp->block, std::move(cert)});
  execute_ready(out);
}

void Replica::execute_ready(std::vector<Action>& out) {
  if (execute_committed_slots(out)) after_execution(out);
}

// Executes the committed slots that follow the last executed height; true if any ran.
bool Replica::execute_committed_slots(std::vector<Action>& out) {
  bool progressed = false;
  while (!halted_) {
    auto it = log_.find(last_executed_ + 1);
    if (it == log_.end() || !it->second.committed) break;
    Slot& slot = it->second;
    // The ids hashed when the PRE-PREPARE arrived (a slot filled otherwise hashes them here).
    // execute_block reads them before anything can drop the slot (after_execute_checkpoint).
    std::vector<Digest> hashed;
    if (slot.tx_ids.size() != slot.committed_block->block.txs.size()) hashed = tx_digests(slot.committed_block->block);
    execute_block(slot.committed_block, hashed.empty() ? slot.tx_ids : hashed, out);
    progressed = true;
  }
  return progressed;
}

// The height advanced (through the log or by state transfer): a PRE-PREPARE that waited for
// this parent is validated now, and the timers and the proposer catch up with the new height.
void Replica::after_execution(std::vector<Action>& out) {
  if (halted_) return;
  catchup_tried_ = false;
  validate_deferred(out);
  arm_request_timer(out);
  maybe_propose(false, out);
}

void Replica::validate_deferred(std::vector<Action>& out) {
  awaiting_validation_.erase(awaiting_validation_.begin(), awaiting_validation_.upper_bound(last_executed_));
  auto it = awaiting_validation_.find(last_executed_ + 1);
  if (it == awaiting_validation_.end()) return;
  AwaitingPrePrepare awaiting = std::move(it->second);
  awaiting_validation_.erase(it);
  if (std::get<PrePrepare>(awaiting.msg.body).view == view_ && !in_view_change_) {
    on_preprepare(awaiting.msg, std::move(awaiting.tx_ids), out);
  }
}

void Replica::execute_block(std::shared_ptr<const CommittedBlock> shared, const std::vector<Digest>& tx_ids,
                            std::vector<Action>& out) {
  // The Deliver action shares the slot's committed block: no copy of its transactions.
  const CommittedBlock& cb = *shared;
  last_block_timestamp_ms_ = std::max(last_block_timestamp_ms_, cb.block.timestamp_ms);
  if (!app_.commit_block(*shared).ok()) {
    halted_ = true;  // a local fault: stop rather than diverge
    return;
  }
  last_executed_ = cb.block.height;
  last_executed_timestamp_ms_ = cb.block.timestamp_ms;
  learn_changes(cb.block.height);
  ++stats_.blocks_executed;
  remove_pending(tx_ids);  // tx_ids may be the slot's: used before the checkpoint may drop it
  out.push_back(Deliver{std::move(shared)});
  after_execute_checkpoint(out);
  update_checkpoint_resend_timer(out);
}

void Replica::remove_pending(const std::vector<Digest>& tx_ids) {
  for (const Digest& d : tx_ids) {
    inflight_.erase(d);
    pending_.remove(d);
  }
}

void Replica::arm_request_timer(std::vector<Action>& out) {
  if (catchup_tried_) return;  // the catch-up grace period is running
  if (in_view_change_ || pending_.empty()) {
    if (request_timer_at_ms_) {
      out.push_back(CancelTimer{TimerKind::kRequest});
      request_timer_at_ms_.reset();
    }
    return;
  }
  const std::uint64_t deadline = request_deadline_ms(*pending_.oldest());
  if (request_timer_at_ms_ == deadline) return;
  request_timer_at_ms_ = deadline;
  out.push_back(SetTimer{TimerKind::kRequest, deadline > now_ms_ ? deadline - now_ms_ : 0});
}

// A pending transaction can become invalid after it was admitted (its sealed content committed
// under another transaction id, its group epoch revoked): the primary then rightly never
// proposes it, so it must not count against the primary. Drops the oldest pending
// transactions that no longer pass check_tx, at most max_batch_txs per call (bounded work).
void Replica::drop_invalidated_oldest() {
  for (std::uint32_t i = 0; i < config_.max_batch_txs && !pending_.empty(); ++i) {
    const PendingTx& oldest = *pending_.oldest();
    if (oldest.inflight || app_.check_tx(oldest.tx).ok()) return;
    ++stats_.client_txs_rejected;
    remove_pending({oldest.id});
  }
}

// The oldest pending transaction is overdue: first try to catch up from a peer (this replica
// may simply be behind), then suspect the primary.
void Replica::on_request_timer(std::vector<Action>& out) {
  request_timer_at_ms_.reset();
  drop_invalidated_oldest();
  if (in_view_change_ || pending_.empty() || !is_member()) return;
  if (!catchup_tried_) {
    const PendingTx& oldest = *pending_.oldest();
    if (request_deadline_ms(oldest) > now_ms_) return arm_request_timer(out);
    if (!oldest.forwarded && !oldest.inflight && !is_primary()) {
      forward_overdue(out);
      return arm_request_timer(out);
    }
    catchup_tried_ = true;
    start_fetch(last_executed_, out);
    request_timer_at_ms_ = now_ms_ + 2 * config_.fetch_retry_ms;
    out.push_back(SetTimer{TimerKind::kRequest, 2 * config_.fetch_retry_ms});
    return;
  }
  catchup_tried_ = false;
  start_view_change(view_ + 1, out);
}

// Suspicion rule (Castro-Liskov, robust to a replica that hands transactions to backups
// only): a backup first forwards a pending transaction the primary has not proposed, once it
// has waited forward_delay_ms, and suspects the primary only when a forwarded (or proposed)
// transaction is still pending request_timeout_ms after the forward (or its arrival). Every
// deadline starts no earlier than the current view. The primary's own transactions get the
// full timeout from arrival.
std::uint64_t Replica::request_deadline_ms(const PendingTx& p) const {
  if (p.forwarded) return std::max(p.forwarded_ms, request_deadline_base_ms_) + config_.request_timeout_ms;
  const std::uint64_t start = std::max(p.arrival_ms, request_deadline_base_ms_);
  if (p.inflight || is_primary()) return start + config_.request_timeout_ms;
  return start + config_.forward_delay_ms;
}

// The application's deferred checks (check_deferred) on `txs` (pending, with these ids):
// the failing ones leave `txs`, `ids` and the pool.
void Replica::drop_failing_deferred(std::vector<Bytes>& txs, std::vector<Digest>& ids) {
  if (txs.empty()) return;
  const std::vector<std::size_t> failing = app_.check_deferred(txs);
  if (failing.empty()) return;
  std::vector<Digest> gone;
  std::vector<Bytes> kept_txs;
  std::vector<Digest> kept_ids;
  std::size_t f = 0;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (f < failing.size() && failing[f] == i) {
      ++f;
      gone.push_back(ids[i]);
      continue;
    }
    kept_txs.push_back(std::move(txs[i]));
    kept_ids.push_back(ids[i]);
  }
  stats_.deferred_checks_failed += gone.size();
  remove_pending(gone);
  txs = std::move(kept_txs);
  ids = std::move(kept_ids);
}

void Replica::forward_overdue(std::vector<Action>& out) {
  // The overdue transactions first pass the deferred checks: a correct backup forwards (and
  // later suspects the primary for) only transactions that are valid in full.
  std::vector<Bytes> overdue;
  std::vector<Digest> overdue_ids;
  pending_.for_each_by_arrival([&](const PendingTx& p) {
    if (std::max(p.arrival_ms, request_deadline_base_ms_) + config_.forward_delay_ms > now_ms_) return false;
    if (!p.forwarded && !p.inflight) {
      overdue.push_back(p.tx);
      overdue_ids.push_back(p.id);
    }
    return true;
  });
  drop_failing_deferred(overdue, overdue_ids);
  constexpr std::size_t kEnvelopeSlackBytes = 1024;
  const std::size_t budget = config_.max_message_bytes - kEnvelopeSlackBytes;
  Forward batch;
  std::size_t batch_bytes = 0;
  const auto flush = [&] {
    if (batch.txs.empty()) return;
    send_to(primary_of(view_), sign_message(std::move(batch)), out);
    batch = Forward{};
    batch_bytes = 0;
  };
  for (std::size_t i = 0; i < overdue_ids.size(); ++i) {
    Bytes& tx = overdue[i];
    if (batch.txs.size() >= config_.max_batch_txs || batch_bytes + tx.size() + 4 > budget) flush();
    batch_bytes += tx.size() + 4;
    batch.txs.push_back(std::move(tx));
    pending_.mark_forwarded(overdue_ids[i], now_ms_);
  }
  flush();
}

// Only the primary takes forwarded transactions; each is checked like a client's.
void Replica::on_forward(const Message& msg, std::vector<Action>& out) {
  if (!is_primary() || in_view_change_) return drop(DropReason::kWrongSender);
  for (const Bytes& tx : std::get<Forward>(msg.body).txs) on_client_tx(ClientTransaction{tx}, out);
}

}  // namespace hc::consensus
