// The simulator's correctness checkers.
//
// Deliveries are checked as they happen (agreement, integrity, validity, certificate
// validity, in-order heights); liveness is checked once at the end of the healed period.
// Resources: after every event each correct replica's buffers are compared with their
// budgets. Deposing: a view counts as deposed once f+1 correct replicas have moved past it;
// a deposed view whose primary is correct is an honest primary deposed, and a run may set a
// bound on how many it tolerates. The first violation is kept with a readable reason. Not
// thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "consensus/config.h"
#include "consensus/configuration.h"
#include "consensus/crypto.h"
#include "consensus/types.h"

namespace hc::sim {

struct TxRecord {
  bool valid = true;
  std::uint64_t submit_us = 0;
  std::uint32_t commit_count = 0;  // correct replicas that delivered it
};

class Checkers {
 public:
  // chain: the chain id the replicas sign for (commit certificates are checked against it).
  // n: replicas 0..n-1, all members of the genesis configuration unless set_changes says
  // otherwise.
  Checkers(std::uint32_t n, const consensus::ChainId& chain, std::vector<bool> correct,
           consensus::Verifier& verifier);
  // The genesis configuration and the changes the applications accept (section 2c of
  // docs/consensus.md): certificates are checked with the configuration of their height,
  // deposing per configuration, liveness at the members of the last configuration reached.
  void set_changes(const consensus::ConsensusConfig& config, const std::vector<consensus::AcceptedChange>& changes);

  void on_submit(const consensus::Digest& tx, bool valid, std::uint64_t now_us);
  // Returns the tx digests that just reached f+1 correct deliveries (for latency).
  void on_deliver(consensus::ReplicaId replica, const consensus::CommittedBlock& cb,
                  std::uint64_t now_us, std::vector<std::uint64_t>& latencies_us);
  // Every valid transaction submitted before load_end_us is committed at every correct replica
  // that is a member of the configuration after the final height; and every change accepted
  // at or below the final height took effect (the chain passed its boundary).
  void check_liveness(std::uint64_t load_end_us);

  // A correct replica's current view in its configuration (after each of its events). Views
  // are numbered per configuration; a replica that enters another one starts counting afresh.
  void on_view(consensus::ReplicaId replica, consensus::ViewNumber view, consensus::ConfigNumber config = 0);
  // Fails if more honest primaries than this are deposed (nullopt: count only).
  void set_deposition_bound(std::optional<std::uint64_t> bound) { deposition_bound_ = bound; }
  std::uint64_t honest_depositions() const { return honest_depositions_; }
  // Fails when a delivered block's timestamp is more than this ahead of the delivery time.
  void set_block_time_bound(std::optional<std::uint64_t> ahead_ms) { block_time_ahead_ms_ = ahead_ms; }
  // A correct replica's use of one bounded resource (e.g. "pending transactions").
  void on_resource(consensus::ReplicaId replica, const char* what, std::uint64_t used,
                   std::uint64_t budget);

  // Whether f+1 correct replicas delivered this transaction (what a client waits for).
  bool committed_by_weak_quorum(const consensus::Digest& tx) const;

  bool ok() const { return !violation_.has_value(); }
  const std::string& violation() const { return *violation_; }
  std::uint64_t committed_txs() const { return committed_txs_; }
  std::uint64_t final_height() const { return final_height_; }
  std::uint64_t submitted() const { return submitted_.size(); }

 private:
  void fail(std::string reason) {
    if (!violation_) violation_ = std::move(reason);
  }
  std::uint32_t n_;
  consensus::ConfigSchedule schedule_;
  std::vector<consensus::AcceptedChange> changes_;
  std::uint32_t checkpoint_interval_ = 1;
  std::uint32_t window_ = 1;
  consensus::ChainId chain_id_;
  std::vector<bool> correct_;
  consensus::Verifier& verifier_;
  std::optional<std::string> violation_;
  std::unordered_map<consensus::Digest, TxRecord, consensus::DigestHash> submitted_;
  std::map<consensus::SeqNumber, consensus::Digest> chain_;  // agreed block digest per height
  std::vector<consensus::SeqNumber> height_;                 // last delivered per replica
  std::vector<std::unordered_set<consensus::Digest, consensus::DigestHash>> txs_;
  std::uint64_t committed_txs_ = 0;
  std::uint64_t final_height_ = 0;
  std::vector<consensus::ViewNumber> view_;               // per replica
  std::vector<consensus::ConfigNumber> config_;           // per replica, of view_
  // Correct replicas past a view, by (configuration, view).
  std::map<std::pair<consensus::ConfigNumber, consensus::ViewNumber>, std::uint32_t> left_;
  std::uint64_t honest_depositions_ = 0;
  std::optional<std::uint64_t> deposition_bound_;
  std::optional<std::uint64_t> block_time_ahead_ms_;
};

}  // namespace hc::sim
