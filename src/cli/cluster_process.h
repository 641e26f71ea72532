// Starting and stopping the `hc-node` processes of a local cluster (POSIX: fork + setsid +
// execve, signals, /proc). A node process is identified by its pid *and* its command line
// (hc-node --config <its node.json>), so a pid reused by an unrelated process is never
// signalled. The passphrase reaches the child through its environment (HC_PASSPHRASE), never
// its argv. Not thread-safe (fork from a single-threaded caller).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

// The hc-node executable: $HC_NODE_BIN if set, else next to the running `hc` (/proc/self/exe),
// else ../node/hc-node from there (the build tree). kNotFound naming where it looked.
Result<std::filesystem::path> find_node_binary();

// Starts `binary --config config` in a new session, stdin from /dev/null, stdout and stderr
// appended to `log`. Returns the child's pid. kIo if the log cannot be opened or fork fails.
Result<std::int64_t> spawn_node(const std::filesystem::path& binary, const std::filesystem::path& config,
                                const std::filesystem::path& log, const SecureBytes& passphrase);

// True if `pid` is alive and runs hc-node with this config file (a zombie counts as dead).
bool node_process_running(std::int64_t pid, const std::filesystem::path& config);

// If `pid` is a child of this process that has exited, reaps it and returns its exit code
// (128 + the signal's number if a signal ended it); nullopt while it runs, or if it is not a
// child of this process (or was reaped already).
std::optional<int> reap_exit_code(std::int64_t pid);

// If `pid` is a child of this process that has exited, reaps it and returns true.
bool reap_if_exited(std::int64_t pid);

// Sends `signal` to the node if node_process_running(); false if it was not running.
bool signal_node(std::int64_t pid, const std::filesystem::path& config, int signal);

// The last `max_lines` lines of a log file ("" if unreadable).
std::string log_tail(const std::filesystem::path& log, std::size_t max_lines);

}  // namespace hc::cli
