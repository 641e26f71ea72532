// hc-node: one hospital's Healthchain node (a PBFT replica, a group member and an HTTP API).
//
//   hc-node --config FILE [--passphrase-file FILE] [--log-level LEVEL] [--log-level-file FILE]
//           [--peer-trace FILE]
//   hc-node --version | --help
//
// The passphrase decrypts the replica key and the member key; it comes from --passphrase-file
// or $HC_PASSPHRASE (common/passphrase.h). Logs go to stderr (spdlog); secrets are never
// logged. With --log-level-file the level is read from that file's first line at startup
// (instead of --log-level) and again at every SIGHUP (a bad or missing file then keeps the
// level in force, with a warning). --peer-trace (off by default; overrides node.json
// relay.peer_trace_file) appends one line per transaction-carrying frame received from a peer
// and per committed transaction (node/peer_trace.h): what this node's operator sees anyway,
// for the anonymity harness (docs/relay.md). SIGTERM or SIGINT stops the node cleanly. Exit codes
// (node/exit_codes.h): 0 clean stop (or --version, --help), 2 bad usage, configuration or keys
// (usage errors are one line on stderr, "hc-node: error: ..."), 3 local failure, 4 a port it
// listens on is held by another socket.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "common/passphrase.h"
#include "common/version.h"
#include "node/config.h"
#include "node/exit_codes.h"
#include "node/node.h"

namespace {

spdlog::level::level_enum spdlog_level(hc::node::LogLevel level) {
  switch (level) {
    case hc::node::LogLevel::kTrace: return spdlog::level::trace;
    case hc::node::LogLevel::kDebug: return spdlog::level::debug;
    case hc::node::LogLevel::kInfo: return spdlog::level::info;
    case hc::node::LogLevel::kWarn: return spdlog::level::warn;
    case hc::node::LogLevel::kError: return spdlog::level::err;
    case hc::node::LogLevel::kCritical: return spdlog::level::critical;
  }
  return spdlog::level::info;
}

int usage_error(const std::string& message) {
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::fprintf(stderr, "hc-node: error: %s (see hc-node --help)\n", line.c_str());
  return hc::node::kExitBadConfig;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hc-node: a Healthchain hospital node"};
  std::string config_file;
  std::string log_level = "info";
  std::string passphrase_file;
  std::string log_level_file;
  std::string peer_trace_file;
  app.set_version_flag("--version", hc::version_line("hc-node"));
  app.add_option("--config", config_file, "Node configuration file (JSON, docs/node.md)")->required();
  app.add_option("--log-level", log_level, "trace, debug, info (default), warn, error or critical");
  app.add_option("--log-level-file", log_level_file,
                 "File whose first line is the log level; re-read on SIGHUP (overrides --log-level)");
  app.add_option("--passphrase-file", passphrase_file,
                 "File whose first line is the keys' passphrase (otherwise $HC_PASSPHRASE)");
  app.add_option("--peer-trace", peer_trace_file,
                 "Diagnostic, off by default: append what this node sees of transaction-carrying peer frames "
                 "(time, peer, stem or fluff, size, tx id) to FILE (docs/relay.md)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return usage_error(e.what());
  }
  auto level = log_level_file.empty() ? hc::node::parse_log_level(log_level)
                                      : hc::node::read_log_level_file(log_level_file);
  if (!level.ok()) return usage_error(level.status().message());
  auto logger = spdlog::stderr_color_mt("hc-node");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog_level(*level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  auto config = hc::node::load_node_config(config_file);
  if (!config.ok()) {
    spdlog::error("{}", config.status().message());
    return hc::node::kExitBadConfig;
  }
  if (!peer_trace_file.empty()) config->peer_trace_file = peer_trace_file;
  auto pass = hc::read_passphrase(passphrase_file);
  if (!pass.ok()) {
    spdlog::error("{}", pass.status().message());
    return hc::node::kExitBadConfig;
  }
  spdlog::info("hc-node {} starting", hc::software_version());
  auto node = hc::node::Node::open(*config, *pass);
  if (!node.ok()) {
    spdlog::error("cannot start: {}", node.status().message());
    switch (node.status().code()) {
      case hc::ErrorCode::kAlreadyExists:  // Node::open: only a listen port in use
        return hc::node::kExitPortInUse;
      case hc::ErrorCode::kIo:
      case hc::ErrorCode::kCorrupt:
        return hc::node::kExitLocalFailure;
      case hc::ErrorCode::kInvalidInput:
      case hc::ErrorCode::kTooLarge:
      case hc::ErrorCode::kNotFound:
      case hc::ErrorCode::kAuthFailed:
      case hc::ErrorCode::kUnavailable:
      case hc::ErrorCode::kInternal:
        return hc::node::kExitBadConfig;
    }
    return hc::node::kExitBadConfig;
  }
  if (!log_level_file.empty()) {
    (*node)->set_reload_handler([log_level_file] {
      auto reread = hc::node::read_log_level_file(log_level_file);
      if (!reread.ok()) {
        spdlog::warn("SIGHUP: log level unchanged: {}", reread.status().message());
        return;
      }
      // Logged at info: shown when the new level is info or below.
      spdlog::set_level(spdlog_level(*reread));
      spdlog::info("log level set to {} (SIGHUP, {})", spdlog::level::to_string_view(spdlog_level(*reread)),
                   log_level_file);
    });
  }
  hc::Status result = (*node)->run();
  if (!result.ok()) {
    spdlog::critical("stopped on a local failure: {}", result.to_string());
    return hc::node::kExitLocalFailure;
  }
  spdlog::info("stopped cleanly");
  return hc::node::kExitClean;
}
