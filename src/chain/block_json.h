// The JSON view of a block header (for queries and the CLI). Digests as lowercase hex, u64
// values as decimal strings. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "chain/block.h"

namespace hc::chain {

nlohmann::json header_to_json(const BlockHeader& header);

}  // namespace hc::chain
