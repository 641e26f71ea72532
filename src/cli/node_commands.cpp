// `hc node init | join | backup | restore`: one hospital's side of a deployment on separate
// machines (docs/deploy.md, hospital_setup.h). `init` creates the hospital's keys, certificates
// and doctor token in a directory and writes the public part to send to the coordinator; `join`
// takes the coordinator's bundle and writes the node's config; `backup` copies a (running)
// node's data directory and `restore` puts a backup into a fresh one (node_backup.h). Passphrases come from files or
// $HC_PASSPHRASE, never from the command line.
#include <cstdio>

#include "cli/commands.h"
#include "cli/hospital_setup.h"
#include "cli/node_backup.h"
#include "cli/passphrase.h"
#include "client/node_client.h"

namespace hc::cli {

namespace {

void add_node_init(CLI::App* group) {
  auto* cmd = group->add_subcommand("init", "Create this hospital's keys and certificates; write its public part");
  auto o = std::make_shared<HospitalInitOptions>();
  auto pass = std::make_shared<PassphraseOption>();
  cmd->add_option("--dir", o->dir, "New directory for the hospital's keys and config (absent or empty)")->required();
  cmd->add_option("--chain-id", o->chain_id, "The chain to join (the consortium agrees on its name)")->required();
  cmd->add_option("--name", o->name, "This hospital's member name, 1..64 of [A-Za-z0-9._-]")->required();
  cmd->add_option("--host", o->host, "This node's public address (DNS name or IPv4) for peers and clients")->required();
  cmd->add_option("--peer-port", o->peer_port, "PBFT port the other hospitals connect to")->required();
  cmd->add_option("--api-port", o->api_port, "HTTPS API port for doctors and the manager")->required();
  cmd->add_option("--bind", o->bind_host, "Local address the node listens on")->default_val(o->bind_host);
  pass->add_to(cmd);
  run_with(cmd, [o, pass]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, pass->read());
    HC_ASSIGN_OR_RETURN(HospitalPublicPart part, init_hospital(*o, passphrase));
    std::printf("hospital %s initialised in %s\n", part.name.c_str(), o->dir.string().c_str());
    std::printf("send %s to the coordinator (it holds no secret); compare its TLS CA fingerprint by phone:\n",
                (o->dir / "public.json").string().c_str());
    std::printf("  openssl x509 -noout -fingerprint -sha256 -in %s\n", (o->dir / "tls-ca.pem").string().c_str());
    return Status::ok_status();
  });
}

struct JoinArgs {
  JoinOptions options;
  std::string transfer_code_file;
};

void add_node_join(CLI::App* group) {
  auto* cmd = group->add_subcommand("join", "Take the coordinator's bundle: check it, write the node's config");
  auto a = std::make_shared<JoinArgs>();
  auto pass = std::make_shared<PassphraseOption>();
  cmd->add_option("--dir", a->options.dir, "The directory `hc node init` made")->required();
  cmd->add_option("--bundle", a->options.bundle, "This hospital's bundle from `hc genesis assemble` (OUT/<name>)")
      ->required();
  cmd->add_option("--transfer-code-file", a->transfer_code_file,
                  "File holding the transfer code the coordinator sent by another channel")
      ->required();
  pass->add_to(cmd);
  run_with(cmd, [a, pass]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, pass->read());
    HC_ASSIGN_OR_RETURN(std::string code_text, client::read_token_file(a->transfer_code_file));
    SecureBytes code{std::string_view(code_text)};
    secure_wipe(code_text.data(), code_text.size());
    HC_RETURN_IF_ERROR(join_consortium(a->options, code, passphrase));
    std::printf("joined: start the node with hc-node --config %s --passphrase-file FILE\n",
                (a->options.dir / "node.json").string().c_str());
    return Status::ok_status();
  });
}

void add_node_backup(CLI::App* group) {
  auto* cmd = group->add_subcommand("backup", "Copy a node's data directory (ledger and consensus log), even while it runs");
  auto data = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("--data", *data, "The node's data_dir (holding ledger/ and consensus.wal)")->required();
  cmd->add_option("--out", *out, "New directory for the backup (absent or empty)")->required();
  run_with(cmd, [data, out]() -> Status {
    HC_ASSIGN_OR_RETURN(BackupSummary summary, backup_node_data(*data, *out));
    std::printf("backup of %s in %s: ledger at height %llu, consensus log %llu bytes (%d attempt(s))\n", data->c_str(),
                out->c_str(), static_cast<unsigned long long>(summary.tip_height),
                static_cast<unsigned long long>(summary.wal_bytes), summary.attempts);
    return Status::ok_status();
  });
}

void add_node_restore(CLI::App* group) {
  auto* cmd = group->add_subcommand("restore", "Put a backup into a fresh data directory (refused if not empty)");
  auto from = std::make_shared<std::string>();
  auto data = std::make_shared<std::string>();
  cmd->add_option("--from", *from, "A directory made by hc node backup")->required();
  cmd->add_option("--data", *data, "The node's new data_dir (absent or empty)")->required();
  run_with(cmd, [from, data]() -> Status {
    HC_ASSIGN_OR_RETURN(std::uint64_t height, restore_node_data(*from, *data));
    std::printf("restored %s into %s: ledger at height %llu; start the node, it catches up from its peers\n",
                from->c_str(), data->c_str(), static_cast<unsigned long long>(height));
    return Status::ok_status();
  });
}

}  // namespace

void register_node_commands(CLI::App& app) {
  auto* group = app.add_subcommand("node", "A hospital on its own machine: create its keys, join a consortium, back up its data");
  group->require_subcommand(1);
  add_node_init(group);
  add_node_join(group);
  add_node_backup(group);
  add_node_restore(group);
}

}  // namespace hc::cli
