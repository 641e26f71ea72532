// Blocks a NEW-VIEW names by digest: finding them locally, serving BLOCK-REQUESTs within the
// requester's state-transfer allowance, and taking BLOCK-REPLYs that match the awaited plan.
#include <algorithm>

#include "consensus/replica.h"

namespace hc::consensus {

std::optional<Block> Replica::find_block(SeqNumber seq, const Digest& digest) const {
  if (awaited_new_view_) {
    auto planned = awaited_new_view_->plan.digests.find(seq);
    auto held = awaited_new_view_->blocks.find(seq);
    if (planned != awaited_new_view_->plan.digests.end() && planned->second == digest &&
        held != awaited_new_view_->blocks.end()) {
      return held->second;
    }
  }
  if (auto it = log_.find(seq); it != log_.end()) {
    const Slot& slot = it->second;
    if (slot.prepared && slot.prepared->digest == digest) return slot.prepared->block;
    if (slot.pp && slot.pp->digest == digest) return slot.pp->block;
    if (slot.committed && slot.committed->digest == digest && slot.committed_block) return slot.committed_block->block;
  }
  if (auto it = awaiting_validation_.find(seq); it != awaiting_validation_.end()) {
    const PrePrepare& pp = std::get<PrePrepare>(it->second.msg.body);
    if (pp.digest == digest) return pp.block;
  }
  if (seq <= last_executed_) {
    std::optional<CommittedBlock> executed = app_.load_block(seq);
    if (executed && executed->cert.digest == digest) return std::move(executed->block);
  }
  Block null = null_block(seq);
  if (block_digest(null) == digest) return null;
  return std::nullopt;
}

// Each request costs the requester's allowance at least one read (kMinServeChargeBytes), also
// when this replica does not hold the block, so a flood of requests is served at most at the
// allowance's rate, like FETCH (replica_transfer.cpp).
void Replica::on_block_request(const Message& msg, std::vector<Action>& out) {
  const BlockRequest& request = std::get<BlockRequest>(msg.body);
  std::uint64_t& allowance = fetch_allowance(msg.sender);
  if (allowance < kMinServeChargeBytes) return drop(DropReason::kRateLimited);
  std::optional<Block> block = find_block(request.seq, request.digest);
  const std::uint64_t cost = block ? std::max<std::uint64_t>(kMinServeChargeBytes, encoded_block_size(*block))
                                   : kMinServeChargeBytes;
  allowance -= std::min(allowance, cost);
  if (!block) return drop(DropReason::kStale);  // not held here: the requester asks another
  send_to(msg.sender, sign_message(BlockReply{std::move(*block)}), out);
  ++stats_.blocks_served;
}

void Replica::on_block_reply(const Message& msg, std::vector<Action>& out) {
  const Block& block = std::get<BlockReply>(msg.body).block;
  AwaitedNewView& awaited = *awaited_new_view_;  // precheck: awaited, planned, not yet held
  if (block_digest(block) != awaited.plan.digests.at(block.height)) return drop(DropReason::kBadProof);
  awaited.blocks.emplace(block.height, block);
  for (const auto& [seq, digest] : awaited.plan.digests) {
    if (seq > stable_.seq && !awaited.blocks.contains(seq)) return;  // still waiting
  }
  AwaitedNewView complete = std::move(awaited);
  awaited_new_view_.reset();
  install_new_view(complete, out);
}

}  // namespace hc::consensus
