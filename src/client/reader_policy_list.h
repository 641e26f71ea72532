// The reader policy as a client believes it (`hc access policy list|add|remove`): the node's
// GET /v1/reader-policy answer checked against the genesis alone. Each entry's item (the
// committed reader_policy transaction that last wrote it) must verify as a committed item
// (client/item_verification.h), be signed by the genesis admin key, name this chain, and say
// what the entry says: the same key and version, an addition with the same name and rights
// for a listed reader, a removal for a removed one. The answer proves each entry's last
// change was committed; like every read route it cannot prove that no later change was left
// out (ask several nodes). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "chain/reader_policy.h"
#include "client/genesis_trust.h"
#include "common/status.h"

namespace hc::client {

struct ProvenReaderPolicy {
  std::uint64_t policy_version = 0;  // the highest version among the proven entries' changes
  std::vector<chain::ReaderEntry> readers;  // by key, listed or removed
};

// kAuthFailed naming the entry and the check that fails; kInvalidInput for a malformed answer.
Result<ProvenReaderPolicy> verify_reader_policy_answer(const nlohmann::json& answer, const ChainTrust& trust);

}  // namespace hc::client
