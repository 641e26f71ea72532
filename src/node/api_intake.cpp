// The hand-over between the API thread and the consensus thread (issue 12, item 5): checked
// transactions go through the bounded TxIntake, the replica's state comes back as ApiSnapshot.
#include <nlohmann/json.hpp>

#include <boost/asio/post.hpp>

#include <chrono>
#include <optional>
#include <variant>

#include <spdlog/spdlog.h>

#include "node/node_state.h"

namespace hc::node {

namespace {

// Transactions the consensus thread admits per turn before it lets other events run.
constexpr std::size_t kIntakeBatch = 64;

void count_intake_answer(Metrics& metrics, const net::HttpResponse& response) {
  metrics.add_counter("hc_api_requests_total{status=\"" + std::to_string(response.status) + "\"}",
                      "API requests by status");
}

}  // namespace

// Issue 16 x issue 14 (docs/relay.md, "Membership changes"): a node outside the configuration
// in force is on no stem cycle, so a record it accepted would leave it first and name its
// hospital, and a departed member has no links left to send it on.
Status non_member_record_refusal() {
  return Status::error(ErrorCode::kUnavailable,
                       "this node is not a member of the consortium's configuration in force (a joining hospital "
                       "before its change takes effect, or one that left): it cannot relay a record without naming "
                       "its hospital; submit the record to a member's node");
}

void Node::State::enqueue_tx(Bytes tx, bool doctor_record, net::HttpServer::Responder respond) {
  IntakeItem item{std::move(tx), doctor_record, std::move(respond)};
  switch (intake.push(item)) {
    case TxIntake::Pushed::kFull: {
      net::HttpResponse busy =
          net::HttpResponse::error(503, "unavailable", "the node's intake queue is full; retry later");
      busy.headers["Retry-After"] = "1";
      metrics.add_counter("hc_api_intake_full_total", "Submissions refused: the intake queue was full");
      count_intake_answer(metrics, busy);
      item.respond(std::move(busy));
      return;
    }
    case TxIntake::Pushed::kWakeConsumer:
      boost::asio::post(io, [this] { drain_intake(); });
      return;
    case TxIntake::Pushed::kQueued:
      return;
  }
}

void Node::State::drain_intake() {
  bool more = false;
  std::vector<IntakeItem> items = intake.take(kIntakeBatch, more);
  for (IntakeItem& item : items) admit_intake_item(item);
  publish_snapshot();
  if (more) boost::asio::post(io, [this] { drain_intake(); });
}

// The ledger's admission check, then the replica's pool and the peers. A doctor's record is
// refused while this node is not a member of the configuration in force (the API thread's
// check, from the snapshot, may be a moment old; this one is the engine's own), and otherwise
// checked with its signature (check_tx_verified: a cache hit, the API thread verified it), so
// that the ledger knows its verdict: a second record with the same sealed content is then a
// replay (409), not a newcomer displacing a claimant of unknown verdict (check_replay).
void Node::State::admit_intake_item(IntakeItem& item) {
  net::HttpResponse answer;
  Status checked = !healthy() ? Status::error(ErrorCode::kUnavailable, "the node is unhealthy: " + halted.message())
                   : !item.doctor_record      ? app->check_tx(item.tx)
                   : !replica->is_member()    ? non_member_record_refusal()
                                              : app->check_tx_verified(item.tx);
  if (!checked.ok()) {
    answer = net::HttpResponse::from_status(checked);
  } else {
    const chain::Digest id = chain::transaction_id(item.tx);
    submitted.add(id);
    // A doctor's record is followed by its sealed content (own_records.h): the record id stays
    // if a revocation makes this node sign it again.
    std::optional<chain::Digest> record_id;
    if (item.doctor_record) {
      auto tx = chain::decode_transaction(item.tx);  // decodes: check_tx above did
      if (tx.ok() && std::holds_alternative<chain::RecordTx>(*tx)) {
        record_id = own_records->add(std::get<chain::RecordTx>(*tx), id);
      }
    }
    driver->submit(std::move(item.tx));
    // Operator-only (metrics.h): only this node counts it.
    if (item.doctor_record) metrics.add_counter("hc_records_submitted_total", "Records accepted from doctors");
    nlohmann::json body{{"tx_id", chain::digest_hex(id)}, {"status", "pending"}};
    if (record_id) body["record_id"] = chain::digest_hex(*record_id);
    answer = net::HttpResponse::json(202, body.dump());
  }
  count_intake_answer(metrics, answer);
  item.respond(std::move(answer));
}

// A record of an epoch a revocation ended can no longer commit (PendingRecords, check_state):
// this node signs it again in the current epoch and relays it as a new record, through the
// stem like one from its API. Refused ones (this hospital revoked, its content committed
// meanwhile, the node no longer a member) are dropped with a count.
void Node::State::resign_stale_own_records() {
  const std::uint64_t epoch = app->epoch().epoch;
  std::vector<OwnRecords::Stale> stale = own_records->take_stale(epoch, kResignPerTurn);
  const chain::StoreTrusteeView ledger(*store);
  for (auto& [record, old_id] : stale) {
    // Refused by every node from now on: never fluffed by this node's embargo timer.
    driver->forget_stem_record(old_id);
    Status resigned = !healthy()              ? halted
                      : !replica->is_member() ? non_member_record_refusal()
                                              : member->sign(record, epoch, ledger);
    Bytes tx;
    if (resigned.ok()) {
      tx = chain::encode_transaction(chain::Transaction{record});
      resigned = app->check_tx_verified(tx);
    }
    if (!resigned.ok()) {
      metrics.add_counter("hc_records_resign_dropped_total",
                          "Own records of an ended group epoch that could not be signed again");
      spdlog::warn("a record of group epoch {} was not signed again in epoch {}: {}", record.epoch, epoch,
                   resigned.to_string());
      continue;
    }
    metrics.add_counter("hc_records_resigned_total", "Own records signed again after a revocation ended their epoch");
    const chain::Digest id = chain::transaction_id(tx);
    submitted.add(id);
    own_records->add(record, id);
    driver->submit(std::move(tx));
  }
  if (own_records->has_stale(epoch)) boost::asio::post(io, [this] { resign_stale_own_records(); });
}

void Node::State::publish_snapshot() {
  ApiSnapshot s;
  s.view = replica->view();
  s.configuration = replica->configuration().number;
  s.primary = replica->configuration().primary(s.view);
  s.member = replica->is_member();
  s.in_view_change = replica->in_view_change();
  s.pending_txs = replica->pending_txs();
  s.pending_ids = pending_ids_cache.refresh(*replica);
  s.epoch = app->epoch().epoch;
  const ConsensusHealth consensus = observe_consensus_health();
  s.catching_up = consensus.catching_up;
  s.healthy = healthy() && !consensus.stalled;
  if (!healthy()) s.halted_reason = halted.message();
  else if (consensus.stalled) s.halted_reason = consensus.reason;
  s.envelope_key = envelope_key_answers.current(*store);  // one key read; rebuilt on a new key
  snapshot.publish(std::move(s));
}

// Every kApiSnapshotIntervalMs: the snapshot (view changes happen without a delivery) and the
// gauges of /metrics.
void Node::State::schedule_snapshot_refresh() {
  snapshot_timer->expires_after(std::chrono::milliseconds(kApiSnapshotIntervalMs));
  snapshot_timer->async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    publish_snapshot();
    refresh_gauges();
    sample_peer_round_trips();
    schedule_snapshot_refresh();
  });
}

}  // namespace hc::node
