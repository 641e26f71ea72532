#include "node/replica_driver.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "chain/transaction.h"
#include "common/check.h"

namespace hc::node {

namespace {
Bytes framed(std::uint8_t kind, ByteSpan payload) {
  Bytes out;
  out.reserve(payload.size() + 1);
  out.push_back(kind);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}
}  // namespace

ReplicaDriver::ReplicaDriver(boost::asio::io_context& io, consensus::Replica& replica, net::Transport& transport,
                             WriteAheadLog& wal, DeliverHandler on_deliver)
    : io_(io), replica_(replica), transport_(transport), wal_(wal), on_deliver_(std::move(on_deliver)) {
  for (auto& t : timers_) t = std::make_unique<boost::asio::steady_timer>(io_);
}

std::uint64_t ReplicaDriver::now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

Status ReplicaDriver::start(std::vector<Bytes> persisted_records) {
  handle(consensus::Event{now_ms(), consensus::StateLoaded{std::move(persisted_records)}});
  return fatal_;
}

void ReplicaDriver::on_frame(std::uint32_t peer_id, Bytes frame) {
  if (stopped_ || frame.empty()) return;
  std::uint8_t kind = frame[0];
  Bytes payload(frame.begin() + 1, frame.end());
  if (kind == kFrameConsensus) {
    auto wire = std::make_shared<const Bytes>(std::move(payload));
    if (preverify_pool_) {
      preverify_pool_->submit(std::move(wire));  // back through on_preverified (or dropped, counted)
      return;
    }
    handle(consensus::Event{now_ms(), consensus::MessageReceived{std::move(wire)}});
  } else if (kind == kFrameClientTx) {
    trace_frame("fluff", peer_id, frame.size(), payload);
    on_relayed_tx(peer_id, std::move(payload));
  } else if (kind == kFrameStemTx) {
    trace_frame("stem", peer_id, frame.size(), payload);
    on_stem_tx(peer_id, std::move(payload));
  } else {
    spdlog::warn("dropped a frame of unknown kind {} from replica {}", kind, peer_id);
  }
}

std::uint64_t ReplicaDriver::failed_checks() const {
  return failed_checks_ ? failed_checks_() : replica_.stats().client_txs_rejected;
}

bool ReplicaDriver::take_peer_check(std::uint32_t peer_id, std::uint64_t now) {
  if (peer_budget_.take_check(peer_id, now)) {
    ++relayed_txs_checked_;
    return true;
  }
  ++relayed_txs_dropped_;
  if (peer_budget_.should_log_drop(peer_id, now)) {
    const PeerBudgetLimits& limits = peer_budget_.limits();
    spdlog::warn("replica {} is over its verification budget ({} checks/s, burst {}, a failed check costs {}): "
                 "dropping its relayed transactions unchecked ({} so far from all peers)",
                 peer_id, limits.checks_per_second, limits.burst, limits.failed_check_cost, relayed_txs_dropped_);
  }
  return false;
}

void ReplicaDriver::charge_if_failed(std::uint32_t peer_id, std::uint64_t failed_before, std::uint64_t now) {
  if (failed_checks() > failed_before) charge_failure(peer_id, now);
}

void ReplicaDriver::charge_failure(std::uint32_t peer_id, std::uint64_t now) {
  if (peer_budget_.charge_failure(peer_id, now)) {
    const PeerBudgetLimits& limits = peer_budget_.limits();
    spdlog::warn("replica {} relayed more than {} transactions that failed their checks within {} ms: dropping "
                 "its relayed transactions for {} ms",
                 peer_id, limits.max_failures_per_window, limits.window_ms, limits.penalty_ms);
  }
}

void ReplicaDriver::on_deferred_failure(const std::array<std::uint8_t, 32>& tx_id) {
  auto it = relayed_by_.find(tx_id);
  if (it == relayed_by_.end()) return;  // this node's own, or forgotten
  const std::uint32_t peer_id = it->second;
  relayed_by_.erase(it);
  ++deferred_failures_charged_;
  charge_failure(peer_id, now_ms());
}

void ReplicaDriver::on_relayed_tx(std::uint32_t peer_id, Bytes tx) {
  const std::uint64_t now = now_ms();
  if (!take_peer_check(peer_id, now)) return;
  const StemTxId id = chain::transaction_id(tx);
  // Handed to the engine (whatever its check says): this node no longer needs to fluff it.
  if (stem_) stem_->on_fluffed(id);
  if (!peer_budget_.take_unverified(peer_id, now) && stem_check_) {
    // Over its bound of records waiting unverified: this one is verified now, alone.
    ++relayed_txs_verified_on_arrival_;
    std::vector<Bytes> one;
    one.push_back(std::move(tx));
    const Status checked = stem_check_(one).front();
    tx = std::move(one.front());
    if (!checked.ok()) return charge_failure(peer_id, now);
  } else if (relayed_by_.emplace(id, peer_id).second) {
    // Its signature is verified later (on_deferred_failure): remember who sent it first.
    relayed_order_.push_back(id);
    while (relayed_order_.size() > kRelayedSourceMemory) {
      relayed_by_.erase(relayed_order_.front());
      relayed_order_.pop_front();
    }
  }
  const std::uint64_t failed_before = failed_checks();
  handle(consensus::Event{now, consensus::ClientTransaction{std::move(tx)}});
  charge_if_failed(peer_id, failed_before, now);
}

// A stem record: verified first (so a peer cannot use the stem to make others forward junk),
// then forwarded or fluffed as StemRelay decides. Without a relay, treated as fluffed. The
// check waits for the batch (stem_check_batch.h) unless the record was verified before.
void ReplicaDriver::on_stem_tx(std::uint32_t peer_id, Bytes tx) {
  if (!stem_ || !stem_check_) return on_relayed_tx(peer_id, std::move(tx));
  const std::uint64_t now = now_ms();
  const StemTxId id = chain::transaction_id(tx);
  if (stem_->fluffed(id)) return;  // a late copy: no check needed
  // A record back on a later lap was verified on its first visit (same id, same bytes): it
  // costs no check. A peer replaying it only makes this node flip the fluff coin again.
  if (stem_->holds(id)) {
    // The step first: the relay copies `tx` before it is moved on.
    const StemStep step = stem_->on_stem(id, tx, peer_id, now, transport_.connected_peers());
    return carry_out(step, std::move(tx));
  }
  // A second copy while the first waits for its check: the first one's verdict decides.
  if (stem_batch_.contains(id)) return;
  if (!take_peer_check(peer_id, now)) return;
  if (stem_batch_.add(peer_id, id, std::move(tx), now)) return check_stem_batch();
  arm_stem_batch_timer();
}

void ReplicaDriver::check_stem_batch() {
  if (stem_batch_timer_armed_) {
    stem_batch_timer_->cancel();
    stem_batch_timer_armed_ = false;
  }
  if (stem_batch_.empty()) return;
  StemCheckBatch::Taken batch = stem_batch_.take();
  const std::vector<Status> verdicts = stem_check_(batch.txs);
  HC_CHECK(verdicts.size() == batch.txs.size());
  ++stem_check_batches_;
  stem_records_checked_ += batch.txs.size();
  const std::uint64_t now = now_ms();
  for (std::size_t i = 0; i < batch.txs.size(); ++i) {
    const StemCheckBatch::Origin& from = batch.origins[i];
    if (!verdicts[i].ok()) {
      spdlog::debug("dropped a stem transaction from replica {} that failed its check: {}", from.peer,
                    verdicts[i].message());
      charge_failure(from.peer, now);
      continue;
    }
    if (stem_->fluffed(from.id)) continue;  // fluffed by another node while it waited
    const StemStep step = stem_->on_stem(from.id, batch.txs[i], from.peer, now, transport_.connected_peers());
    carry_out(step, std::move(batch.txs[i]));
  }
}

void ReplicaDriver::arm_stem_batch_timer() {
  if (stem_batch_timer_armed_ || stopped_) return;
  stem_batch_timer_armed_ = true;
  stem_batch_timer_->expires_after(std::chrono::milliseconds(stem_batch_.limits().window_ms));
  stem_batch_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;  // cancelled: the batch was checked when it filled up
    stem_batch_timer_armed_ = false;
    check_stem_batch();
  });
}

void ReplicaDriver::carry_out(const StemStep& step, Bytes tx) {
  switch (step.action) {
    case StemAction::kForward:
      transport_.send(step.to, framed(kFrameStemTx, tx));
      arm_embargo_timer();
      return;
    case StemAction::kFluff:
      fluff(std::move(tx));
      arm_embargo_timer();
      return;
    case StemAction::kIgnore:
      return;
  }
}

void ReplicaDriver::fluff(Bytes tx) {
  transport_.broadcast(framed(kFrameClientTx, tx));
  handle(consensus::Event{now_ms(), consensus::ClientTransaction{std::move(tx)}});
}

void ReplicaDriver::set_stem_relay(std::unique_ptr<StemRelay> relay, BatchCheck check, StemCheckLimits batch_limits) {
  stem_ = std::move(relay);
  stem_check_ = std::move(check);
  stem_batch_ = StemCheckBatch(batch_limits);
  if (!embargo_timer_) embargo_timer_ = std::make_unique<boost::asio::steady_timer>(io_);
  if (!stem_batch_timer_) stem_batch_timer_ = std::make_unique<boost::asio::steady_timer>(io_);
}

void ReplicaDriver::set_preverify_pool(ConsensusPreverifyPool* pool, consensus::PreverifiedVerifier* front) {
  preverify_pool_ = pool;
  preverified_front_ = front;
  if (pool) pool->note_executed(replica_.last_executed());
}

void ReplicaDriver::on_preverified(consensus::SharedBytes wire, std::optional<consensus::PreverifiedSignature> entry) {
  if (stopped_ || !fatal_.ok()) return;
  // The entry answers only the engine's question about this message's own envelope; armed
  // just before, it is consumed or replaced by the next message's (consensus/preverified.h).
  if (preverified_front_) preverified_front_->arm(std::move(entry));
  handle(consensus::Event{now_ms(), consensus::MessageReceived{std::move(wire)}});
  if (preverified_front_) preverified_front_->arm(std::nullopt);
}

void ReplicaDriver::set_stem_members(StemMembership membership) {
  if (stem_) stem_->set_members(std::move(membership));
}

// One timer, armed for the earliest embargo deadline of a held stem record.
void ReplicaDriver::arm_embargo_timer() {
  if (!stem_ || stopped_) return;
  const std::optional<std::uint64_t> next = stem_->next_deadline_ms();
  if (next == embargo_armed_for_ms_) return;
  embargo_armed_for_ms_ = next;
  if (!next) {
    embargo_timer_->cancel();
    return;
  }
  const std::uint64_t now = now_ms();
  embargo_timer_->expires_after(std::chrono::milliseconds(*next > now ? *next - now : 0));
  embargo_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    embargo_armed_for_ms_.reset();
    std::vector<Bytes> expired = stem_->take_expired(now_ms());
    if (!expired.empty()) {
      stem_embargoes_fired_ += expired.size();
      spdlog::info("stem: {} record(s) not seen fluffed before their embargo; fluffing them here ({} so far)",
                   expired.size(), stem_embargoes_fired_);
    }
    for (Bytes& tx : expired) fluff(std::move(tx));
    arm_embargo_timer();
  });
}

void ReplicaDriver::trace_frame(std::string_view kind, std::uint32_t peer, std::size_t frame_bytes, const Bytes& tx) {
  if (!trace_) return;
  const chain::Digest id = chain::transaction_id(tx);
  trace_->record(kind, peer, frame_bytes, id);
}

void ReplicaDriver::forget_stem_record(const chain::Digest& id) {
  if (stem_) stem_->on_fluffed(id);
}

void ReplicaDriver::submit(Bytes tx) {
  if (stopped_) return;
  if (!stem_) return fluff(std::move(tx));
  const StemTxId id = chain::transaction_id(tx);
  const StemStep step = stem_->originate(id, tx, now_ms(), transport_.connected_peers());
  carry_out(step, std::move(tx));
}

void ReplicaDriver::stop() {
  stopped_ = true;
  for (auto& t : timers_) t->cancel();
  if (embargo_timer_) embargo_timer_->cancel();
  if (stem_batch_timer_) stem_batch_timer_->cancel();
}

void ReplicaDriver::handle(consensus::Event event) {
  if (stopped_ || !fatal_.ok()) return;
  std::vector<consensus::Action> actions;
  replica_.handle(event, actions);
  execute(actions);
  if (preverify_pool_) preverify_pool_->note_executed(replica_.last_executed());
}

void ReplicaDriver::execute(std::vector<consensus::Action>& actions) {
  for (auto& action : actions) {
    if (auto* p = std::get_if<consensus::Persist>(&action)) {
      Status s = p->snapshot ? wal_.snapshot(p->record) : wal_.append(p->record);
      if (!s.ok()) return latch_fatal(Status::error(s.code(), "cannot persist consensus state: " + s.message()));
      continue;
    }
    if (wal_.has_unsynced()) {
      Status s = wal_.sync();
      if (!s.ok()) return latch_fatal(Status::error(s.code(), "cannot sync consensus state: " + s.message()));
    }
    std::visit(
        [this](auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, consensus::SendTo>) {
            transport_.send(a.to, framed(kFrameConsensus, *a.wire));
          } else if constexpr (std::is_same_v<T, consensus::Broadcast>) {
            transport_.broadcast(framed(kFrameConsensus, *a.wire));
          } else if constexpr (std::is_same_v<T, consensus::SetTimer>) {
            set_timer(a.kind, a.delay_ms);
          } else if constexpr (std::is_same_v<T, consensus::CancelTimer>) {
            timers_[static_cast<std::size_t>(a.kind)]->cancel();
          } else if constexpr (std::is_same_v<T, consensus::Deliver>) {
            note_committed(*a.block);
            if (on_deliver_) on_deliver_(*a.block);
          } else if constexpr (std::is_same_v<T, consensus::Persist>) {
            // handled above
          }
        },
        action);
  }
  if (wal_.has_unsynced()) {
    Status s = wal_.sync();
    if (!s.ok()) latch_fatal(Status::error(s.code(), "cannot sync consensus state: " + s.message()));
  }
}

// Committed records are fluffed for good: no embargo fires for them; traced if asked.
void ReplicaDriver::note_committed(const consensus::CommittedBlock& committed) {
  if (!stem_ && !trace_) return;
  for (const Bytes& tx : committed.block.txs) {
    const chain::Digest id = chain::transaction_id(tx);
    if (stem_) stem_->on_fluffed(id);
    if (trace_) trace_->record("commit", -1, 0, id);
  }
}

void ReplicaDriver::latch_fatal(const Status& why) {
  if (!fatal_.ok()) return;
  fatal_ = why;
  spdlog::critical("replica halted: {}", why.to_string());
  for (auto& t : timers_) t->cancel();
  if (on_fatal_) on_fatal_(fatal_);
}

void ReplicaDriver::set_timer(consensus::TimerKind kind, std::uint64_t delay_ms) {
  auto& timer = *timers_[static_cast<std::size_t>(kind)];
  timer.expires_after(std::chrono::milliseconds(delay_ms));
  timer.async_wait([this, kind](boost::system::error_code ec) {
    if (ec || stopped_) return;
    handle(consensus::Event{now_ms(), consensus::TimerFired{kind}});
  });
}

}  // namespace hc::node
