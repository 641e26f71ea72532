#include "sim/checkers.h"

#include "common/bytes.h"
#include "consensus/certificates.h"

namespace hc::sim {

using consensus::Digest;

Checkers::Checkers(std::uint32_t n, std::vector<bool> correct, consensus::Verifier& verifier)
    : n_(n), correct_(std::move(correct)), verifier_(verifier), height_(n, 0), txs_(n) {}

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
  const Status cert = consensus::verify_commit_certificate(cb, n_, verifier_);
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

void Checkers::check_liveness(std::uint64_t load_end_us) {
  for (consensus::ReplicaId r = 0; r < n_; ++r) {
    if (!correct_[r]) continue;
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
