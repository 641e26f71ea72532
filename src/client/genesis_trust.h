// Where `hc` gets its TLS trust from: the chain's genesis (docs/deploy.md, "Trust anchors").
// The TLS CA certificates of the hospitals are read from a genesis file; a client verifies a
// node's https:// API against them and nothing else (no system CA store). Pure functions;
// thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace hc::client {

// The genesis file's TLS CA certificates (possibly none, for a development chain without
// TLS). kInvalidInput / kNotFound for an unreadable or malformed genesis.
Result<std::vector<std::string>> tls_anchors_from_genesis_file(const std::filesystem::path& genesis_file);

}  // namespace hc::client
