// Network namespaces as hosts: see host_network.h.
#include "hosts/host_network.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <thread>

extern char** environ;

namespace hc::hosts {
namespace {

constexpr const char* kNamespacePrefix = "hcx";
constexpr std::size_t kMaxCapturedOutput = 64u << 10;

std::string first_line_of(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// The pids `ip netns pids` lists for a namespace.
std::vector<pid_t> namespace_pids(const std::string& ns) {
  std::string out;
  std::vector<pid_t> pids;
  if (run_captured("ip netns pids " + ns, &out) != 0) return pids;
  std::istringstream in(out);
  for (long pid; in >> pid;) {
    if (pid > 1 && pid != ::getpid()) pids.push_back(static_cast<pid_t>(pid));
  }
  return pids;
}

void kill_and_delete_namespace(const std::string& ns) {
  // Bounded: a process may fork while we kill (hc-node does not), so a few rounds.
  for (int round = 0; round < 5; ++round) {
    auto pids = namespace_pids(ns);
    if (pids.empty()) break;
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string ignored;
  run_captured("ip netns del " + ns, &ignored);
}

}  // namespace

int run_captured(const std::string& command, std::string* output) {
  output->clear();
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
    if (output->size() < kMaxCapturedOutput) output->append(buf, n);
  }
  int rc = ::pclose(pipe);
  if (rc == -1 || !WIFEXITED(rc)) return -1;
  return WEXITSTATUS(rc);
}

HostNetwork::HostNetwork(std::size_t hosts)
    : hosts_(hosts), prefix_(std::string(kNamespacePrefix) + std::to_string(::getpid())), lan_(prefix_ + "-lan") {}

std::string HostNetwork::host_address(std::size_t i) const { return "10.77.0." + std::to_string(11 + i); }
std::string HostNetwork::host_namespace(std::size_t i) const { return prefix_ + "-h" + std::to_string(i); }

void HostNetwork::remove_leftovers() {
  std::string out;
  if (run_captured("ip netns list", &out) != 0) return;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::string name = line.substr(0, line.find(' '));
    if (name.rfind(kNamespacePrefix, 0) != 0) continue;
    auto dash = name.find('-');
    if (dash == std::string::npos) continue;
    const std::string digits = name.substr(3, dash - 3);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // its run is still going
    kill_and_delete_namespace(name);
  }
}

Result<std::unique_ptr<HostNetwork>> HostNetwork::create(std::size_t hosts) {
  if (hosts == 0 || hosts > 32) return Status::error(ErrorCode::kInvalidInput, "1 to 32 hosts");
  if (::geteuid() != 0) {
    return Status::error(ErrorCode::kUnavailable, "network namespaces need root (ip netns add); running as uid " +
                                                      std::to_string(::geteuid()));
  }
  std::string out;
  if (run_captured("ip -V", &out) != 0) {
    return Status::error(ErrorCode::kUnavailable, "the ip command (iproute2) is not available: " + first_line_of(out));
  }
  remove_leftovers();
  std::unique_ptr<HostNetwork> net(new HostNetwork(hosts));
  Status built = net->build();
  if (!built.ok()) return built;  // the destructor removes what was made
  return net;
}

Status HostNetwork::build() {
  std::string out;
  auto ip = [&](const std::string& args) -> Status {
    if (run_captured("ip " + args, &out) != 0) {
      return Status::error(ErrorCode::kUnavailable, "ip " + args + ": " + first_line_of(out));
    }
    return Status();
  };
  if (Status s = ip("netns add " + lan_); !s.ok()) {
    return Status::error(ErrorCode::kUnavailable, "network namespaces are not permitted here (" + s.message() + ")");
  }
  HC_RETURN_IF_ERROR(ip("-n " + lan_ + " link set lo up"));
  HC_RETURN_IF_ERROR(ip("-n " + lan_ + " link add br0 type bridge"));
  HC_RETURN_IF_ERROR(ip("-n " + lan_ + " addr add 10.77.0.1/24 dev br0"));
  HC_RETURN_IF_ERROR(ip("-n " + lan_ + " link set br0 up"));
  for (std::size_t i = 0; i < hosts_; ++i) {
    const std::string ns = host_namespace(i), lan_end = "vh" + std::to_string(i);
    HC_RETURN_IF_ERROR(ip("netns add " + ns));
    HC_RETURN_IF_ERROR(ip("-n " + ns + " link set lo up"));
    HC_RETURN_IF_ERROR(ip("-n " + lan_ + " link add " + lan_end + " type veth peer name eth0 netns " + ns));
    HC_RETURN_IF_ERROR(ip("-n " + lan_ + " link set " + lan_end + " master br0 up"));
    HC_RETURN_IF_ERROR(ip("-n " + ns + " addr add " + host_address(i) + "/24 dev eth0"));
    HC_RETURN_IF_ERROR(ip("-n " + ns + " link set eth0 up"));
  }
  return Status();
}

Status HostNetwork::enter_lan() {
  if (entered_) return Status();
  home_netns_fd_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  int lan = ::open(("/run/netns/" + lan_).c_str(), O_RDONLY | O_CLOEXEC);
  if (home_netns_fd_ < 0 || lan < 0 || ::setns(lan, CLONE_NEWNET) != 0) {
    if (lan >= 0) ::close(lan);
    return Status::error(ErrorCode::kUnavailable, "cannot enter namespace " + lan_ + ": " + std::strerror(errno));
  }
  ::close(lan);
  entered_ = true;
  return Status();
}

Status HostNetwork::set_link(std::size_t i, bool up) {
  std::string out;
  const std::string cmd = "ip -n " + lan_ + " link set vh" + std::to_string(i) + (up ? " up" : " down");
  if (run_captured(cmd, &out) != 0) return Status::error(ErrorCode::kUnavailable, cmd + ": " + first_line_of(out));
  return Status();
}

Result<std::int64_t> HostNetwork::spawn(std::size_t i, const std::vector<std::string>& argv,
                                        const std::filesystem::path& log) {
  if (i >= hosts_ || argv.empty()) return Status::error(ErrorCode::kInvalidInput, "no such host or empty argv");
  int ns = ::open(("/run/netns/" + host_namespace(i)).c_str(), O_RDONLY | O_CLOEXEC);
  if (ns < 0) return Status::error(ErrorCode::kIo, "cannot open namespace " + host_namespace(i));
  int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0) {
    ::close(ns);
    return Status::error(ErrorCode::kIo, "cannot open " + log.string());
  }
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (std::string& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls until execve.
    if (::setns(ns, CLONE_NEWNET) != 0) ::_exit(126);
    ::setsid();
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(cargv[0], cargv.data(), environ);
    ::_exit(127);
  }
  ::close(ns);
  ::close(out);
  if (pid < 0) return Status::error(ErrorCode::kIo, "fork failed");
  children_.push_back(pid);
  return static_cast<std::int64_t>(pid);
}

void HostNetwork::kill_child(std::int64_t pid) {
  auto it = std::find(children_.begin(), children_.end(), pid);
  if (it == children_.end()) return;
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
  children_.erase(it);
}

void HostNetwork::tear_down() {
  for (std::size_t i = 0; i < hosts_; ++i) kill_and_delete_namespace(host_namespace(i));
  for (std::int64_t pid : children_) {
    ::kill(static_cast<pid_t>(pid), SIGKILL);  // already dead: a harmless ESRCH, or a zombie of ours
    ::waitpid(static_cast<pid_t>(pid), nullptr, 0);
  }
  children_.clear();
  kill_and_delete_namespace(lan_);
}

HostNetwork::~HostNetwork() {
  if (entered_ && home_netns_fd_ >= 0) ::setns(home_netns_fd_, CLONE_NEWNET);
  if (home_netns_fd_ >= 0) ::close(home_netns_fd_);
  tear_down();
}

}  // namespace hc::hosts
