#include "sim/checkers.h"

#include <algorithm>

#include "common/bytes.h"
#include "consensus/certificates.h"

namespace hc::sim {

using consensus::Digest;

Checkers::Checkers(std::uint32_t n, const consensus::ChainId& chain, std::vector<bool> correct,
                   consensus::Verifier& verifier)
    : n_(n),
      schedule_(consensus::Configuration::genesis(n), 1, 1),
      chain_id_(chain),
      correct_(std::move(correct)),
      verifier_(verifier),
      height_(n, 0),
      txs_(n),
      view_(n, 0),
      config_(n, 0) {}

void Checkers::set_changes(const consensus::ConsensusConfig& config,
                           const std::vector<consensus::AcceptedChange>& changes) {
  checkpoint_interval_ = config.checkpoint_interval_blocks;
  window_ = config.window_blocks;
  schedule_ = consensus::ConfigSchedule(consensus::Configuration::genesis(config.replica_count), checkpoint_interval_,
                                        window_);
  for (const consensus::AcceptedChange& c : changes) schedule_.add(c);
  changes_ = changes;
}

void Checkers::on_view(consensus::ReplicaId r, consensus::ViewNumber view, consensus::ConfigNumber config) {
  if (!correct_[r]) return;
  if (config != config_[r]) {  // entered another configuration: its views start at 0
    config_[r] = config;
    view_[r] = view;
    return;
  }
  if (view <= view_[r]) return;
  const consensus::Configuration* cfg = schedule_.by_number(config);
  if (cfg == nullptr) return;
  // Views far beyond the replica's (a peer's flood) are not walked one by one: only the
  // views it really left are counted, and the loop is bounded by the view change count.
  for (consensus::ViewNumber v = view_[r]; v < view && v < view_[r] + 64; ++v) {
    if (++left_[{config, v}] != cfg->weak_quorum()) continue;
    if (correct_[cfg->primary(v)]) ++honest_depositions_;
  }
  view_[r] = view;
  consensus::ViewNumber lowest = view;
  for (consensus::ReplicaId i = 0; i < n_; ++i) {
    if (correct_[i] && config_[i] == config) lowest = std::min(lowest, view_[i]);
  }
  left_.erase(left_.lower_bound({config, 0}), left_.lower_bound({config, lowest}));
  if (deposition_bound_ && honest_depositions_ > *deposition_bound_) {
    fail("deposing: " + std::to_string(honest_depositions_) +
         " views with a correct primary were abandoned by f+1 correct replicas (bound " +
         std::to_string(*deposition_bound_) + "); replica " + std::to_string(r) + " is in view " +
         std::to_string(view));
  }
}

void Checkers::on_resource(consensus::ReplicaId r, const char* what, std::uint64_t used,
                           std::uint64_t budget) {
  if (!correct_[r] || used <= budget) return;
  fail("resources: replica " + std::to_string(r) + " holds " + std::to_string(used) + " " + what +
       ", over its budget of " + std::to_string(budget));
}

void Checkers::on_submit(const Digest& tx, bool valid, std::uint64_t now_us) {
  submitted_.emplace(tx, TxRecord{valid, now_us, 0});
}

void Checkers::on_deliver(consensus::ReplicaId r, const consensus::CommittedBlock& cb,
                          std::uint64_t now_us, std::vector<std::uint64_t>& latencies_us) {
  if (!correct_[r]) return;
  const std::string who = "replica " + std::to_string(r) + " height " +
                          std::to_string(cb.block.height) + ": ";
  if (cb.block.height != height_[r] + 1) fail(who + "delivered out of order");
  height_[r] = cb.block.height;
  final_height_ = std::max(final_height_, cb.block.height);
  if (block_time_ahead_ms_ && cb.block.timestamp_ms > now_us / 1000 + *block_time_ahead_ms_) {
    fail(who + "block time " + std::to_string(cb.block.timestamp_ms) + " ms is more than " +
         std::to_string(*block_time_ahead_ms_) + " ms ahead of the clock (" +
         std::to_string(now_us / 1000) + " ms)");
  }
  const Status cert = consensus::verify_commit_certificate(chain_id_, cb, schedule_.at(cb.block.height), verifier_);
  if (!cert.ok()) fail(who + "invalid commit certificate: " + cert.to_string());
  auto [it, first] = chain_.emplace(cb.block.height, cb.cert.digest);
  if (!first && it->second != cb.cert.digest) {
    fail(who + "agreement violated: block " + to_hex(cb.cert.digest).substr(0, 16) +
         " but another correct replica committed " + to_hex(it->second).substr(0, 16));
  }
  const std::uint32_t weak_quorum = (n_ - 1) / 3 + 1;
  for (const Bytes& tx : cb.block.txs) {
    const Digest d = consensus::tx_digest(tx);
    if (!txs_[r].insert(d).second) fail(who + "integrity violated: transaction committed twice");
    auto sub = submitted_.find(d);
    if (sub == submitted_.end()) {
      fail(who + "validity violated: transaction never submitted");
      continue;
    }
    if (!sub->second.valid) fail(who + "validity violated: invalid transaction committed");
    if (++sub->second.commit_count == weak_quorum) {
      ++committed_txs_;
      latencies_us.push_back(now_us - sub->second.submit_us);
    }
  }
}

bool Checkers::committed_by_weak_quorum(const Digest& tx) const {
  auto it = submitted_.find(tx);
  return it != submitted_.end() && it->second.commit_count >= (n_ - 1) / 3 + 1;
}

void Checkers::check_liveness(std::uint64_t load_end_us) {
  for (const consensus::AcceptedChange& c : changes_) {
    const consensus::SeqNumber boundary = consensus::change_boundary(c.height, checkpoint_interval_, window_);
    if (c.height <= final_height_ && final_height_ < boundary) {
      fail("liveness violated: the change accepted at height " + std::to_string(c.height) +
           " never took effect (boundary " + std::to_string(boundary) + ", final height " +
           std::to_string(final_height_) + ")");
      return;
    }
  }
  const consensus::Configuration& last = schedule_.at(final_height_ + 1);
  for (consensus::ReplicaId r = 0; r < n_; ++r) {
    if (!correct_[r] || !last.contains(r)) continue;
    std::uint64_t missing = 0;
    for (const auto& [d, rec] : submitted_) {
      if (rec.valid && rec.submit_us < load_end_us && !txs_[r].contains(d)) ++missing;
    }
    if (missing > 0) {
      fail("liveness violated: replica " + std::to_string(r) + " lacks " +
           std::to_string(missing) + " submitted transactions after healing (height " +
           std::to_string(height_[r]) + ")");
      return;
    }
  }
}

}  // namespace hc::sim
