// The opener key's side of a resharing on the chain (issue 16 item 3; docs/threshold.md, "On
// the chain" for resharing; docs/groupsig.md): computed by anyone from the committed transcript
// (the opener deals that the old trustees' reshare deals carry and the complaints against
// them, chain/reshare_state.h), beside the record verifier in hc_chain_bbs04 because it needs
// the pairing code; the ledger itself stores the transcript and decides the access key's side.
//
// Qualification is shared one way, as in the DKG: only old dealers qualified for the access
// key's resharing (its stored outcome) take part, so a dealer out of the access key is out of
// the opener key too; among them finalize_reshare<OpenerKeyGroup> judges the opener complaints.
// If the access key's resharing formed but the opener key's did not (fewer than t_old usable
// opener deals among the qualified dealers), no sharing of the opener key is in force for
// later requests (the new trustees hold no opener shares and the old ones are to be erased):
// such requests get no partial openings (docs/threshold.md says so).
// Pure, deterministic functions over a TrusteeStateView (thread-safe as its reads).
#pragma once

#include <cstdint>
#include <optional>

#include "chain/reshare_state.h"
#include "crypto/threshold/opener_reshare.h"

namespace hc::chain {

// The opener key's ReshareParams of `run` (the opener key in force at its start, the same new
// trustee set as the access key's): kUnavailable before its announcement window closed,
// kInvalidInput if the resharing failed for lack of announcements or its key epoch has no
// opener key.
Result<crypto::threshold::OpenerReshareParams> opener_reshare_params_for(const TrusteeStateView& state,
                                                                         const ReshareRun& run,
                                                                         std::uint64_t committed_height);

// The opener key (u, h, t, public shares) that answers partial openings for requests of
// `key_epoch` committed at `request_height`: the DKG's (read_opener_key), or the outcome of the
// last resharing finalized before that height. nullopt if the epoch has no opener key or the
// last such resharing's opener side did not form.
Result<std::optional<crypto::threshold::OpenerKeyPublic>> read_opener_key_in_force(const TrusteeStateView& state,
                                                                                   std::uint64_t key_epoch,
                                                                                   std::uint64_t request_height);

}  // namespace hc::chain
