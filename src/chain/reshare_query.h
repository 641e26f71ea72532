// Read-only queries of the resharing state for the node API and clients (HealthchainApp::query
// through query_trustees_state): "reshare" (the latest resharing) and "reshare/<r>" (its run,
// schedule and phase, the announced keys, the deals, the complaints with their verdicts, the
// opener transcript and the outcome: everything a client needs to recompute the outcome with
// finalize_reshare from self-proving data), and "sharing/<key epoch>" (the sharing in force
// now and every earlier one). Thread-safe as the view's reads.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chain/reshare_state.h"
#include "common/status.h"

namespace hc::chain {

// {key_epoch, reshare_epoch, in_force_from, threshold, key_id, access_key, trustees [{index,
// member, key}], public_shares [hex]} (numbers above 2^53 as decimal strings, as elsewhere).
nlohmann::json sharing_json(const TrusteeSharing& sharing);

// nullopt when `verb` is not a resharing query; kNotFound when absent; kInvalidInput for a
// malformed argument.
std::optional<Result<nlohmann::json>> query_reshare_state(const TrusteeStateView& view, std::uint64_t committed_height,
                                                          std::string_view verb, std::optional<std::string_view> arg);

}  // namespace hc::chain
