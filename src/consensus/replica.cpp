#include "consensus/replica.h"

#include <algorithm>
#include <set>

#include "consensus/certificates.h"
#include "consensus/message_budget.h"

namespace hc::consensus {

const char* drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::kMalformed: return "malformed";
    case DropReason::kNotMember: return "not_member";
    case DropReason::kBadSignature: return "bad_signature";
    case DropReason::kBadProof: return "bad_proof";
    case DropReason::kStaleView: return "stale_view";
    case DropReason::kOutsideWindow: return "outside_window";
    case DropReason::kWrongSender: return "wrong_sender";
    case DropReason::kDuplicate: return "duplicate";
    case DropReason::kConflict: return "conflict";
    case DropReason::kRejectedBlock: return "rejected_block";
    case DropReason::kBufferFull: return "buffer_full";
    case DropReason::kStale: return "stale";
    case DropReason::kRateLimited: return "rate_limited";
    case DropReason::kWrongConfig: return "wrong_config";
    case DropReason::kQuorumReached: return "quorum_reached";
  }
  return "?";
}

const char* timer_kind_name(TimerKind kind) {
  switch (kind) {
    case TimerKind::kBatch: return "batch";
    case TimerKind::kRequest: return "request";
    case TimerKind::kViewChange: return "view_change";
    case TimerKind::kFetch: return "fetch";
    case TimerKind::kCheckpoint: return "checkpoint";
  }
  return "?";
}

Status ConsensusConfig::validate() const {
  if (replica_count < 4) return invalid_input("replica_count must be at least 4");
  if (replica_id_space != 0 && replica_id_space < replica_count) {
    return invalid_input("replica_id_space must be 0 or at least replica_count");
  }
  if (max_batch_txs == 0 || max_batch_bytes == 0) return invalid_input("empty batch limits");
  if (checkpoint_interval_blocks == 0) return invalid_input("checkpoint interval must be > 0");
  if (window_blocks < 2 * checkpoint_interval_blocks ||
      window_blocks % checkpoint_interval_blocks != 0) {
    return invalid_input("window must be a multiple of, and at least twice, the interval");
  }
  if (max_inflight_blocks == 0 || max_inflight_blocks > window_blocks) {
    return invalid_input("max_inflight_blocks must be in [1, window]");
  }
  if (request_timeout_ms == 0 || view_change_timeout_ms == 0 || fetch_retry_ms == 0 ||
      forward_delay_ms == 0 || idle_block_interval_ms == 0 || checkpoint_resend_ms == 0) {
    return invalid_input("timeouts (and idle_block_interval_ms, checkpoint_resend_ms) must be positive");
  }
  if (max_fetch_blocks == 0 || max_pending_txs == 0) return invalid_input("zero queue bound");
  if (max_pending_bytes < max_tx_bytes) return invalid_input("max_pending_bytes below max_tx_bytes");
  if (max_message_bytes < blocks_reply_overhead_bytes(*this) + max_committed_block_bytes(*this)) {
    return invalid_input("max_message_bytes cannot hold one maximum-size block");
  }
  HC_RETURN_IF_ERROR(budgets_fit_frame(*this));
  if (chain_id == ChainId{}) return invalid_input("chain_id (the genesis hash) must be set");
  if (fetch_serve_bytes_per_s_per_peer == 0 || fetch_serve_burst_bytes_per_peer == 0) {
    return invalid_input("state-transfer allowances must be positive");
  }
  if (future_view_window == 0 || max_future_messages_per_peer == 0 || max_future_bytes_per_peer == 0) {
    return invalid_input("future-view window and per-peer buffer budgets must be positive");
  }
  return Status();
}

Replica::Replica(const ConsensusConfig& config, ReplicaId id, Signer& signer,
                 Verifier& verifier, Application& app)
    : config_(config),
      limits_(decode_limits(config)),
      schedule_(Configuration::genesis(config.replica_count), config.checkpoint_interval_blocks,
                config.window_blocks),
      current_(Configuration::genesis(config.replica_count)),
      id_(id),
      signer_(signer),
      verifier_(verifier),
      app_(app),
      view_change_timeout_ms_(config.view_change_timeout_ms),
      future_(config.id_space(), config.max_future_messages_per_peer,
              config.max_future_bytes_per_peer),
      fetch_strikes_(config.id_space(), 0),
      fetch_allowance_(config.id_space()) {
  HC_CHECK(config.validate().ok());
  HC_CHECK(id < config.id_space());
}

SeqNumber Replica::high_watermark() const {
  SeqNumber top = std::min(stable_.seq + config_.window_blocks, known_through());
  if (std::optional<SeqNumber> boundary = schedule_.next_boundary(stable_.seq + 1)) top = std::min(top, *boundary);
  return top;
}

BufferUsage Replica::buffered_from(ReplicaId peer) const { return future_.usage(peer); }

std::vector<Digest> Replica::pending_tx_ids() const {
  return pending_.ids();
}

void Replica::handle(const Event& event, std::vector<Action>& out) {
  now_ms_ = event.now_ms;
  if (const auto* loaded = std::get_if<StateLoaded>(&event.what)) {
    on_state_loaded(*loaded, out);
    if (!halted_) maybe_propose(false, out);  // an idle primary may owe an empty block
    return;
  }
  if (!started_ || halted_) return;
  if (const auto* msg = std::get_if<MessageReceived>(&event.what)) {
    on_message(*msg, out);
  } else if (const auto* tx = std::get_if<ClientTransaction>(&event.what)) {
    on_client_tx(*tx, out);
  } else if (const auto* timer = std::get_if<TimerFired>(&event.what)) {
    switch (timer->kind) {
      case TimerKind::kBatch:
        batch_timer_armed_ = false;
        maybe_propose(true, out);
        break;
      case TimerKind::kRequest: on_request_timer(out); break;
      case TimerKind::kViewChange: on_view_change_timer(out); break;
      case TimerKind::kFetch: on_fetch_timer(out); break;
      case TimerKind::kCheckpoint: on_checkpoint_resend_timer(out); break;
    }
  }
  // A boundary was crossed during this event (deep inside execution, state transfer or a
  // NEW-VIEW, enter_configuration): the votes kept for the new configuration are replayed
  // only now, once that step has finished.
  if (replay_for_new_configuration_ && !halted_) {
    replay_for_new_configuration_ = false;
    replay_future(out);
  }
}

SharedBytes Replica::encode_within_budget(const Message& msg) {
  auto wire = std::make_shared<const Bytes>(encode_message(msg));
  // Peers would refuse it (and the transport drop it): count it instead of sending it.
  if (!check_message_budget(msg.type(), wire->size(), config_).ok()) {
    ++stats_.messages_over_budget;
    return nullptr;
  }
  return wire;
}

SharedBytes Replica::sign_message(MessageBody body, Signature* sig_out, std::optional<ConfigNumber> config) {
  Message msg;
  msg.config = config.value_or(current_.number);
  msg.sender = id_;
  msg.body = std::move(body);
  msg.sig = signer_.sign(signing_input(config_.chain_id, msg.config, msg.type(), id_, statement_of(msg.body)));
  if (sig_out != nullptr) *sig_out = msg.sig;
  return encode_within_budget(msg);
}

void Replica::send_to(ReplicaId to, SharedBytes wire, std::vector<Action>& out) {
  if (wire != nullptr) out.push_back(SendTo{to, std::move(wire)});
}

void Replica::broadcast(SharedBytes wire, std::vector<Action>& out) {
  if (wire != nullptr) out.push_back(Broadcast{std::move(wire)});
}

Signature Replica::sign_vote(MsgType type, ViewNumber view, SeqNumber seq, const Digest& digest) {
  return signer_.sign(signing_input(config_.chain_id, current_.number, type, id_, vote_statement(view, seq, digest)));
}

void Replica::on_message(const MessageReceived& received, std::vector<Action>& out) {
  if (received.wire == nullptr) return drop(DropReason::kMalformed);
  Result<Message> decoded = decode_message(*received.wire, limits_);
  if (!decoded.ok()) return drop(DropReason::kMalformed);
  Message msg = std::move(decoded).value();
  // Larger than any honest replica builds for its kind: refused before any signature check.
  if (!check_message_budget(msg.type(), received.wire->size(), config_).ok()) {
    return drop(DropReason::kMalformed);
  }
  if (msg.sender >= config_.id_space() || msg.sender == id_) {
    return drop(DropReason::kNotMember);
  }
  if (auto reason = check_config(msg, out)) {
    if (*reason == DropReason::kWrongConfig && keep_for_next_configuration(msg, received.wire)) return;
    return drop(*reason);
  }
  std::vector<Digest> pp_tx_ids;
  if (auto reason = precheck(msg, pp_tx_ids)) return drop(*reason);
  if (auto reason = verify(msg)) return drop(*reason);
  ++stats_.messages_accepted;
  if (is_future(msg)) {
    note_future_view(msg, out);
    return buffer_future(msg, received.wire);
  }
  dispatch(std::move(msg), std::move(pp_tx_ids), out);
}

// Messages beyond the future-view window are not kept: this replica reaches such a view only
// through a NEW-VIEW (or state transfer), after which new messages of that view follow.
void Replica::buffer_future(const Message& msg, SharedBytes wire) {
  const ViewNumber v = message_view(msg);  // >= view_ (precheck)
  if (v - view_ > config_.future_view_window) return drop(DropReason::kOutsideWindow);
  add_to_buffer(msg, std::move(wire));
}

void Replica::add_to_buffer(const Message& msg, SharedBytes wire) {
  std::size_t evicted = 0;
  switch (future_.add(msg.sender, msg.config, msg.type(), message_view(msg), message_seq(msg), std::move(wire),
                      &evicted)) {
    case FutureBuffer::AddResult::kAdded: break;
    case FutureBuffer::AddResult::kDuplicate: drop(DropReason::kDuplicate); break;
    case FutureBuffer::AddResult::kFull: drop(DropReason::kBufferFull); break;
  }
  for (std::size_t i = 0; i < evicted; ++i) drop(DropReason::kBufferFull);
}

// A PRE-PREPARE, PREPARE or COMMIT of the configuration after this replica's: its sender has
// crossed a boundary this replica has not (it is still executing up to it, or fetching). Such a
// vote is kept, verified and within its sender's budget, and replayed once this replica enters
// that configuration: otherwise a replica that crosses by state transfer after the others voted
// on the first blocks above the boundary may never see those votes again (docs/consensus.md,
// section 2c, bug 13). Only the first window above the boundary and the first views of the new
// configuration can hold such a vote. false if msg is of no such kind (the caller drops it as
// wrong_config); true if it was kept or dropped here.
bool Replica::keep_for_next_configuration(const Message& msg, const SharedBytes& wire) {
  if (msg.config != current_.number + 1) return false;
  const MsgType type = msg.type();
  if (type != MsgType::kPrePrepare && type != MsgType::kPrepare && type != MsgType::kCommit) return false;
  const SeqNumber seq = message_seq(msg);
  // Where the first window of the next configuration lies: above its boundary if this replica
  // knows the change already. Otherwise the change is accepted by a block not executed here,
  // so its boundary is above known_through() (whose sequence numbers all belong to the current
  // configuration); a boundary more than a window beyond that means this replica is far behind
  // and will catch up by state transfer, so its votes are not kept.
  SeqNumber after = known_through();
  SeqNumber last = after + 2 * static_cast<SeqNumber>(config_.window_blocks);
  if (const Configuration* next = schedule_.by_number(msg.config)) {
    if (!next->contains(msg.sender)) {
      drop(DropReason::kNotMember);
      return true;
    }
    if (std::optional<SeqNumber> boundary = schedule_.next_boundary(stable_.seq + 1)) {
      after = *boundary;
      last = *boundary + config_.window_blocks;
    }
  }
  if (seq <= after || seq > last || message_view(msg) > config_.future_view_window) {
    drop(DropReason::kOutsideWindow);
    return true;
  }
  if (auto reason = verify(msg)) {
    drop(*reason);
    return true;
  }
  ++stats_.messages_accepted;
  ++stats_.next_config_messages_kept;
  add_to_buffer(msg, wire);
  return true;
}

void Replica::replay_future(std::vector<Action>& out) {
  future_.retain(current_.number, view_, view_ + config_.future_view_window);
  for (SharedBytes& wire : future_.take(current_.number)) {
    Result<Message> decoded = decode_message(*wire, limits_);
    if (!decoded.ok()) continue;  // cannot happen: it decoded on arrival
    Message m = std::move(decoded).value();
    // Kept before this configuration was entered (perhaps before it was known): its sender's
    // membership is checked now.
    if (auto reason = check_config(m, out)) {
      drop(*reason);
      continue;
    }
    if (is_future(m)) {
      buffer_future(m, std::move(wire));
      continue;
    }
    std::vector<Digest> pp_tx_ids;
    if (!precheck(m, pp_tx_ids)) dispatch(std::move(m), std::move(pp_tx_ids), out);
  }
}

SeqNumber Replica::message_seq(const Message& msg) {
  if (const auto* pp = std::get_if<PrePrepare>(&msg.body)) return pp->seq;
  if (const auto* p = std::get_if<Prepare>(&msg.body)) return p->seq;
  if (const auto* c = std::get_if<Commit>(&msg.body)) return c->seq;
  return 0;
}

ViewNumber Replica::message_view(const Message& msg) {
  if (const auto* pp = std::get_if<PrePrepare>(&msg.body)) return pp->view;
  if (const auto* p = std::get_if<Prepare>(&msg.body)) return p->view;
  if (const auto* c = std::get_if<Commit>(&msg.body)) return c->view;
  return 0;
}

// f+1 replicas (at least one correct) already work in a later view: this one missed it.
void Replica::note_future_view(const Message& msg, std::vector<Action>& out) {
  const ViewNumber v = message_view(msg);
  if (v <= view_) return;
  future_view_senders_[msg.sender] = std::max(future_view_senders_[msg.sender], v);
  std::vector<ViewNumber> views;
  for (const auto& [sender, sv] : future_view_senders_) {
    if (sv > view_) views.push_back(sv);
  }
  if (views.size() >= current_.weak_quorum()) {
    note_behind(0, *std::min_element(views.begin(), views.end()), out);
  }
}

bool Replica::is_future(const Message& msg) const {
  ViewNumber v = 0;
  if (const auto* pp = std::get_if<PrePrepare>(&msg.body)) v = pp->view;
  else if (const auto* p = std::get_if<Prepare>(&msg.body)) v = p->view;
  else if (const auto* c = std::get_if<Commit>(&msg.body)) v = c->view;
  else return false;
  return v > view_ || in_view_change_;
}

// Whether the slot at seq exists with `field` set (no slot is created here).
template <typename Field>
bool Replica::slot_has(SeqNumber seq, Field Slot::*field) const {
  auto it = log_.find(seq);
  return it != log_.end() && static_cast<bool>(it->second.*field);
}

// Cheap checks against the current state, before any signature is verified. A vote that can
// no longer change anything is dropped here, unverified: a PREPARE once this replica prepared
// the slot in this view (its prepared certificate already holds 2f PREPAREs; the COMMIT is
// sent), a COMMIT once the slot is committed or executed (the certificate holds 2f+1). Votes
// are per view (clear_view_state), so this never drops one a later view could need.
std::optional<DropReason> Replica::precheck(const Message& msg, std::vector<Digest>& pp_tx_ids) const {
  const auto vote_check = [&](ViewNumber v, SeqNumber s) -> std::optional<DropReason> {
    if (v < view_) return DropReason::kStaleView;
    if (s <= stable_.seq || s > high_watermark()) return DropReason::kOutsideWindow;
    return std::nullopt;
  };
  if (const auto* pp = std::get_if<PrePrepare>(&msg.body)) {
    if (auto r = vote_check(pp->view, pp->seq)) return r;
    if (msg.sender != primary_of(pp->view)) return DropReason::kWrongSender;
    const Block& b = pp->block;
    if (b.height != pp->seq) return DropReason::kMalformed;
    pp_tx_ids = tx_digests(b);
    if (block_digest_of(b.height, b.timestamp_ms, b.view, b.proposer, pp_tx_ids) != pp->digest) {
      return DropReason::kMalformed;
    }
    // A PRE-PREPARE proposes a new block, which names this view and its primary. (Blocks
    // re-proposed unchanged from earlier views travel only inside a NEW-VIEW.)
    if (pp->block.view != pp->view || pp->block.proposer != primary_of(pp->view)) {
      return DropReason::kMalformed;
    }
  } else if (const auto* p = std::get_if<Prepare>(&msg.body)) {
    if (auto r = vote_check(p->view, p->seq)) return r;
    if (msg.sender == primary_of(p->view)) return DropReason::kWrongSender;
    if (p->view == view_ && !in_view_change_ && slot_has(p->seq, &Slot::commit_sent)) return DropReason::kQuorumReached;
  } else if (const auto* c = std::get_if<Commit>(&msg.body)) {
    if (auto r = vote_check(c->view, c->seq)) return r;
    if (c->seq <= last_executed_ || slot_has(c->seq, &Slot::committed)) return DropReason::kQuorumReached;
  } else if (const auto* cp = std::get_if<CheckpointMsg>(&msg.body)) {
    if (cp->seq == 0 || cp->seq % config_.checkpoint_interval_blocks != 0) {
      return DropReason::kMalformed;
    }
    if (cp->seq <= stable_.seq) return DropReason::kStale;
  } else if (const auto* vc = std::get_if<ViewChange>(&msg.body)) {
    if (vc->new_view == 0) return DropReason::kMalformed;
  } else if (const auto* nv = std::get_if<NewView>(&msg.body)) {
    if (nv->view < view_ || (nv->view == view_ && !in_view_change_)) return DropReason::kStaleView;
    if (msg.sender != primary_of(nv->view)) return DropReason::kWrongSender;
  } else if (const auto* reply = std::get_if<BlockReply>(&msg.body)) {
    // Only a block the awaited NEW-VIEW still needs is worth a signature check.
    if (!awaited_new_view_ || !awaited_new_view_->plan.digests.contains(reply->block.height) ||
        awaited_new_view_->blocks.contains(reply->block.height)) {
      return DropReason::kStale;
    }
  }
  return std::nullopt;
}

std::optional<DropReason> Replica::verify(const Message& msg) {
  if (const auto* vc = std::get_if<ViewChange>(&msg.body)) {
    const Status s = verify_view_change(SignedViewChange{msg.sender, *vc, msg.sig}, config_, schedule_,
                                        current_.number, known_through(), verifier_);
    if (s.ok()) return std::nullopt;
    return s.code() == ErrorCode::kAuthFailed ? DropReason::kBadSignature : DropReason::kBadProof;
  }
  if (!verifier_.verify(msg.sender,
                        signing_input(config_.chain_id, msg.config, msg.type(), msg.sender, statement_of(msg.body)),
                        msg.sig)) {
    return DropReason::kBadSignature;
  }
  if (std::holds_alternative<NewView>(msg.body)) return verify_new_view(msg);
  if (const auto* reply = std::get_if<BlocksReply>(&msg.body)) return verify_blocks(*reply);
  return std::nullopt;
}

std::optional<DropReason> Replica::verify_new_view(const Message& msg) {
  const NewView& nv = std::get<NewView>(msg.body);
  if (nv.view_changes.size() < current_.quorum()) return DropReason::kBadProof;
  std::set<ReplicaId> senders;
  for (const SignedViewChange& svc : nv.view_changes) {
    if (svc.vc.new_view != nv.view || !senders.insert(svc.sender).second) {
      return DropReason::kBadProof;
    }
    // Every embedded VIEW-CHANGE is checked under this configuration's number: a NEW-VIEW
    // never mixes configurations.
    if (!verify_view_change(svc, config_, schedule_, current_.number, known_through(), verifier_).ok()) {
      return DropReason::kBadProof;
    }
  }
  const std::optional<NewViewPlan> plan = plan_new_view(nv.view_changes);
  if (!plan || plan->digests.size() != nv.preprepares.size()) return DropReason::kBadProof;
  auto it = plan->digests.begin();
  for (const NewViewEntry& e : nv.preprepares) {
    if (e.seq != it->first || e.digest != it->second) return DropReason::kBadProof;
    const Bytes statement = vote_statement(nv.view, e.seq, e.digest);
    if (!verifier_.verify(msg.sender,
                          signing_input(config_.chain_id, current_.number, MsgType::kPrePrepare, msg.sender, statement),
                          e.sig)) {
      return DropReason::kBadProof;
    }
    ++it;
  }
  return std::nullopt;
}

// Only the structure here: each block's certificate is checked with the configuration of its
// height, which may depend on the blocks before it in the same reply, so on_blocks checks each
// one just before executing it, and the checkpoint proof once they are executed (section 2c).
std::optional<DropReason> Replica::verify_blocks(const BlocksReply& reply) {
  for (std::size_t i = 1; i < reply.blocks.size(); ++i) {
    if (reply.blocks[i].block.height != reply.blocks[i - 1].block.height + 1) return DropReason::kMalformed;
  }
  return std::nullopt;
}

void Replica::dispatch(Message msg, std::vector<Digest> pp_tx_ids, std::vector<Action>& out) {
  switch (msg.type()) {
    case MsgType::kPrePrepare: on_preprepare(msg, std::move(pp_tx_ids), out); break;
    case MsgType::kPrepare:
    case MsgType::kCommit: on_vote(msg, out); break;
    case MsgType::kCheckpoint: on_checkpoint(msg, out); break;
    case MsgType::kViewChange: on_view_change(msg, out); break;
    case MsgType::kNewView: on_new_view(msg, out); break;
    case MsgType::kFetch: on_fetch(msg, out); break;
    case MsgType::kBlocks: on_blocks(msg, out); break;
    case MsgType::kForward: on_forward(msg, out); break;
    case MsgType::kBlockRequest: on_block_request(msg, out); break;
    case MsgType::kBlockReply: on_block_reply(msg, out); break;
  }
}

}  // namespace hc::consensus
