#include "consensus/message_budget.h"

#include <string>

namespace hc::consensus {
namespace {

constexpr std::size_t kBudgetEnvelopeBytes = 1 + 1 + 8 + 4 + 4 + 64;
constexpr std::size_t kBudgetVoteBytes = 8 + 8 + 32;
constexpr std::size_t kBudgetSignerBytes = 4 + 64;

std::size_t signers_bytes(std::size_t count) { return 4 + count * kBudgetSignerBytes; }

// A block as PRE-PREPARE and BLOCK-REPLY carry it: header, then at most max_batch_bytes of
// transactions (or one transaction past it), each with its length.
std::size_t max_block_bytes(const ConsensusConfig& c) {
  return 8 + 8 + 8 + 4 + 4 + std::size_t{c.max_batch_txs} * 4 + c.max_batch_bytes + c.max_tx_bytes;
}

// A VIEW-CHANGE body: checkpoint proof and at most a window of prepared proofs, each with at
// most n signers (what decoding allows, so any VIEW-CHANGE a NEW-VIEW embeds is covered).
std::size_t max_view_change_body_bytes(const ConsensusConfig& c) {
  const std::size_t n = c.id_space();
  const std::size_t proof = kBudgetVoteBytes + 64 + signers_bytes(n);
  return 8 + (8 + 32 + signers_bytes(n)) + 4 + std::size_t{c.window_blocks} * proof;
}

// 2f+1 embedded VIEW-CHANGEs (sender, signature, length, body) and one digest entry per
// sequence number of the window.
std::size_t max_new_view_body_bytes(const ConsensusConfig& c) {
  const std::size_t embedded = 4 + 64 + 4 + max_view_change_body_bytes(c);
  return 8 + 4 + std::size_t{c.max_quorum()} * embedded + 4 + std::size_t{c.window_blocks} * (8 + 32 + 64);
}

}  // namespace

std::size_t message_budget_bytes(MsgType type, const ConsensusConfig& c) {
  switch (type) {
    case MsgType::kPrePrepare: return kBudgetEnvelopeBytes + kBudgetVoteBytes + max_block_bytes(c);
    case MsgType::kPrepare:
    case MsgType::kCommit:
    case MsgType::kBlockRequest: return kBudgetEnvelopeBytes + kBudgetVoteBytes;
    case MsgType::kCheckpoint: return kBudgetEnvelopeBytes + 8 + 32;
    case MsgType::kViewChange: return kBudgetEnvelopeBytes + max_view_change_body_bytes(c);
    case MsgType::kNewView: return kBudgetEnvelopeBytes + max_new_view_body_bytes(c);
    case MsgType::kFetch: return kBudgetEnvelopeBytes + 8 + 8;
    case MsgType::kBlocks:
    case MsgType::kForward: return c.max_message_bytes;  // chunked to fit
    case MsgType::kBlockReply: return kBudgetEnvelopeBytes + max_block_bytes(c);
  }
  return c.max_message_bytes;
}

Status check_message_budget(MsgType type, std::size_t wire_bytes, const ConsensusConfig& config) {
  const std::size_t budget = message_budget_bytes(type, config);
  if (wire_bytes <= budget) return Status();
  return Status::error(ErrorCode::kTooLarge, std::string(msg_type_name(type)) + " of " +
                                                 std::to_string(wire_bytes) + " bytes exceeds its budget of " +
                                                 std::to_string(budget) + " bytes");
}

Status budgets_fit_frame(const ConsensusConfig& config) {
  for (std::uint8_t t = 1; t <= kLastMsgType; ++t) {
    const auto type = static_cast<MsgType>(t);
    if (message_budget_bytes(type, config) > config.max_message_bytes) {
      return invalid_input(std::string("max_message_bytes cannot hold the largest ") + msg_type_name(type) +
                           " (" + std::to_string(message_budget_bytes(type, config)) +
                           " bytes): lower window_blocks or the batch limits");
    }
  }
  return Status();
}

}  // namespace hc::consensus
