// `hc genesis assemble | bootstrap`: the consortium coordinator's side of a deployment on
// separate machines (docs/deploy.md, hospital_setup.h). `assemble` builds the genesis, the
// manager's directory and one bundle per hospital from the hospitals' public parts;
// `bootstrap`, once the nodes run, publishes the manager's envelope key and the hospitals'
// enrollments, as `hc cluster up` does (cluster_bootstrap.h), through any member's node (one
// that joined is trusted through the verified change history, client/node_tls_trust.h).
#include <cstdio>

#include "chain/genesis.h"
#include "cli/cluster_bootstrap.h"
#include "cli/commands.h"
#include "cli/hospital_setup.h"
#include "cli/passphrase.h"
#include "client/node_tls_trust.h"
#include "net/tls_context.h"

namespace hc::cli {

namespace {

constexpr std::chrono::seconds kGenesisBootstrapTimeout{60};

void add_genesis_assemble(CLI::App* group) {
  auto* cmd = group->add_subcommand("assemble", "Build the genesis and each hospital's bundle from their public parts");
  auto o = std::make_shared<AssembleOptions>();
  auto pass = std::make_shared<PassphraseOption>();
  cmd->add_option("--hospital", o->hospitals, "A hospital's public.json (4..64 times; replica ids in this order)")
      ->required();
  cmd->add_option("--chain-id", o->chain_id, "The chain's name, as the hospitals gave it to hc node init")->required();
  cmd->add_option("--manager-dir", o->manager_dir, "New directory for the group manager's keys")->required();
  cmd->add_option("--out", o->out_dir, "New directory for genesis.json and one bundle per hospital")->required();
  auto mode = std::make_shared<std::string>("single-manager");
  cmd->add_option("--access-mode", *mode,
                  "single-manager (default) or trustees (the hospitals' nodes hold the access key and the group "
                  "signature's opener key in shares, t = 2f+1; the manager gets no opener key: docs/threshold.md)")
      ->capture_default_str();
  pass->add_to(cmd);
  run_with(cmd, [o, pass, mode]() -> Status {
    if (*mode == "trustees") {
      o->access_mode = chain::AccessMode::kTrustees;
    } else if (*mode != "single-manager") {
      return invalid_input("--access-mode must be single-manager or trustees");
    }
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, pass->read());
    HC_ASSIGN_OR_RETURN(chain::Genesis genesis, assemble_genesis(*o, passphrase));
    std::printf("genesis of %s: %s (%zu hospitals) -> %s\n", genesis.chain_name.c_str(),
                to_hex(chain::genesis_hash(genesis)).c_str(), genesis.replicas.size(),
                (o->out_dir / "genesis.json").string().c_str());
    std::printf("send each hospital its bundle %s/<name>/ (join.json, genesis.json, member.key) and, by another\n"
                "channel, its transfer.code; keep %s offline when you can\n",
                o->out_dir.string().c_str(), o->manager_dir.string().c_str());
    return Status::ok_status();
  });
}

struct BootstrapArgs {
  std::string manager_dir, node;
};

void add_genesis_bootstrap(CLI::App* group) {
  auto* cmd = group->add_subcommand("bootstrap", "Once the nodes run: publish the envelope key and the enrollments");
  auto a = std::make_shared<BootstrapArgs>();
  auto pass = std::make_shared<PassphraseOption>();
  cmd->add_option("--manager-dir", a->manager_dir, "The manager's directory from hc genesis assemble")->required();
  cmd->add_option("--node", a->node, "A node's API URL (https://..., verified against the genesis)")->required();
  pass->add_to(cmd);
  run_with(cmd, [a, pass]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, pass->read());
    const std::filesystem::path dir = a->manager_dir;
    HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file((dir / "genesis.json").string()));
    HC_ASSIGN_OR_RETURN(std::vector<ManagerTx> txs, build_bootstrap_transactions(dir, dir / "group", passphrase));
    std::shared_ptr<net::TlsContext> tls;
    if (a->node.rfind("https://", 0) == 0) {
      // A founding hospital's node is verified against the genesis's CAs; a hospital that
      // joined before the bootstrap, against the CA its accepted join request named, from the
      // change history verified from the genesis (docs/deploy.md, "Trust anchors").
      HC_ASSIGN_OR_RETURN(std::vector<std::string> anchors, client::tls_anchors_for_node(genesis, a->node));
      HC_ASSIGN_OR_RETURN(tls, net::make_tls_client_context(anchors));
    }
    return submit_and_wait(a->node, tls, txs, kGenesisBootstrapTimeout,
                           [](const std::string& line) { std::printf("%s\n", line.c_str()); });
  });
}

}  // namespace

void register_genesis_commands(CLI::App& app) {
  auto* group = app.add_subcommand("genesis", "The consortium coordinator: assemble the genesis, bootstrap the chain");
  group->require_subcommand(1);
  add_genesis_assemble(group);
  add_genesis_bootstrap(group);
}

}  // namespace hc::cli
