// ReplicaDriver: runs the pure PBFT replica inside the node. It turns transport frames, timer
// expiries and submitted transactions into engine Events and carries out the Actions the engine
// returns, in order: Persist records go to the write-ahead log and are synced before any later
// action of the same batch (persist before send); Send/Broadcast go to the transport; timers
// are Asio steady timers, one per TimerKind; Deliver reports committed blocks to a callback.
//
// Node wire format on the transport (one frame each):
//   0x01 | consensus message (the engine's signed envelope)
//   0x02 | client transaction (gossiped by the replica that received it, so every replica's
//          pool holds it and a censoring primary is detected by the request timer). Each
//          costs a signature check, charged to the relaying peer (peer_budget.h: checks per
//          second, failed checks cost more); a peer over its budget has its relayed
//          transactions dropped unchecked. A record's signature is checked with its block
//          (issue 18), and a failure then charged to the peer (on_deferred_failure); a peer
//          over its bound of records waiting unverified has the next ones verified on arrival.
//   0x03 | stem transaction (issue 14, docs/relay.md): a fresh record on its way along the
//          stem, sent to one successor only. It is verified (charged to the sending peer like
//          0x02) before this node forwards it or fluffs it, together with the other stem
//          records that arrive within StemCheckLimits::window_ms (stem_check_batch.h: one
//          batch verification, each verdict charged to its own sender); fluffing hands it to
//          the engine and broadcasts it as 0x02. Decisions are StemRelay's (stem_relay.h);
//          each held record has an embargo timer after which this node fluffs it itself.
//
// Consensus messages (0x01) go to the engine directly, or, with set_preverify_pool, through
// the pool that checks their envelope signatures on its worker thread
// (consensus_preverify_pool.h); the node posts each checked message back to this thread's
// on_preverified, which arms the engine's PreverifiedVerifier with the pool's entry and hands
// the engine the message.
//
// Threading: every method runs on the node's consensus thread (the io_context it is given).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <deque>
#include <map>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "consensus/replica.h"
#include "consensus/preverified.h"
#include "net/transport.h"
#include "node/consensus_preverify_pool.h"
#include "node/peer_budget.h"
#include "node/peer_trace.h"
#include "node/stem_check_batch.h"
#include "node/stem_relay.h"
#include "node/wal.h"

namespace hc::node {

class ReplicaDriver {
 public:
  using DeliverHandler = std::function<void(const consensus::CommittedBlock&)>;
  using FatalHandler = std::function<void(const Status&)>;

  ReplicaDriver(boost::asio::io_context& io, consensus::Replica& replica, net::Transport& transport,
                WriteAheadLog& wal, DeliverHandler on_deliver);

  // Feeds StateLoaded with the records read from the log. Must be the first call.
  Status start(std::vector<Bytes> persisted_records);
  // A frame from a peer (node wire format above).
  void on_frame(std::uint32_t peer_id, Bytes frame);
  // A transaction accepted by this node's API: with a stem relay set, sent along the stem
  // (the engine gets it once it is fluffed); otherwise into the local pool and gossiped to
  // every peer at once.
  void submit(Bytes tx);
  // Stops holding transaction `id` in the stem (nothing without a stem relay): its node signed
  // the record again after a revocation (own_records.h), so the old one, which every node now
  // refuses, must not be fluffed by this node's embargo timer (that would name it the origin
  // of a record whose content the new transaction repeats).
  void forget_stem_record(const chain::Digest& id);
  // The admission check of several transactions, with their group signatures verified
  // together (LedgerApplication::check_txs_verified): one verdict per transaction, in order.
  using BatchCheck = std::function<std::vector<Status>(const std::vector<Bytes>&)>;
  // Turns the stem phase on (call before the first submit). `check` is the admission check a
  // stem record passes before it is forwarded or fluffed, in batches (stem_check_batch.h).
  void set_stem_relay(std::unique_ptr<StemRelay> relay, BatchCheck check,
                      StemCheckLimits batch_limits = StemCheckLimits{});
  // Consensus frames go through `pool` (which must outlive the driver's use of it, and whose
  // deliver callback posts to on_preverified); `front` is the engine's Verifier, armed with
  // each message's entry. Without it, frames go to the engine directly.
  void set_preverify_pool(ConsensusPreverifyPool* pool, consensus::PreverifiedVerifier* front);
  // A consensus message the pool has checked, with its entry (nullopt: the engine checks it).
  void on_preverified(consensus::SharedBytes wire, std::optional<consensus::PreverifiedSignature> entry);
  // The consensus configuration in force, for the stem cycle (StemRelay::set_members); the
  // node calls it wherever it recomputes its peer links. Nothing without a stem relay.
  void set_stem_members(StemMembership membership);
  // Opt-in diagnostic: every received stem/fluff frame and every committed transaction is
  // written to the trace (peer_trace.h).
  void set_peer_trace(std::unique_ptr<PeerTrace> trace) { trace_ = std::move(trace); }
  void stop();

  // A local failure (the write-ahead log could not be written); the node must stop. Once
  // latched, the driver ignores every further event and calls the fatal handler, once, at the
  // moment of failure (not at the next delivery, which would never come).
  const Status& fatal() const { return fatal_; }
  void set_fatal_handler(FatalHandler on_fatal) { on_fatal_ = std::move(on_fatal); }
  // How many transaction checks have failed so far (LedgerApplication::failed_checks): what a
  // relayed transaction's handling adds is charged to the relaying peer. Without it, the
  // engine's count of rejected client transactions is used.
  void set_failed_check_counter(std::function<std::uint64_t()> counter) { failed_checks_ = std::move(counter); }
  // A relayed transaction (0x02) enters the engine's pool without its group signature verified
  // (docs/ledger.md, "Admission"): when the engine's deferred checks later refuse it
  // (LedgerApplication::check_deferred), the node calls this with its id, and the peer that
  // relayed it to this node is charged a failed check (a correct peer relays only records it
  // verified). Ids of relayed transactions are remembered up to kRelayedSourceMemory, oldest
  // forgotten first.
  void on_deferred_failure(const std::array<std::uint8_t, 32>& tx_id);
  static constexpr std::size_t kRelayedSourceMemory = 65536;
  // Relayed records verified on arrival because their peer was over its bound of records
  // waiting unverified (PeerBudgetLimits::unverified_per_window).
  std::uint64_t relayed_txs_verified_on_arrival() const { return relayed_txs_verified_on_arrival_; }
  // Failed deferred checks charged to the peer that relayed the transaction.
  std::uint64_t deferred_failures_charged() const { return deferred_failures_charged_; }
  // Relayed client transactions dropped unchecked because their peer was over its budget.
  std::uint64_t relayed_txs_dropped() const { return relayed_txs_dropped_; }
  // Relayed client transactions handed to the engine's checks (within their peer's budget).
  std::uint64_t relayed_txs_checked() const { return relayed_txs_checked_; }
  // Stem records: fluffed by this node's embargo timer (the stem lost them), and held now.
  std::uint64_t stem_embargoes_fired() const { return stem_embargoes_fired_; }
  // Stem records checked, and the batches they were checked in (records / batches: the mean
  // batch size).
  std::uint64_t stem_records_checked() const { return stem_records_checked_; }
  std::uint64_t stem_check_batches() const { return stem_check_batches_; }
  std::size_t stem_records_held() const { return stem_ ? stem_->held_records() : 0; }

 private:
  void handle(consensus::Event event);
  void execute(std::vector<consensus::Action>& actions);
  void set_timer(consensus::TimerKind kind, std::uint64_t delay_ms);
  void latch_fatal(const Status& why);
  void on_relayed_tx(std::uint32_t peer_id, Bytes tx);
  void on_stem_tx(std::uint32_t peer_id, Bytes tx);
  // Charges `peer` one check; false (logged, counted) when it is over its budget.
  bool take_peer_check(std::uint32_t peer_id, std::uint64_t now);
  void charge_if_failed(std::uint32_t peer_id, std::uint64_t failed_before, std::uint64_t now);
  void charge_failure(std::uint32_t peer_id, std::uint64_t now);
  // Checks the waiting stem records together and carries out each one's step.
  void check_stem_batch();
  void arm_stem_batch_timer();
  void carry_out(const StemStep& step, Bytes tx);
  void fluff(Bytes tx);
  void arm_embargo_timer();
  void note_committed(const consensus::CommittedBlock& committed);
  void trace_frame(std::string_view kind, std::uint32_t peer, std::size_t frame_bytes, const Bytes& tx);
  std::uint64_t failed_checks() const;
  static std::uint64_t now_ms();

  boost::asio::io_context& io_;
  consensus::Replica& replica_;
  net::Transport& transport_;
  WriteAheadLog& wal_;
  DeliverHandler on_deliver_;
  FatalHandler on_fatal_;
  std::function<std::uint64_t()> failed_checks_;
  PeerVerificationBudget peer_budget_;
  std::uint64_t relayed_txs_dropped_ = 0;
  std::uint64_t relayed_txs_checked_ = 0;
  std::uint64_t deferred_failures_charged_ = 0;
  std::uint64_t relayed_txs_verified_on_arrival_ = 0;
  std::map<std::array<std::uint8_t, 32>, std::uint32_t> relayed_by_;  // tx id -> relaying peer
  std::deque<std::array<std::uint8_t, 32>> relayed_order_;            // oldest first
  std::array<std::unique_ptr<boost::asio::steady_timer>, consensus::kTimerKinds> timers_;
  std::unique_ptr<StemRelay> stem_;
  BatchCheck stem_check_;
  StemCheckBatch stem_batch_;
  std::unique_ptr<boost::asio::steady_timer> stem_batch_timer_;
  bool stem_batch_timer_armed_ = false;
  std::uint64_t stem_records_checked_ = 0;
  std::uint64_t stem_check_batches_ = 0;
  ConsensusPreverifyPool* preverify_pool_ = nullptr;
  consensus::PreverifiedVerifier* preverified_front_ = nullptr;
  std::unique_ptr<boost::asio::steady_timer> embargo_timer_;
  std::optional<std::uint64_t> embargo_armed_for_ms_;
  std::uint64_t stem_embargoes_fired_ = 0;
  std::unique_ptr<PeerTrace> trace_;
  Status fatal_;
  bool stopped_ = false;
};

inline constexpr std::uint8_t kFrameConsensus = 0x01;
inline constexpr std::uint8_t kFrameClientTx = 0x02;
inline constexpr std::uint8_t kFrameStemTx = 0x03;

}  // namespace hc::node
