// Where each hospital that joined by governance stands in the group (issue 16 item 3): what
// GET /v1/consortium adds as "group" and what `hc consortium status` reads to say that an
// enrollment or a revocation is owed. From the committed ledger: the member entries (its name,
// whether its join request named an enrollment key), the committed registry entries (enrolled)
// and the committed revocation records (which name the revoked member). Genesis hospitals are
// left out (enrolled at genesis, their names are not on the chain). Thread-safe as the store's
// reads.
#pragma once

#include <nlohmann/json.hpp>

#include "chain/ledger_store.h"
#include "common/status.h"

namespace hc::node {

// [{"id", "name", "current", "enrollment_key", "enrolled", "revoked"}, ...] in id order, at
// most kMaxReplicas entries. kCorrupt / kIo from the store.
Result<nlohmann::json> group_membership_json(const chain::LedgerStore& store);

}  // namespace hc::node
