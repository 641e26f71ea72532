// The `hc` command's subcommand groups. Each group lives in its own *_commands.cpp file and
// registers itself on the root CLI11 app; main.cpp only calls the registration functions.
//
// Handlers report failure by returning a non-ok Status; main prints it as one line on
// stderr ("hc: error: ...") and exits with the code from exit_code_for(). Usage mistakes
// caught by CLI11 (unknown option, missing argument) are one line too, with exit code 2.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "common/status.h"

namespace hc::cli {

// Exit codes: 0 success, 1 a verification said "no" (e.g. `hc group verify` -> invalid),
// 2 bad input or usage, 3 a local failure (I/O, internal).
int exit_code_for(const Status& status);

// A verification's "no": prints the reason on stderr ("hc: ...") and makes hc exit with status
// 1. The handler returns what this returns (ok: the command itself worked). report_invalid
// also prints `invalid` on stdout (the group commands' one-word verdict).
Status report_rejected(const Status& why);
Status report_invalid(const Status& why);

// The handler a subcommand runs; set by the registration functions through run_with().
using Handler = std::function<Status()>;
// Attaches `handler` to `cmd`; the outcome is stored for main() to report.
void run_with(CLI::App* cmd, Handler handler);

void register_serial_commands(CLI::App& app);
void register_record_commands(CLI::App& app);
void register_manager_commands(CLI::App& app);
void register_crypto_commands(CLI::App& app);
void register_group_commands(CLI::App& app);
void register_opening_judge_command(CLI::App* group);  // `hc group judge-opening`
void register_chain_commands(CLI::App& app);
void register_bench_commands(CLI::App& app);
void register_cluster_commands(CLI::App& app);
void register_node_commands(CLI::App& app);
void register_genesis_commands(CLI::App& app);
void register_hospital_commands(CLI::App& app);
void register_access_commands(CLI::App& app);   // trustees mode (access_commands.h)
void register_trustee_commands(CLI::App& app);  // trustees mode
void register_console_command(CLI::App& app);    // the access console (console_command.cpp)
void register_consortium_commands(CLI::App& app);  // consortium governance (consortium_commands.cpp)
// `hc help [COMMAND...]`: prints the help of hc or of the named command.
void register_help_command(CLI::App& app);

// A CLI11 parse error as one line: "hc: error: <what> (see hc <command> --help)", naming the
// deepest command that was recognized.
std::string usage_error_line(const CLI::App& root, const std::string& what);

}  // namespace hc::cli
