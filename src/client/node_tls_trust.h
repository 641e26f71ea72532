// Which TLS CAs `hc` and the console trust a node's https:// API with (docs/deploy.md, "Trust
// anchors"; issue 16): the genesis's hospitals' CAs and, for a hospital that joined a running
// consortium, the CA its accepted join request named, taken from the membership change history
// the client verifies from the genesis (client/configuration_history.h), never from the node's
// word alone. A node whose certificate chains to a genesis CA costs one small request more than
// a bare connection (GET /v1/status, the probe); only when that handshake is refused does the
// client fetch the change history (over TLS that does not authenticate the node: the answer
// proves itself from the genesis or is refused), verify it and retry with the members' CAs.
// Decisions (docs/deploy.md): the CA of a hospital that left stays trusted (its node still
// serves the verified chain it holds, and the genesis's CAs of departed genesis hospitals stay
// trusted likewise); a member CA that is not a well-formed CA certificate is left out.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "chain/genesis.h"
#include "chain/trustee_state.h"
#include "client/node_client.h"
#include "common/status.h"

namespace hc::client {

// The TLS CA certificates of every replica that is or was a member, from a verified governance
// state: the genesis's (in replica order), then each joined member's (in id order) that is a
// well-formed CA certificate; no duplicates. kCorrupt for an unreadable state entry.
Result<std::vector<std::string>> member_tls_cas(const chain::TrusteeStateView& verified);

// GET /v1/consortium/changes from `node_url` without authenticating the node (the caller
// verifies the answer). kUnavailable / the node's refusal.
Result<nlohmann::json> fetch_change_history_unauthenticated(const std::string& node_url);

// Verifies `change_history` (the JSON of GET /v1/consortium/changes) from the genesis and
// returns member_tls_cas of the state it proves. kAuthFailed / kInvalidInput when it does not
// verify (naming the height and check).
Result<std::vector<std::string>> verified_member_tls_cas(const chain::Genesis& genesis,
                                                         const nlohmann::json& change_history);

// The anchors to verify the node at `node_url` with: the genesis's when it is http:// or its
// certificate chains to a genesis CA, else member_tls_cas of its verified change history.
// kAuthFailed with one line when its certificate chains to no CA of a current or past member
// (or its history does not verify); kInvalidInput for a malformed URL.
Result<std::vector<std::string>> tls_anchors_for_node(const chain::Genesis& genesis, const std::string& node_url);

// NodeClient::connect with tls_anchors_for_node's anchors; `bearer_token` is wiped either way.
Result<NodeClient> connect_to_node(const std::string& node_url, std::string bearer_token, const chain::Genesis& genesis);

}  // namespace hc::client
