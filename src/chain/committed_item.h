// The self-proving JSON form of one committed transaction, as the node's API serves it
// (docs/api.md: the items of GET /v1/records/{serial} and the "publication" of
// GET /v1/envelope-key): the transaction (its JSON and its canonical encoding), the block
// header and hash, the block's transaction ids, the transaction's Merkle proof and the block's
// commit certificate. A client checks it against the genesis alone
// (client/item_verification.h). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "chain/block.h"
#include "common/status.h"

namespace hc::chain {

// `block` is the committed block at `height`; kInvalidInput if `index` is not one of its
// transactions, kCorrupt if the stored transaction does not decode.
Result<nlohmann::json> committed_item_to_json(const Block& block, std::uint64_t height, std::uint32_t index);

}  // namespace hc::chain
