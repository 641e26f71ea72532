// `hc console`: the access console (issue 17; docs/web.md, "The access console"), a local web
// application on 127.0.0.1 only. It holds the consortium pseudonym key, the reader's token and,
// to read histories, the requester's key (the manager's admin key from --dir, or a listed
// reader's key from --reader-key, opened with the passphrase of --passphrase-file or
// $HC_PASSPHRASE) on this machine; the browser gets none of them (client/console_app.h).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>

#include "cli/access_commands.h"
#include "cli/commands.h"
#include "cli/passphrase.h"
#include "client/access_key_trust.h"
#include "client/access_requester.h"
#include "client/console_access.h"
#include "client/console_health.h"
#include "client/console_app.h"
#include "client/console_manager_actions.h"
#include "client/genesis_trust.h"
#include "client/manager_read.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/pseudonym_key.h"
#include "net/http_server.h"

namespace hc::cli {

namespace {

struct ConsoleArgs {
  std::string node, genesis, pseudonym_key, reader_token_file;
  std::string dir, reader_key, group_dir;  // the requester, if any
  std::vector<std::string> health_nodes;  // more nodes whose health the console shows
  std::uint32_t timeout_s = kDefaultTrusteeAnswerTimeoutS;
  std::uint16_t port = 0;
  PassphraseOption pass;
};

// Who signs the console's access requests (nullptr: the console only finds). The manager
// session, when it is the manager, is kept in `manager` (its requester refers to it).
Result<std::unique_ptr<client::AccessRequester>> open_requester(const ConsoleArgs& a, const client::ChainTrust& trust,
                                                                std::unique_ptr<client::ManagerSession>& manager) {
  if (a.dir.empty() && a.reader_key.empty()) {
    if (!a.group_dir.empty()) return invalid_input("--group-dir is for a reader (--reader-key)");
    return std::unique_ptr<client::AccessRequester>();
  }
  if (!a.dir.empty() && !a.reader_key.empty()) {
    return invalid_input("sign access requests either as the manager (--dir) or as a listed reader (--reader-key), one of them");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  if (!a.reader_key.empty()) {
    std::optional<std::filesystem::path> group_dir;
    if (!a.group_dir.empty()) group_dir = a.group_dir;
    HC_ASSIGN_OR_RETURN(auto reader, client::ReaderSession::open(a.genesis, a.reader_key, passphrase, group_dir));
    reader->follow_changes_of(a.node);
    return std::unique_ptr<client::AccessRequester>(std::move(reader));
  }
  if (!a.group_dir.empty()) return invalid_input("--group-dir is for a reader (--reader-key); the manager's is DIR/group");
  HC_ASSIGN_OR_RETURN(manager, client::ManagerSession::open(a.dir, std::move(passphrase)));
  manager->follow_changes_of(a.node);
  if (chain::genesis_hash(manager->genesis()) != chain::genesis_hash(trust.genesis())) {
    return invalid_input("the manager directory " + a.dir + " belongs to another chain than --genesis");
  }
  // Single-manager mode reads with the session itself (client/manager_read.h); the
  // requester then only names who signs.
  return std::unique_ptr<client::AccessRequester>(new client::ManagerRequester(*manager));
}

std::string requester_name(const client::AccessRequester& requester) {
  if (const auto* reader = dynamic_cast<const client::ReaderSession*>(&requester)) {
    return "reader " + to_hex(reader->public_key().bytes());
  }
  return "manager";
}

Status run_console(const ConsoleArgs& a) {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  trust.follow_changes_of(a.node);
  HC_ASSIGN_OR_RETURN(SecureBytes key, client::load_checked_pseudonym_key(a.pseudonym_key, trust.genesis()));
  // The node's TLS anchors, chosen once (a joined hospital's CA from the verified history).
  HC_ASSIGN_OR_RETURN(const std::vector<std::string> node_anchors, client::tls_anchors_for_node(trust.genesis(), a.node));
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.reader_token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::NodeClient::connect(a.node, std::move(token), node_anchors));
  std::unique_ptr<client::ManagerSession> manager;
  HC_ASSIGN_OR_RETURN(std::unique_ptr<client::AccessRequester> requester, open_requester(a, trust, manager));
  client::ConsoleApp app(std::move(key), trust,
                         [&node](const std::string& serial_hex) { return node.records_by_serial(serial_hex); });
  if (trust.genesis().access_mode == chain::AccessMode::kTrustees) {
    app.set_request_answers([&node](const std::string& request_id) { return node.access_request_answer(request_id); });
    app.set_access_keys([&node, &trust](std::uint64_t key_epoch) {
      return client::fetch_trusted_access_key(node, trust, key_epoch);
    });
  }
  std::unique_ptr<client::ConsoleAccess> access;
  if (requester) {
    // The worker thread's own connections (the server thread keeps `node`); the token is read
    // again from its file for each request, never kept in a second copy.
    auto retrieve = [&a, &requester, &manager, &node_anchors](const chain::Serial& serial,
                                                              const client::ThresholdRetrievalOptions& options)
        -> Result<client::ThresholdRetrieval> {
      const std::vector<std::string>& anchors = node_anchors;
      HC_ASSIGN_OR_RETURN(std::string reader_token, client::read_token_file(a.reader_token_file));
      HC_ASSIGN_OR_RETURN(client::NodeClient reader, client::NodeClient::connect(a.node, std::move(reader_token), anchors));
      HC_ASSIGN_OR_RETURN(client::NodeClient writer, client::NodeClient::connect(a.node, {}, anchors));
      if (requester->genesis().access_mode == chain::AccessMode::kSingleManager) {
        return client::retrieve_as_manager(*manager, reader, writer, serial, options);
      }
      return client::retrieve_with_trustees(*requester, reader, writer, serial, options);
    };
    access = std::make_unique<client::ConsoleAccess>(retrieve, requester_name(*requester), a.timeout_s * 1000);
    app.set_access(access.get());
  }
  if (manager) {
    // Revoking in either access mode, rotating the envelope key in single-manager mode only.
    client::offer_manager_actions(app, *manager, [&a, &node_anchors]() {
      return client::NodeClient::connect(a.node, {}, node_anchors);
    });
  }
  // The health page's nodes: --node and each --health-node, asked without a token (public
  // status and metrics), from the server thread.
  if (a.health_nodes.size() + 1 > client::kConsoleMaxHealthNodes) {
    return invalid_input("at most " + std::to_string(client::kConsoleMaxHealthNodes) + " nodes for the health page");
  }
  std::vector<client::NodeProbe> probes;
  std::vector<std::string> health_urls{a.node};
  health_urls.insert(health_urls.end(), a.health_nodes.begin(), a.health_nodes.end());
  for (const std::string& url : health_urls) {
    HC_ASSIGN_OR_RETURN(client::NodeClient c, client::connect_to_node(url, {}, trust.genesis()));
    auto shared = std::make_shared<client::NodeClient>(std::move(c));
    probes.push_back({url, [shared]() { return shared->status(); }, [shared]() { return shared->metrics_text(); }});
  }
  app.set_health([probes]() { return client::consortium_health(probes); });
  boost::asio::io_context io;
  net::HttpServerLimits limits;
  limits.max_body_bytes = client::kConsoleMaxAccessBodyBytes;
  net::HttpServer server(io, limits, [&app](const net::HttpRequest& request) { return app.handle(request); });
  HC_ASSIGN_OR_RETURN(std::uint16_t port, server.listen("127.0.0.1", a.port));
  app.set_port(port);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server.stop();
    io.stop();
  });
  std::printf("console at http://127.0.0.1:%u/console/ (Ctrl-C stops it)\n", static_cast<unsigned>(port));
  if (access) std::printf("access requests are signed by the %s\n", access->requester().c_str());
  std::fflush(stdout);
  io.run();
  return Status::ok_status();
}

}  // namespace

void register_console_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("console", "The access console: a local web page on 127.0.0.1 to find a patient's records");
  auto a = std::make_shared<ConsoleArgs>();
  cmd->add_option("--node", a->node, "The node's API URL")->required();
  cmd->add_option("--genesis", a->genesis, "The chain's genesis file (the trust anchor)")->required();
  cmd->add_option("--pseudonym-key", a->pseudonym_key, "Consortium pseudonym key file")->required();
  cmd->add_option("--reader-token-file", a->reader_token_file, "File holding the reader's token")->required();
  cmd->add_option("--port", a->port, "Port on 127.0.0.1 (default: one the system picks)");
  cmd->add_option("--dir", a->dir,
                  "Manager directory: its admin key signs the console's access requests (trustees mode), its "
                  "group registries name the hospitals");
  cmd->add_option("--reader-key", a->reader_key,
                  "A listed reader's key file: it signs the console's access requests instead of the manager");
  cmd->add_option("--group-dir", a->group_dir,
                  "Reader: a directory with the group's public registries, to ask the trustees to open (name hospitals)");
  cmd->add_option("--health-node", a->health_nodes,
                  "Another node's API URL whose status and public metrics the health page shows (repeatable; "
                  "--node is always shown)");
  cmd->add_option("--timeout", a->timeout_s, "Seconds to wait for the trustees' answers to a request")
      ->default_val(a->timeout_s)
      ->check(CLI::Range(1u, kMaxTrusteeAnswerTimeoutS));
  a->pass.add_to(cmd);
  run_with(cmd, [a]() { return run_console(*a); });
}

}  // namespace hc::cli
