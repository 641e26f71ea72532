// The simulator's correctness checkers.
//
// Deliveries are checked as they happen (agreement, integrity, validity, certificate
// validity, in-order heights); liveness is checked once at the end of the healed period.
// The first violation is kept with a readable reason. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

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
  Checkers(std::uint32_t n, std::vector<bool> correct, consensus::Verifier& verifier);

  void on_submit(const consensus::Digest& tx, bool valid, std::uint64_t now_us);
  // Returns the tx digests that just reached f+1 correct deliveries (for latency).
  void on_deliver(consensus::ReplicaId replica, const consensus::CommittedBlock& cb,
                  std::uint64_t now_us, std::vector<std::uint64_t>& latencies_us);
  // Every valid transaction submitted before load_end_us is committed at every correct replica.
  void check_liveness(std::uint64_t load_end_us);

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
  std::vector<bool> correct_;
  consensus::Verifier& verifier_;
  std::optional<std::string> violation_;
  std::unordered_map<consensus::Digest, TxRecord, consensus::DigestHash> submitted_;
  std::map<consensus::SeqNumber, consensus::Digest> chain_;  // agreed block digest per height
  std::vector<consensus::SeqNumber> height_;                 // last delivered per replica
  std::vector<std::unordered_set<consensus::Digest, consensus::DigestHash>> txs_;
  std::uint64_t committed_txs_ = 0;
  std::uint64_t final_height_ = 0;
};

}  // namespace hc::sim
