// The JSON view of a transaction, for the API and the CLI. The binary encoding stays the only
// form that is hashed or signed; JSON round-trips to the same encoding.
//
// Fixed-size fields are lowercase hex, variable byte strings standard base64, integers JSON
// numbers (u64 fields as decimal strings, since JSON numbers lose precision past 2^53).
// transaction_from_json() rejects unknown kinds, missing or extra fields, bad hex/base64 and
// the same limits as the binary decoder. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "chain/transaction.h"

namespace hc::chain {

nlohmann::json transaction_to_json(const Transaction& tx);
Result<Transaction> transaction_from_json(const nlohmann::json& json);

}  // namespace hc::chain
