// `hc`: the Healthchain command-line tool for doctors, the group manager and operators.
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "common/version.h"

namespace hc::cli {

namespace {
std::optional<Status> g_outcome;  // set by the handler of the subcommand that ran
bool g_said_invalid = false;      // set by report_rejected / report_invalid
}  // namespace

int exit_code_for(const Status& status) {
  if (status.ok()) return 0;
  switch (status.code()) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kTooLarge:
    case ErrorCode::kNotFound:
    case ErrorCode::kAuthFailed:
    case ErrorCode::kAlreadyExists:
      return 2;
    case ErrorCode::kIo:
    case ErrorCode::kCorrupt:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return 3;
  }
  return 3;
}

Status report_rejected(const Status& why) {
  std::fflush(stdout);
  std::fprintf(stderr, "hc: %s\n", why.message().c_str());
  g_said_invalid = true;
  return Status::ok_status();
}

Status report_invalid(const Status& why) {
  std::printf("invalid\n");
  return report_rejected(why);
}

void run_with(CLI::App* cmd, Handler handler) {
  cmd->callback([handler = std::move(handler)]() { g_outcome = handler(); });
}

}  // namespace hc::cli

int main(int argc, char** argv) {
  CLI::App app{"hc: Healthchain, medical records on a permissioned ledger with group signatures"};
  app.require_subcommand(1);
  app.set_version_flag("--version", hc::version_line("hc"));
  hc::cli::register_serial_commands(app);
  hc::cli::register_record_commands(app);
  hc::cli::register_manager_commands(app);
  hc::cli::register_crypto_commands(app);
  hc::cli::register_group_commands(app);
  hc::cli::register_chain_commands(app);
  hc::cli::register_bench_commands(app);
  hc::cli::register_cluster_commands(app);
  hc::cli::register_node_commands(app);
  hc::cli::register_genesis_commands(app);
  hc::cli::register_hospital_commands(app);
  hc::cli::register_access_commands(app);
  hc::cli::register_trustee_commands(app);
  hc::cli::register_consortium_commands(app);
  hc::cli::register_console_command(app);
  hc::cli::register_help_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "%s\n", hc::cli::usage_error_line(app, e.what()).c_str());
    return 2;
  }
  if (!hc::cli::g_outcome.has_value()) return 0;
  const hc::Status& status = *hc::cli::g_outcome;
  if (!status.ok()) {
    std::fprintf(stderr, "hc: error: %s\n", status.message().c_str());
  }
  if (status.ok() && hc::cli::g_said_invalid) return 1;
  return hc::cli::exit_code_for(status);
}
