// `hc access policy add | remove | list` and `hc access reader-key create | show` (trustees
// mode, issue 13 item 3): the manager lists or unlists the readers who may sign access
// requests (a reader_policy transaction signed with the admin key, docs/ledger.md "Reader
// policy"), anyone with a reader token lists the policy as the chain proves it
// (client/reader_policy_list.h), and a reader makes the key file it signs its requests with
// (encrypted PKCS#8, passphrase from --passphrase-file or $HC_PASSPHRASE, never a command-line
// value) and prints its public key for the manager to list. Display names are untrusted text:
// shown through client/terminal_text.h.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

#include "cli/access_commands.h"
#include "cli/commands.h"
#include "cli/passphrase.h"
#include "client/genesis_trust.h"
#include "client/manager_session.h"
#include "client/manager_transaction.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/reader_policy_list.h"
#include "client/terminal_text.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"

namespace hc::cli {

namespace {

using nlohmann::json;

struct PolicyArgs {
  std::string dir, node, reader_token_file, reader_key_hex, name, rights = "decrypt";
  std::string genesis, token_file;  // list
  bool json = false;
  PassphraseOption pass;
};

Result<std::uint8_t> parse_rights(const std::string& text) {
  if (text == "decrypt") return chain::kReaderRightDecrypt;
  if (text == "open") return chain::kReaderRightOpen;
  if (text == "decrypt+open" || text == "open+decrypt") return chain::kReaderRightsAll;
  return invalid_input("--rights must be decrypt, open or decrypt+open, not '" + client::for_terminal(text) + "'");
}

Result<chain::Ed25519PublicKey> parse_reader_key(const std::string& hex) {
  auto key = crypto::Ed25519PublicKey::from_hex(hex);
  if (!key.ok()) return invalid_input("--reader: not an Ed25519 public key (64 hex digits, as hc access reader-key create prints)");
  return key->bytes();
}

Result<client::ProvenReaderPolicy> fetch_policy(const client::NodeClient& node, const client::ChainTrust& trust) {
  HC_ASSIGN_OR_RETURN(json answer, node.reader_policy_answer());
  return client::verify_reader_policy_answer(answer, trust);
}

// Signs `change` (its version: the proven policy's next) with the admin key, posts it and
// waits for its commit.
Status submit_change(PolicyArgs& a, chain::ReaderPolicyTx change) {
  if (a.dir.empty() || a.node.empty()) return invalid_input("--dir and --node are required");
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(a.dir, std::move(passphrase)));
  if (session->genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: it has no reader policy (only the manager reads records)");
  }
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis(session->genesis()));
  trust.follow_changes_of(a.node);
  std::string token;
  if (a.reader_token_file.empty()) {
    HC_ASSIGN_OR_RETURN(token, session->reader_token());
  } else {
    HC_ASSIGN_OR_RETURN(token, client::read_token_file(a.reader_token_file));
  }
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::connect_to_node(a.node, std::move(token), session->genesis()));
  HC_ASSIGN_OR_RETURN(client::ProvenReaderPolicy policy, fetch_policy(node, trust));
  change.chain_id = chain::genesis_hash(session->genesis());
  change.policy_version = policy.policy_version + 1;
  HC_ASSIGN_OR_RETURN(client::CommittedTx committed, client::submit_manager_tx(*session, node, chain::Transaction{change}));
  const std::string who = "reader " + to_hex(change.reader_key) +
                          (change.name.empty() ? "" : " (" + client::for_terminal(change.name) + ")");
  if (change.action == chain::ReaderPolicyAction::kAdd) {
    std::printf("%s listed with rights %s\n", who.c_str(), chain::reader_rights_text(change.rights));
  } else {
    std::printf("%s removed: its requests are refused from the next block on\n", who.c_str());
  }
  std::printf("reader policy version %llu, transaction %s at height %llu\n",
              static_cast<unsigned long long>(change.policy_version), committed.tx_id.c_str(),
              static_cast<unsigned long long>(committed.height));
  return Status::ok_status();
}

Status policy_add(PolicyArgs& a) {
  chain::ReaderPolicyTx change;
  change.action = chain::ReaderPolicyAction::kAdd;
  HC_ASSIGN_OR_RETURN(change.reader_key, parse_reader_key(a.reader_key_hex));
  HC_ASSIGN_OR_RETURN(change.rights, parse_rights(a.rights));
  change.name = a.name;
  change.policy_version = 1;  // checked with the fields before anything is read
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(chain::Transaction(change)));
  return submit_change(a, std::move(change));
}

Status policy_remove(PolicyArgs& a) {
  chain::ReaderPolicyTx change;
  change.action = chain::ReaderPolicyAction::kRemove;
  HC_ASSIGN_OR_RETURN(change.reader_key, parse_reader_key(a.reader_key_hex));
  return submit_change(a, std::move(change));
}

Status policy_list(const PolicyArgs& a) {
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  trust.follow_changes_of(a.node);
  if (trust.genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: it has no reader policy (only the manager reads records)");
  }
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::connect_to_node(a.node, std::move(token), trust.genesis()));
  HC_ASSIGN_OR_RETURN(client::ProvenReaderPolicy policy, fetch_policy(node, trust));
  if (a.json) {
    json readers = json::array();
    for (const chain::ReaderEntry& r : policy.readers) {
      json entry{{"reader_key", to_hex(r.key)}, {"name", r.name},    {"listed", r.listed},
                 {"policy_version", r.version}, {"height", r.height}, {"tx_id", chain::digest_hex(r.tx_id)}};
      if (r.listed) entry["rights"] = chain::reader_rights_text(r.rights);
      readers.push_back(std::move(entry));
    }
    json out{{"policy_version", policy.policy_version}, {"readers", readers}};
    std::printf("%s\n", out.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return Status::ok_status();
  }
  std::size_t listed = 0;
  for (const chain::ReaderEntry& r : policy.readers) listed += r.listed ? 1 : 0;
  std::printf("reader policy version %llu: %zu reader(s) listed besides the manager\n",
              static_cast<unsigned long long>(policy.policy_version), listed);
  for (const chain::ReaderEntry& r : policy.readers) {
    if (r.listed) {
      std::printf("  %s  %-12s listed at height %llu  %s\n", to_hex(r.key).c_str(), chain::reader_rights_text(r.rights),
                  static_cast<unsigned long long>(r.height), client::for_terminal(r.name).c_str());
    } else {
      std::printf("  %s  %-12s removed at height %llu  %s\n", to_hex(r.key).c_str(), "-",
                  static_cast<unsigned long long>(r.height), client::for_terminal(r.name).c_str());
    }
  }
  return Status::ok_status();
}

struct ReaderKeyArgs {
  std::string file;
  PassphraseOption pass;
};

Status reader_key_create(const ReaderKeyArgs& a) {
  if (std::filesystem::exists(a.file)) return invalid_input(a.file + " exists: a reader key is never overwritten");
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::generate());
  HC_ASSIGN_OR_RETURN(std::string pem, key.to_encrypted_pem(passphrase));
  HC_RETURN_IF_ERROR(write_text_file_atomic(a.file, pem, 0600));
  std::printf("%s\n", key.public_key().to_hex().c_str());
  return Status::ok_status();
}

Status reader_key_show(const ReaderKeyArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  auto key = crypto::Ed25519PrivateKey::load(a.file, passphrase);
  if (!key.ok()) return key.status().with_context("reader key " + a.file);
  std::printf("%s\n", key->public_key().to_hex().c_str());
  return Status::ok_status();
}

void add_manager_options(CLI::App* cmd, PolicyArgs& a) {
  cmd->add_option("--dir", a.dir, "Manager directory (its admin key signs the change)")->required();
  cmd->add_option("--node", a.node, "A node's API URL (verified against the genesis)")->required();
  cmd->add_option("--reader", a.reader_key_hex, "The reader's Ed25519 public key (64 hex digits)")->required();
  cmd->add_option("--reader-token-file", a.reader_token_file,
                  "File holding a reader token, to read the current policy; default DIR/reader.token");
  a.pass.add_to(cmd);
}

}  // namespace

void register_access_policy_commands(CLI::App* group) {
  auto* policy = group->add_subcommand(
      "policy", "The reader policy: who besides the manager may request records (decrypt) or hospitals (open)");
  policy->require_subcommand(1);
  auto p = std::make_shared<PolicyArgs>();
  auto* add = policy->add_subcommand("add", "List a reader (manager): its requests are allowed from the next block on");
  add_manager_options(add, *p);
  add->add_option("--name", p->name, "The reader's display name (1..64 bytes of printable UTF-8, unique among readers)")
      ->required();
  add->add_option("--rights", p->rights, "decrypt (read records), open (name hospitals) or decrypt+open")
      ->default_val("decrypt");
  run_with(add, [p]() { return policy_add(*p); });
  auto* remove = policy->add_subcommand("remove", "Unlist a reader (manager): its later requests are refused");
  add_manager_options(remove, *p);
  run_with(remove, [p]() { return policy_remove(*p); });
  auto* list = policy->add_subcommand("list", "Show the reader policy as the chain proves it (listed and removed readers)");
  list->add_option("--node", p->node, "A node's API URL (verified against --genesis)")->required();
  list->add_option("--genesis", p->genesis, "The chain's genesis file")->required();
  list->add_option("--token-file", p->token_file, "File holding a reader token")->required();
  list->add_flag("--json", p->json, "Print the result as JSON (for scripts)");
  run_with(list, [p]() { return policy_list(*p); });

  auto* keys = group->add_subcommand("reader-key", "A reader's own Ed25519 key, which signs its access requests");
  keys->require_subcommand(1);
  auto k = std::make_shared<ReaderKeyArgs>();
  auto* create = keys->add_subcommand(
      "create", "Create an encrypted reader key file and print its public key (give it to the manager: hc access policy add)");
  create->add_option("--out", k->file, "The key file to create (mode 0600, never overwritten)")->required();
  k->pass.add_to(create);
  run_with(create, [k]() { return reader_key_create(*k); });
  auto* show = keys->add_subcommand("show", "Print a reader key file's public key");
  show->add_option("--key", k->file, "The reader's key file")->required();
  k->pass.add_to(show);
  run_with(show, [k]() { return reader_key_show(*k); });
}

}  // namespace hc::cli
