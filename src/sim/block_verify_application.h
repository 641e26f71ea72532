// BlockVerifyApplication: the simulator's application when group signatures are charged per
// block (GroupVerifyModel::kPerBlock, sim/group_verify_cost.h). It forwards everything to the
// TestApplication and, when the engine validates a proposed block or executes a block, reports
// how many of its transactions this replica has not verified before, which the replica's
// virtual CPU charges as one batch. A backup pays at the PRE-PREPARE, the primary (which never
// validates its own proposal) when it executes the block. Not thread-safe.
#pragma once

#include <functional>
#include <unordered_set>

#include "consensus/application.h"
#include "consensus/testing/test_application.h"

namespace hc::sim {

class BlockVerifyApplication final : public consensus::Application {
 public:
  // on_batch(k) is called with k >= 1 for each batch of k newly verified transactions.
  BlockVerifyApplication(consensus::TestApplication& inner, std::function<void(std::size_t)> on_batch)
      : inner_(inner), on_batch_(std::move(on_batch)) {}

  Status check_tx(ByteSpan tx) override { return inner_.check_tx(tx); }
  Status validate_block(const consensus::Block& block) override;
  Status commit_block(const consensus::CommittedBlock& block) override;
  bool contains_tx(const consensus::Digest& tx_digest) const override { return inner_.contains_tx(tx_digest); }
  consensus::SeqNumber last_height() const override { return inner_.last_height(); }
  Bytes app_hash() const override { return inner_.app_hash(); }
  std::optional<consensus::CommittedBlock> load_block(consensus::SeqNumber height) const override {
    return inner_.load_block(height);
  }
  bool wants_block() const override { return inner_.wants_block(); }
  std::vector<consensus::AcceptedChange> accepted_changes(consensus::SeqNumber from_height) const override {
    return inner_.accepted_changes(from_height);
  }

 private:
  void verify_new(const consensus::Block& block);

  consensus::TestApplication& inner_;
  std::function<void(std::size_t)> on_batch_;
  std::unordered_set<consensus::Digest, consensus::DigestHash> verified_;  // one run's transactions
};

}  // namespace hc::sim
