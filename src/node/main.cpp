// hc-node: one hospital's Healthchain node (a PBFT replica, a group member and an HTTP API).
//
//   hc-node --config FILE [--passphrase-file FILE]
//
// The passphrase decrypts the replica key and the member key; it comes from --passphrase-file
// or $HC_PASSPHRASE. Logs go to stderr (spdlog); secrets are never logged. SIGTERM or SIGINT
// stops the node cleanly. Exit codes: 0 clean stop, 2 bad configuration or keys, 3 local failure.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/passphrase.h"
#include "node/config.h"
#include "node/node.h"

int main(int argc, char** argv) {
  CLI::App app{"hc-node: a Healthchain hospital node"};
  std::string config_file;
  std::string log_level = "info";
  hc::cli::PassphraseOption passphrase;
  app.add_option("--config", config_file, "Node configuration file (JSON, docs/node.md)")->required();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  passphrase.add_to(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto logger = spdlog::stderr_color_mt("hc-node");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  auto config = hc::node::load_node_config(config_file);
  if (!config.ok()) {
    spdlog::error("{}", config.status().message());
    return 2;
  }
  auto pass = passphrase.read();
  if (!pass.ok()) {
    spdlog::error("{}", pass.status().message());
    return 2;
  }
  auto node = hc::node::Node::open(*config, *pass);
  if (!node.ok()) {
    spdlog::error("cannot start: {}", node.status().message());
    return node.status().code() == hc::ErrorCode::kIo || node.status().code() == hc::ErrorCode::kCorrupt ? 3 : 2;
  }
  hc::Status result = (*node)->run();
  if (!result.ok()) {
    spdlog::critical("stopped on a local failure: {}", result.to_string());
    return 3;
  }
  spdlog::info("stopped cleanly");
  return 0;
}
