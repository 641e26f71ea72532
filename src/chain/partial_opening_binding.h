// What the ledger checks of a partial opening inside an answer (docs/ledger.md, "Trustees"):
// its binding fields only, read at their fixed offsets in crypto/threshold/partial_opening.h's
// 243-byte encoding, so that hc_chain's state machine stays free of the pairing code. The
// DLEQ proof itself is checked by every reader and by `hc group judge`
// (crypto/threshold/opening_evidence.h); a trustee whose proof fails has signed its own
// blame on the chain. tests/chain/trustees_opening_test.cpp keeps the offsets in step with
// the real encoder. Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "chain/digest.h"
#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

struct PartialOpeningBinding {
  Digest chain_id{};
  std::uint64_t key_epoch = 0;
  Digest request_id{};
  std::uint16_t trustee = 0;
};

// kInvalidInput naming the field when `partial` is not 243 bytes, does not start with the
// partial opening's domain tag, or binds another chain, key epoch, request or trustee.
Status check_partial_opening_binding(ByteSpan partial, const PartialOpeningBinding& expected);

}  // namespace hc::chain
