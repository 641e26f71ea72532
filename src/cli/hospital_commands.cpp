// `hc hospital doctor|reader add|list|remove|rotate`: the hospital administrator manages the
// people who may use the hospital's node (issue 15, item 3; docs/deploy.md "Doctors and
// readers"). Every command talks to the node's /v1/accounts routes over its HTTPS API with
// the administrator's bearer token (--admin-token-file; `hc node init` and `hc cluster up`
// write admin.token). `add` and `rotate` get a fresh 256-bit token from the node and show it
// once: on stdout, or into a new 0600 file with --out. The node keeps only its hash.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "chain/genesis.h"
#include "cli/commands.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/terminal_text.h"
#include "common/secure_bytes.h"

namespace hc::cli {

namespace {

struct HospitalAccountArgs {
  std::string node, admin_token_file, genesis, name, out;
};

Result<client::NodeClient> hospital_admin_client(const HospitalAccountArgs& a) {
  std::error_code ec;
  if (!a.out.empty() && std::filesystem::exists(a.out, ec)) {
    return Status::error(ErrorCode::kAlreadyExists, "--out " + a.out + " exists; give a new file");
  }
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.admin_token_file));
  if (a.genesis.empty()) return client::NodeClient::connect(a.node, std::move(token), {});
  auto genesis = chain::load_genesis_file(a.genesis);
  if (!genesis.ok()) {
    secure_wipe(token.data(), token.size());
    return genesis.status().with_context("genesis " + a.genesis);
  }
  return client::connect_to_node(a.node, std::move(token), *genesis);  // a joined hospital's CA from the chain
}

// Writes the token to a new file (mode 0600 from its creation; an existing file is refused).
Status write_new_token_file(const std::string& path, std::string_view token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::error(errno == EEXIST ? ErrorCode::kAlreadyExists : ErrorCode::kIo,
                         "--out " + path + ": cannot create a new file (" + std::string(std::strerror(errno)) + ")");
  }
  bool ok = ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size()) && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Status::error(ErrorCode::kIo, "--out " + path + ": write failed");
  return Status::ok_status();
}

// Shows the new token once (or writes it to --out) and wipes every copy held here.
Status hand_over_token(const HospitalAccountArgs& a, nlohmann::json& answer, const char* what) {
  if (!answer.is_object() || !answer.contains("token") || !answer["token"].is_string()) {
    return Status::error(ErrorCode::kUnavailable, "the node's answer lacks the new token");
  }
  std::string& token = answer["token"].get_ref<std::string&>();
  Status written = Status::ok_status();
  if (!a.out.empty()) {
    written = write_new_token_file(a.out, token);
    if (!written.ok()) {
      written = Status::error(written.code(), written.message() + "; the account exists with a token nobody has: "
                                                                  "run rotate with another --out");
    }
    if (written.ok()) std::printf("%s %s: its token is in %s (mode 0600)\n", what, a.name.c_str(), a.out.c_str());
  } else {
    std::printf("%s %s; its token (shown only now, give it to %s by a safe channel):\n%s\n", what, a.name.c_str(),
                a.name.c_str(), client::for_terminal(token).c_str());
  }
  std::fflush(stdout);
  secure_wipe(token.data(), token.size());
  return written;
}

Status list_accounts(const HospitalAccountArgs& a, const std::string& role) {
  HC_ASSIGN_OR_RETURN(client::NodeClient node, hospital_admin_client(a));
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.list_accounts());
  if (!answer.is_object() || !answer.contains("accounts") || !answer["accounts"].is_array()) {
    return Status::error(ErrorCode::kUnavailable, "the node's answer lacks the account list");
  }
  std::size_t shown = 0;
  for (const auto& account : answer["accounts"]) {
    if (!account.is_object() || account.value("role", "") != role || !account.contains("name") ||
        !account["name"].is_string()) {
      continue;
    }
    const bool from_config = account.value("from_config", false);
    std::printf("%s%s\n", client::for_terminal(account["name"].get<std::string>()).c_str(),
                from_config ? "  (token listed in the node config)" : "");
    ++shown;
  }
  std::printf("%zu %s account(s)\n", shown, role.c_str());
  return Status::ok_status();
}

void add_account_options(CLI::App* cmd, const std::shared_ptr<HospitalAccountArgs>& a, bool named) {
  if (named) cmd->add_option("NAME", a->name, "The person's account name: 1..64 of A-Z a-z 0-9 . _ @ -")->required();
  cmd->add_option("--node", a->node, "Your hospital node's API URL (https://...; http:// only on 127.0.0.1)")
      ->required();
  cmd->add_option("--admin-token-file", a->admin_token_file,
                  "File holding the hospital administrator's token (admin.token of hc node init)")
      ->required();
  cmd->add_option("--genesis", a->genesis, "The chain's genesis: verifies the node's TLS certificate (https)");
}

void add_role_group(CLI::App& hospital, const std::string& role, const std::string& description) {
  auto* group = hospital.add_subcommand(role, description);
  group->require_subcommand(1);

  auto add_args = std::make_shared<HospitalAccountArgs>();
  auto* add = group->add_subcommand("add", "Create " + role + " NAME's account with a fresh token, shown once");
  add_account_options(add, add_args, true);
  add->add_option("--out", add_args->out, "Write the token to this new file (mode 0600) instead of stdout");
  run_with(add, [add_args, role]() -> Status {
    HC_ASSIGN_OR_RETURN(client::NodeClient node, hospital_admin_client(*add_args));
    HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.add_account(add_args->name, role));
    return hand_over_token(*add_args, answer, ("added " + role).c_str());
  });

  auto list_args = std::make_shared<HospitalAccountArgs>();
  auto* list = group->add_subcommand("list", "List the " + role + " accounts of the node");
  add_account_options(list, list_args, false);
  run_with(list, [list_args, role]() { return list_accounts(*list_args, role); });

  auto remove_args = std::make_shared<HospitalAccountArgs>();
  auto* remove = group->add_subcommand("remove", "Revoke NAME's account: its token fails from the next request");
  add_account_options(remove, remove_args, true);
  run_with(remove, [remove_args]() -> Status {
    HC_ASSIGN_OR_RETURN(client::NodeClient node, hospital_admin_client(*remove_args));
    HC_RETURN_IF_ERROR(node.remove_account(remove_args->name).status());
    std::printf("removed %s: its token is refused from now on\n", remove_args->name.c_str());
    return Status::ok_status();
  });

  auto rotate_args = std::make_shared<HospitalAccountArgs>();
  auto* rotate = group->add_subcommand("rotate", "Give NAME a fresh token; the old one fails at once");
  add_account_options(rotate, rotate_args, true);
  rotate->add_option("--out", rotate_args->out, "Write the token to this new file (mode 0600) instead of stdout");
  run_with(rotate, [rotate_args]() -> Status {
    HC_ASSIGN_OR_RETURN(client::NodeClient node, hospital_admin_client(*rotate_args));
    HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.rotate_account(rotate_args->name));
    return hand_over_token(*rotate_args, answer, "rotated");
  });
}

}  // namespace

void register_hospital_commands(CLI::App& app) {
  auto* hospital = app.add_subcommand("hospital", "Hospital administrator: the people who may use your node");
  hospital->require_subcommand(1);
  add_role_group(*hospital, "doctor", "Doctors: may submit records through your node");
  add_role_group(*hospital, "reader", "Readers (the manager's staff): may read records by serial number");
}

}  // namespace hc::cli
