#include "sim/block_verify_application.h"

namespace hc::sim {

void BlockVerifyApplication::verify_new(const consensus::Block& block) {
  std::size_t fresh = 0;
  for (const Bytes& tx : block.txs) {
    if (verified_.insert(consensus::tx_digest(tx)).second) ++fresh;
  }
  if (fresh > 0) on_batch_(fresh);
}

Status BlockVerifyApplication::validate_block(const consensus::Block& block) {
  verify_new(block);
  return inner_.validate_block(block);
}

Status BlockVerifyApplication::commit_block(const consensus::CommittedBlock& block) {
  verify_new(block.block);
  return inner_.commit_block(block);
}

}  // namespace hc::sim
