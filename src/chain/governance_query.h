// The consortium's governance state as JSON (docs/api.md, "GET /v1/consortium"): the committed
// members, the rules of the genesis, the membership changes accepted so far (an engine fed with
// them moves at each one's boundary, docs/consensus.md section 2c, as hc-node's engine does)
// and every open proposal with its approvals and expiry height; one proposal by id. What the node serves and `hc consortium
// status` prints. Pure functions over the view; thread-safe as its reads.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "chain/governance_state.h"

namespace hc::chain {

// The whole state as seen after block `tip_height`.
Result<nlohmann::json> consortium_status_json(const TrusteeStateView& state, std::uint64_t tip_height);
// One proposal (open, expired, accepted or void); kNotFound if no proposal has this id.
Result<nlohmann::json> proposal_status_json(const TrusteeStateView& state, const Digest& id, std::uint64_t tip_height);

}  // namespace hc::chain
