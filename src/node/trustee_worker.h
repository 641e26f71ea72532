// The trustee's work inside hc-node (issue 13, item 7: off the consensus thread). A worker
// thread of its own, woken by every committed block (and once a second), runs the trustee's
// duties (trustee_duties.h) against the committed state: it deals once per key epoch,
// complains about bad shares in the complaint window, derives and checks its secret share
// once the key forms, and answers every committed access request once with a
// decryption_shares transaction. What it posts is decided by the chain alone; a repeat after
// a restart is refused by the ledger (one deal per dealer, one answer per request and
// trustee) and that refusal is quiet.
//
// Bounds: requests found in committed blocks wait in a queue of at most kMaxPendingRequests
// (the oldest is dropped and counted when full); blocks are scanned at most
// kScanBlocksPerTurn at a time, so stop() is prompt even on a long chain.
//
// Threading: start()/stop() from the owner; notify_committed() and note_refused() from the
// consensus thread (a mutex and a condition variable, never blocking on the worker's work);
// status() from any thread. `post` is called on the worker thread and must hand the
// transaction over without waiting (hc-node posts it to the consensus io_context).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "chain/ledger_store.h"
#include "node/trustee_duties.h"
#include "node/trustee_identity.h"
#include "node/trustee_status.h"

namespace hc::node {

class TrusteeWorker {
 public:
  static constexpr std::size_t kMaxPendingRequests = 4096;
  static constexpr std::uint64_t kScanBlocksPerTurn = 256;
  static constexpr std::chrono::milliseconds kIdleWake{1000};
  static constexpr std::chrono::milliseconds kRepostAfter{20000};

  using Post = std::function<void(TrusteeTx)>;

  TrusteeWorker(const chain::LedgerStore& store, TrusteeIdentity identity, Post post);
  // A worker that also takes part in resharings (trustee_duties.h): `genesis_seat` may have
  // index 0 (a joined hospital, or a node whose genesis key was erased).
  TrusteeWorker(const chain::LedgerStore& store, TrusteeIdentity genesis_seat, std::uint32_t member_id,
                std::unique_ptr<TrusteeKeyFiles> key_files, bool first_key_holds_share, Post post);
  ~TrusteeWorker();
  TrusteeWorker(const TrusteeWorker&) = delete;
  TrusteeWorker& operator=(const TrusteeWorker&) = delete;

  void start();
  void stop();  // joins the thread; idempotent
  void notify_committed(std::uint64_t height);
  // The ledger's admission check refused a posted transaction.
  void note_refused(const std::string& label, const Status& why);
  TrusteeStatus status() const;

 private:
  struct PendingRequest {
    chain::Digest request_id{};
    chain::AccessRequestTx request;
    std::uint64_t height = 0;
    std::chrono::steady_clock::time_point posted_at{};
  };

  void run();
  void turn();
  void scan_blocks(std::uint64_t tip);
  void answer_requests();
  void post_due(std::vector<TrusteeTx> due, std::chrono::steady_clock::time_point now);
  // Erases superseded trustee keys once every request this node owes up to a resharing's
  // finalizing block was answered (trustee_duties.h, erase_superseded_keys).
  void erase_superseded_keys();
  void post_tx(TrusteeTx tx);
  void record_error(const Status& why);

  const chain::LedgerStore& store_;
  TrusteeDuties duties_;  // worker thread only
  Post post_;
  // worker thread only
  std::uint64_t next_scan_height_ = 1;
  std::deque<PendingRequest> pending_;
  std::map<chain::Digest, PendingRequest> posted_;  // answered here, not yet seen on the chain
  std::chrono::steady_clock::time_point last_dkg_post_{};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  TrusteeStatus status_;
  std::thread thread_;
};

}  // namespace hc::node
