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
//          transactions dropped unchecked.
//
// Threading: every method runs on the node's consensus thread (the io_context it is given).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <functional>
#include <memory>

#include "consensus/replica.h"
#include "net/transport.h"
#include "node/peer_budget.h"
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
  // A transaction accepted by this node's API: into the local pool and gossiped to every peer.
  void submit(Bytes tx);
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
  // Relayed client transactions dropped unchecked because their peer was over its budget.
  std::uint64_t relayed_txs_dropped() const { return relayed_txs_dropped_; }
  // Relayed client transactions handed to the engine's checks (within their peer's budget).
  std::uint64_t relayed_txs_checked() const { return relayed_txs_checked_; }

 private:
  void handle(consensus::Event event);
  void execute(std::vector<consensus::Action>& actions);
  void set_timer(consensus::TimerKind kind, std::uint64_t delay_ms);
  void latch_fatal(const Status& why);
  void on_relayed_tx(std::uint32_t peer_id, Bytes tx);
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
  std::array<std::unique_ptr<boost::asio::steady_timer>, consensus::kTimerKinds> timers_;
  Status fatal_;
  bool stopped_ = false;
};

inline constexpr std::uint8_t kFrameConsensus = 0x01;
inline constexpr std::uint8_t kFrameClientTx = 0x02;

}  // namespace hc::node
