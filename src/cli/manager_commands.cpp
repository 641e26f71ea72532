// `hc manager`: the group manager's key directory and record opening.
#include <cstdio>
#include <filesystem>

#include "chain/genesis.h"
#include "cli/commands.h"
#include "cli/manager_chain_commands.h"
#include "cli/passphrase.h"
#include "client/terminal_text.h"
#include "common/bytes.h"
#include "crypto/manager_keys.h"
#include "crypto/sealed_record.h"

namespace hc::cli {

namespace {

void add_init(CLI::App* group) {
  auto* cmd = group->add_subcommand("init", "Create a manager directory with a new pseudonym key");
  auto dir = std::make_shared<std::string>();
  cmd->add_option("--dir", *dir, "Manager directory to create")->required();
  run_with(cmd, [dir]() -> Status {
    HC_RETURN_IF_ERROR(crypto::ManagerKeys::init(*dir));
    std::printf("created manager directory %s (pseudonym key: %s/pseudonym.key)\n", dir->c_str(), dir->c_str());
    return Status::ok_status();
  });
}

// Everything rotate-key needs is checked before the new key is made current: the passphrase
// must open the current envelope key (and, with --node, the session: admin key, opener key,
// genesis), so a wrong passphrase leaves the directory as it was.
Status check_rotation_passphrase(const crypto::ManagerKeys& keys, const SecureBytes& passphrase) {
  if (!keys.current_key_id()) return Status::ok_status();
  auto current = keys.private_key(*keys.current_key_id(), passphrase);
  if (!current.ok()) return current.status().with_context("the current envelope key");
  return Status::ok_status();
}

void add_rotate_key(CLI::App* group) {
  auto* cmd = group->add_subcommand("rotate-key", "Create the day's RSA-3072 envelope key and make it current");
  auto dir = std::make_shared<std::string>();
  auto node = std::make_shared<std::string>();
  auto pass = std::make_shared<PassphraseOption>();
  cmd->add_option("--dir", *dir, "Manager directory")->required();
  cmd->add_option("--node", *node,
                  "Also publish the new key on the chain through this node's API URL (or later: hc manager "
                  "publish-key)");
  pass->add_to(cmd);
  run_with(cmd, [dir, node, pass]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, pass->read());
    HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(*dir));
    HC_RETURN_IF_ERROR(check_rotation_passphrase(keys, passphrase));
    if (!node->empty()) HC_RETURN_IF_ERROR(check_manager_session(*dir, passphrase));
    HC_ASSIGN_OR_RETURN(crypto::KeyId id, keys.rotate(passphrase));
    std::printf("new envelope key %s\npublic key for doctors: %s\n", to_hex(id).c_str(),
                keys.current_public_key_path().c_str());
    if (node->empty()) return Status::ok_status();
    Status published = publish_current_envelope_key(*dir, *node, passphrase);
    if (published.ok()) return published;
    return published.with_context("the new key is current but not published; publish it with hc manager publish-key");
  });
}

void print_visit(const crypto::SealedRecord& record, const crypto::Visit& visit) {
  // The payload's text is escaped: a newline or an escape sequence in it cannot forge a line.
  std::printf("serial:    %s\nkey id:    %s\ntime:      %s\ndiagnosis: %s\n", to_hex(record.serial).c_str(),
              to_hex(record.key_id).c_str(), client::for_terminal(visit.time).c_str(),
              client::for_terminal(visit.diagnosis).c_str());
  if (visit.fhir_json.has_value()) std::printf("fhir:      %s\n", client::for_terminal(*visit.fhir_json).c_str());
}

// Trustees mode (the manager directory's genesis says so): records are read and hospitals
// unmasked only through requests the trustees answer, never with a key in this directory.
Status refuse_open_record_in_trustees_mode(const std::string& dir) {
  const std::filesystem::path genesis_file = std::filesystem::path(dir) / "genesis.json";
  std::error_code ec;
  if (!std::filesystem::exists(genesis_file, ec)) return Status::ok_status();
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(genesis_file.string()));
  if (genesis.access_mode != chain::AccessMode::kTrustees) return Status::ok_status();
  return Status::error(ErrorCode::kUnavailable,
                       "this is a trustees-mode chain: no key in " + dir +
                           " reads a record or unmasks a hospital; use hc access request (t trustees answer a "
                           "request committed on the chain)");
}

void add_open_record(CLI::App* group) {
  auto* cmd = group->add_subcommand("open-record", "Decrypt a sealed record and print the visit");
  struct Args {
    std::string dir, file;
    PassphraseOption pass;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--dir", a->dir, "Manager directory")->required();
  cmd->add_option("file", a->file, "Sealed record file")->required();
  a->pass.add_to(cmd);
  run_with(cmd, [a]() -> Status {
    HC_RETURN_IF_ERROR(refuse_open_record_in_trustees_mode(a->dir));
    HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, crypto::read_sealed_record(a->file));
    HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(a->dir));
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a->pass.read());
    HC_ASSIGN_OR_RETURN(crypto::EnvelopePrivateKey key, keys.private_key(record.key_id, passphrase));
    HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::open_record(record, key));
    print_visit(record, visit);
    return Status::ok_status();
  });
}

}  // namespace

void register_manager_commands(CLI::App& app) {
  auto* group = app.add_subcommand("manager", "Group manager: envelope keys and record opening");
  group->require_subcommand(1);
  add_init(group);
  add_rotate_key(group);
  add_open_record(group);
  add_manager_chain_commands(group);
  add_manager_membership_commands(group);
}

}  // namespace hc::cli
