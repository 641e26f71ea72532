// The byte budget of every protocol message kind, in one place.
//
// Each budget is the largest encoding (envelope included) an honest replica can build for that
// kind under a ConsensusConfig; every one fits max_message_bytes (the transport's frame limit),
// which ConsensusConfig::validate() checks. The replica checks a message against its budget
// when it builds it (Replica::sign_message: a message over budget is never sent, it is counted)
// and when it receives one (a larger one is dropped as malformed before any signature check).
// Kinds with a variable payload are chunked to fit: BLOCKS (as many blocks as fit) and FORWARD
// (several messages). docs/consensus.md has the table. Pure functions, thread-safe.
#pragma once

#include <cstddef>

#include "common/status.h"
#include "consensus/config.h"
#include "consensus/messages.h"

namespace hc::consensus {

// The largest wire size of a message of `type` under `config`.
std::size_t message_budget_bytes(MsgType type, const ConsensusConfig& config);

// ok, or kTooLarge naming the kind, its size and its budget.
Status check_message_budget(MsgType type, std::size_t wire_bytes, const ConsensusConfig& config);

// ok if every kind's budget fits config.max_message_bytes; otherwise kInvalidInput naming the
// first kind that does not (used by ConsensusConfig::validate()).
Status budgets_fit_frame(const ConsensusConfig& config);

}  // namespace hc::consensus
