// The manager's chain-facing subcommands (retrieve, audit, revoke, publish-key), added to
// `hc manager`, and the publication of the current envelope key (also used by
// `hc manager rotate-key --node`).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "common/secure_bytes.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "common/status.h"

namespace hc::cli {

void add_manager_chain_commands(CLI::App* manager_group);
// `hc manager enroll | follow-membership` (manager_membership_commands.cpp).
void add_manager_membership_commands(CLI::App* manager_group);
// What follow-membership does once (also `hc cluster add-node | remove-node`): enrolls and
// revokes what is owed, saying each step through `say`; the number of steps done.
Result<std::size_t> follow_membership_once(client::ManagerSession& session, const client::NodeClient& writer,
                                           const std::function<void(const std::string&)>& say);
// OK when the manager session opens with `passphrase` (admin key, genesis, opener key).
Status check_manager_session(const std::string& manager_dir, const SecureBytes& passphrase);
Status publish_current_envelope_key(const std::string& manager_dir, const std::string& node_url,
                                    const SecureBytes& passphrase);

}  // namespace hc::cli
