// Hosts made of Linux network namespaces, for the test across separate hosts (issue 15 item 5,
// docs/e2e.md "Hosts"). One namespace is the LAN: it holds the bridge `br0` (10.77.0.1/24)
// and is where the test itself, its `hc` commands and its clients run (the coordinator's and
// the doctors' machine). Each host is its own namespace with `lo` and `eth0` (10.77.0.<11+i>/24),
// joined to the bridge by a veth pair whose LAN end is `vh<i>`. Taking `vh<i>` down cuts the
// host off (a partition); up again heals it.
//
// Namespaces are named hcx<pid>-lan and hcx<pid>-h<i> after the test process, so parallel runs
// never clash; interfaces live inside them, so their names cannot clash either. The destructor
// SIGKILLs every process in them and deletes them (also on failure); create() first removes the
// namespaces of earlier runs whose process is gone (a killed run). Needs root: create() returns
// kUnavailable with the reason where namespaces are not permitted. Not thread-safe; the thread
// that calls enter_lan() must be the one that destroys the object.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace hc::hosts {

class HostNetwork {
 public:
  static Result<std::unique_ptr<HostNetwork>> create(std::size_t hosts);
  ~HostNetwork();
  HostNetwork(const HostNetwork&) = delete;
  HostNetwork& operator=(const HostNetwork&) = delete;

  std::size_t size() const { return hosts_; }
  // 10.77.0.<11+i>
  std::string host_address(std::size_t i) const;
  const std::string& lan_namespace() const { return lan_; }
  std::string host_namespace(std::size_t i) const;

  // Moves the calling thread (and the processes it starts from now on) into the LAN namespace;
  // the destructor moves it back.
  Status enter_lan();
  // `ip link set vh<i> up|down` in the LAN namespace.
  Status set_link(std::size_t i, bool up);

  // Starts argv (argv[0] an absolute path) inside host i's namespace in a new session, stdin
  // from /dev/null, stdout and stderr appended to `log`, with this process' environment.
  // Returns its pid.
  Result<std::int64_t> spawn(std::size_t i, const std::vector<std::string>& argv, const std::filesystem::path& log);
  // SIGKILLs a process spawn() started and reaps it (bounded: SIGKILL cannot be ignored).
  void kill_child(std::int64_t pid);

  // Removes hcx<pid>-* namespaces whose pid is no longer running (their processes killed).
  static void remove_leftovers();

 private:
  explicit HostNetwork(std::size_t hosts);
  Status build();
  void tear_down();

  std::size_t hosts_;
  std::string prefix_;  // hcx<pid>
  std::string lan_;
  int home_netns_fd_ = -1;  // where the thread that entered the LAN came from
  bool entered_ = false;
  std::vector<std::int64_t> children_;
};

// Runs a shell command, capturing stdout and stderr (at most 64 KiB); its exit code or -1.
int run_captured(const std::string& command, std::string* output);

}  // namespace hc::hosts
