// The trustees' opener key of a key epoch as a client believes it (docs/threshold.md,
// "Threshold opening"): recomputed from the epoch's proven DKG transcript, the opener deals
// that ride on the proven deals and the proven complaints against them, exactly as the chain
// computes it (chain/opener_key_state.h): only dealers qualified for the access key count,
// finalize_opener_dkg judges the opener complaints. The result gives h and every trustee's
// public share U_j, against which the partial openings' proofs are checked. A node that
// withholds an opener complaint can at worst make the client compute a key the trustees'
// partial openings do not match: every proof then fails and nothing is opened; it cannot make
// a wrong member appear. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "chain/genesis.h"
#include "common/status.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::client {

struct ProvenOpenerTranscript {
  std::vector<std::pair<std::uint16_t, Bytes>> deals;  // (dealer, opener deal bytes)
  std::vector<Bytes> complaints;                       // opener complaints' bytes
};

// kAuthFailed (naming why) when the transcript forms no opener key; kInvalidInput when the
// genesis group key does not decode.
Result<crypto::threshold::OpenerKeyPublic> opener_key_from_transcript(const chain::Genesis& genesis,
                                                                      const chain::Digest& chain_id,
                                                                      std::uint64_t key_epoch,
                                                                      const std::vector<std::uint16_t>& qualified,
                                                                      const ProvenOpenerTranscript& transcript);

}  // namespace hc::client
