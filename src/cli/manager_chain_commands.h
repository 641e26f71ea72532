// The manager's chain-facing subcommands (retrieve, audit, revoke, publish-key), added to
// `hc manager`, and the publication of the current envelope key (also used by
// `hc manager rotate-key --node`).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

void add_manager_chain_commands(CLI::App* manager_group);
// OK when the manager session opens with `passphrase` (admin key, genesis, opener key).
Status check_manager_session(const std::string& manager_dir, const SecureBytes& passphrase);
Status publish_current_envelope_key(const std::string& manager_dir, const std::string& node_url,
                                    const SecureBytes& passphrase);

}  // namespace hc::cli
