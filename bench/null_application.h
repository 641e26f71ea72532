// The PBFT engine's benchmarks (bench_consensus, bench_consensus_threads) measure the engine
// alone: an application that accepts every transaction and block and keeps only the height and
// the last certificate's digest (duplicate suppression is then the engine's own pending and
// in-flight bookkeeping).
#pragma once

#include <optional>

#include "consensus/replica.h"

namespace hc::bench {

class NullApplication final : public consensus::Application {
 public:
  Status check_tx(ByteSpan) override { return {}; }
  Status validate_block(const consensus::Block&) override { return {}; }
  Status commit_block(const consensus::CommittedBlock& cb) override {
    height_ = cb.block.height;
    hash_ = cb.cert.digest;
    return {};
  }
  bool contains_tx(const consensus::Digest&) const override { return false; }
  consensus::SeqNumber last_height() const override { return height_; }
  Bytes app_hash() const override { return Bytes(hash_.begin(), hash_.end()); }
  std::optional<consensus::CommittedBlock> load_block(consensus::SeqNumber) const override { return std::nullopt; }

 private:
  consensus::SeqNumber height_ = 0;
  consensus::Digest hash_{};
};

}  // namespace hc::bench
