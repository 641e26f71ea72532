// Read-only queries of the trustees-mode state for the node API and the `hc` commands of the
// next slice (HealthchainApp::query): "access_key" (the current access key: key epoch, key id,
// Y, t, public shares, qualified dealers), "access_key/<epoch>", "dkg/<epoch>" (the DKG
// schedule, deals by dealer, complaints with verdicts, outcome) and "access_request/<tx id>"
// (the request and every trustee's decryption-shares transaction) and "reader_policy" (the
// policy version and every reader entry, listed or removed; reader_policy.h), and the resharing
// queries "reshare[/<r>]" and "sharing/<key epoch>" (reshare_query.h); "access_key" also names
// the sharing in force ("sharing"). Thread-safe as store reads.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chain/ledger_store.h"
#include "chain/reader_policy.h"
#include "common/status.h"

namespace hc::chain {

// nullopt when `verb` is not a trustees query; kNotFound when absent; kInvalidInput for a
// malformed argument.
std::optional<Result<nlohmann::json>> query_trustees_state(const LedgerStore& store, std::string_view verb,
                                                           std::optional<std::string_view> arg);

// One reader entry as JSON: {reader_key (hex), name, rights ("decrypt" | "open" |
// "decrypt+open"), listed, policy_version, height, tx_id} (the change that wrote it).
nlohmann::json reader_entry_json(const ReaderEntry& entry);

}  // namespace hc::chain
