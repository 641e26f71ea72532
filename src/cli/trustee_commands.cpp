// `hc trustee status`: a node's trustee status (GET /v1/trustee, docs/api.md) in readable form:
// the chain's access mode, this node's trustee index, the current key epoch, the DKG phase,
// the access key id, how many access requests it answered, its last error, and its part in
// resharings (issue 16 item 3: the sharing in force and its seat there, the latest resharing's
// epoch, phase and this node's announcements, deals and complaints, the trustee key files it
// still holds). What the node
// says about itself is shown as reported (it is not a chain fact: the chain's own record of
// the DKG is what `hc access` and `hc record submit` verify). On a single-manager chain the
// node answers 404 and hc says so in one line.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "chain/genesis.h"
#include "cli/commands.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/terminal_text.h"

namespace hc::cli {

namespace {

using nlohmann::json;

struct TrusteeStatusArgs {
  std::string node, genesis, token_file;
  bool json = false;
};

std::string trustee_field_text(const json& value) {
  if (value.is_string()) return client::for_terminal(value.get<std::string>());
  if (value.is_null()) return "-";
  return client::for_terminal(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The fields in a fixed order with their labels; anything else the node adds follows.
void print_trustee_status(const json& status) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"mode", "access mode"},          {"trustee_index", "trustee index"},
      {"key_epoch", "key epoch"},       {"dkg_phase", "DKG phase"},
      {"key_id", "access key id"},      {"requests_answered", "requests answered"},
      {"last_error", "last error"},     {"sharing", "sharing in force"},
      {"resharing", "resharing"},       {"key_files_held", "key files held"},
  };
  for (const auto& [key, label] : kLabels) {
    if (status.contains(key)) std::printf("%-18s %s\n", label, trustee_field_text(status[key]).c_str());
  }
  for (const auto& [key, value] : status.items()) {
    bool known = false;
    for (const auto& [k, label] : kLabels) known = known || key == k;
    if (!known) std::printf("%-18s %s\n", client::for_terminal(key).c_str(), trustee_field_text(value).c_str());
  }
}

Status trustee_status(const TrusteeStatusArgs& a) {
  std::string token;
  if (!a.token_file.empty()) {
    HC_ASSIGN_OR_RETURN(token, client::read_token_file(a.token_file));
  }
  auto genesis = chain::load_genesis_file(a.genesis);
  if (!genesis.ok()) {
    secure_wipe(token.data(), token.size());
    return genesis.status().with_context("genesis " + a.genesis);
  }
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::connect_to_node(a.node, std::move(token), *genesis));
  auto status = node.trustee_status();
  if (!status.ok() && status.status().code() == ErrorCode::kNotFound) {
    return invalid_input("the node is not a trustee: its chain is single-manager (" + status.status().message() + ")");
  }
  if (!status.ok()) return status.status();
  if (!status->is_object()) return invalid_input("node answer: the trustee status is not a JSON object");
  if (a.json) {
    std::printf("%s\n", status->dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    print_trustee_status(*status);
  }
  return Status::ok_status();
}

}  // namespace

void register_trustee_commands(CLI::App& app) {
  auto* group = app.add_subcommand("trustee", "Trustees mode: a node's work as a trustee");
  group->require_subcommand(1);
  auto a = std::make_shared<TrusteeStatusArgs>();
  auto* cmd = group->add_subcommand("status", "Show a node's trustee status: key epoch, DKG phase, requests answered");
  cmd->add_option("--node", a->node, "The node's API URL")->required();
  cmd->add_option("--genesis", a->genesis, "The chain's genesis file (its CA certificates verify the node)")->required();
  cmd->add_option("--token-file", a->token_file, "File holding a bearer token, if the node asks for one");
  cmd->add_flag("--json", a->json, "Print the node's answer as JSON");
  run_with(cmd, [a]() { return trustee_status(*a); });
}

}  // namespace hc::cli
