// `hc console`: the access console (issue 17; docs/web.md, "The access console"), a local web
// application on 127.0.0.1 only. It holds the consortium pseudonym key and the reader's token
// on this machine; the browser gets neither (client/console_app.h).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>

#include "cli/commands.h"
#include "client/console_app.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/pseudonym_key.h"
#include "net/http_server.h"

namespace hc::cli {

namespace {

struct ConsoleArgs {
  std::string node, genesis, pseudonym_key, reader_token_file;
  std::uint16_t port = 0;
};

Status run_console(const ConsoleArgs& a) {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  HC_ASSIGN_OR_RETURN(SecureBytes key, client::load_checked_pseudonym_key(a.pseudonym_key, trust.genesis()));
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.reader_token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::NodeClient::connect(a.node, std::move(token), trust.genesis().tls_trust_anchors()));
  client::ConsoleApp app(std::move(key), trust,
                         [&node](const std::string& serial_hex) { return node.records_by_serial(serial_hex); });
  boost::asio::io_context io;
  net::HttpServerLimits limits;
  limits.max_body_bytes = client::kConsoleMaxFindBodyBytes;
  net::HttpServer server(io, limits, [&app](const net::HttpRequest& request) { return app.handle(request); });
  HC_ASSIGN_OR_RETURN(std::uint16_t port, server.listen("127.0.0.1", a.port));
  app.set_port(port);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server.stop();
    io.stop();
  });
  std::printf("console at http://127.0.0.1:%u/console/ (Ctrl-C stops it)\n", static_cast<unsigned>(port));
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
  run_with(cmd, [a]() { return run_console(*a); });
}

}  // namespace hc::cli
