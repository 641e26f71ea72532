#include "cli/cluster_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <vector>

extern char** environ;

namespace hc::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxCmdlineBytes = 64 * 1024;
constexpr std::string_view kPassphraseVar = "HC_PASSPHRASE=";

bool is_executable(const fs::path& p) { return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p); }

// The child's environment: ours without HC_PASSPHRASE, plus `passphrase_entry`
// ("HC_PASSPHRASE=<passphrase>\0", owned and wiped by the caller).
std::vector<char*> child_environment(SecureBytes& passphrase_entry) {
  std::vector<char*> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::string_view(*e).substr(0, kPassphraseVar.size()) != kPassphraseVar) env.push_back(*e);
  }
  env.push_back(reinterpret_cast<char*>(passphrase_entry.data()));
  env.push_back(nullptr);
  return env;
}

// /proc files report size 0, so file_io's readers do not apply: read up to max_bytes.
std::optional<std::string> read_proc_file(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string out(max_bytes, '\0');
  in.read(out.data(), static_cast<std::streamsize>(max_bytes));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

}  // namespace

Result<fs::path> find_node_binary() {
  if (const char* env = std::getenv("HC_NODE_BIN"); env != nullptr && *env != '\0') {
    if (is_executable(env)) return fs::path(env);
    return Status::error(ErrorCode::kNotFound, std::string("HC_NODE_BIN=") + env + " is not an executable file");
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::error(ErrorCode::kNotFound, "cannot read /proc/self/exe; set HC_NODE_BIN");
  fs::path beside = self.parent_path() / "hc-node";
  fs::path build_tree = (self.parent_path() / ".." / "node" / "hc-node").lexically_normal();
  if (is_executable(beside)) return beside;
  if (is_executable(build_tree)) return build_tree;
  return Status::error(ErrorCode::kNotFound, "hc-node not found (looked at " + beside.string() + " and " +
                                                 build_tree.string() + "); build it or set HC_NODE_BIN");
}

Result<std::int64_t> spawn_node(const fs::path& binary, const fs::path& config, const fs::path& log,
                                const SecureBytes& passphrase) {
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return Status::error(ErrorCode::kIo, "cannot open " + log.string() + ": " + std::strerror(errno));
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  SecureBytes entry(kPassphraseVar.size() + passphrase.size() + 1);
  std::memcpy(entry.data(), kPassphraseVar.data(), kPassphraseVar.size());
  if (!passphrase.empty()) std::memcpy(entry.data() + kPassphraseVar.size(), passphrase.data(), passphrase.size());
  entry.data()[entry.size() - 1] = '\0';
  std::vector<char*> env = child_environment(entry);
  std::string bin = binary.string();
  std::string cfg = config.string();
  std::string flag = "--config";
  std::vector<char*> argv = {bin.data(), flag.data(), cfg.data(), nullptr};
  pid_t pid = ::fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until execve.
    ::setsid();
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execve(bin.c_str(), argv.data(), env.data());
    static constexpr char kMsg[] = "hc cluster: execve of hc-node failed\n";
    [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) return Status::error(ErrorCode::kIo, std::string("fork failed: ") + std::strerror(fork_errno));
  return static_cast<std::int64_t>(pid);
}

bool node_process_running(std::int64_t pid, const fs::path& config) {
  if (pid <= 0) return false;
  fs::path proc = fs::path("/proc") / std::to_string(pid);
  auto status = read_proc_file(proc / "stat", 4096);
  if (!status) return false;
  // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
  std::size_t paren = status->rfind(')');
  if (paren == std::string::npos || paren + 2 >= status->size() || (*status)[paren + 2] == 'Z') return false;
  auto cmdline = read_proc_file(proc / "cmdline", kMaxCmdlineBytes);
  if (!cmdline) return false;
  std::vector<std::string> args;
  std::size_t start = 0;
  while (start < cmdline->size()) {
    std::size_t end = cmdline->find('\0', start);
    if (end == std::string::npos) end = cmdline->size();
    args.push_back(cmdline->substr(start, end - start));
    start = end + 1;
  }
  // argv[0] is hc-node, or an interpreter followed by a script called hc-node.
  std::size_t i = 0;
  while (i < args.size() && i < 2 && fs::path(args[i]).filename() != "hc-node") ++i;
  if (i == args.size() || fs::path(args[i]).filename() != "hc-node") return false;
  for (++i; i + 1 < args.size(); ++i) {
    if (args[i] == "--config" && args[i + 1] == config.string()) return true;
  }
  return false;
}

std::optional<int> reap_exit_code(std::int64_t pid) {
  if (pid <= 0) return std::nullopt;
  int status = 0;
  if (::waitpid(static_cast<pid_t>(pid), &status, WNOHANG) != static_cast<pid_t>(pid)) return std::nullopt;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

bool reap_if_exited(std::int64_t pid) { return reap_exit_code(pid).has_value(); }

bool signal_node(std::int64_t pid, const fs::path& config, int signal) {
  if (!node_process_running(pid, config)) return false;
  return ::kill(static_cast<pid_t>(pid), signal) == 0;
}

std::string log_tail(const fs::path& log, std::size_t max_lines) {
  std::ifstream in(log);
  if (!in) return "";
  std::deque<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const std::string& l : lines) out += "    " + l + "\n";
  return out;
}

}  // namespace hc::cli
