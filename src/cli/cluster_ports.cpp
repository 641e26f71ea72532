#include "cli/cluster_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

namespace hc::cli {

namespace {

// An open socket bound to 127.0.0.1:port (port 0: any), closed on destruction.
class BoundSocket {
 public:
  BoundSocket() = default;
  BoundSocket(const BoundSocket&) = delete;
  BoundSocket& operator=(const BoundSocket&) = delete;
  BoundSocket(BoundSocket&& o) noexcept : fd_(o.fd_), port_(o.port_) { o.fd_ = -1; }
  ~BoundSocket() {
    if (fd_ >= 0) ::close(fd_);
  }

  // True if the port could be bound; port() is then the bound port.
  bool bind_to(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) return false;
    socklen_t len = sizeof(addr);
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;
    port_ = ntohs(addr.sin_port);
    return port_ != 0;
  }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

constexpr std::uint32_t kPrivatePortsLow = 20000;

// The first port of the kernel's ephemeral range (net.ipv4.ip_local_port_range), 32768 if
// it cannot be read.
std::uint32_t ephemeral_range_low() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  std::uint32_t low = 0;
  if (range >> low && low > kPrivatePortsLow && low <= 65535) return low;
  return 32768;
}

}  // namespace

Result<std::vector<std::uint16_t>> pick_free_ports(std::size_t count, std::uint16_t base_port) {
  std::vector<BoundSocket> held;
  std::vector<std::uint16_t> ports;
  if (base_port == 0) {
    // Random ports below the kernel's ephemeral range: a port the OS picked for port 0 is one
    // it also hands out as the source port of outgoing connections, so another process's
    // connection could take it before the node binds it.
    const std::uint32_t low = kPrivatePortsLow, high = ephemeral_range_low();
    std::random_device seed;
    std::mt19937 pick(seed());
    for (int attempt = 0; attempt < 4096 && ports.size() < count && high > low; ++attempt) {
      const auto port = static_cast<std::uint16_t>(low + pick() % (high - low));
      if (std::find(ports.begin(), ports.end(), port) != ports.end()) continue;
      BoundSocket s;
      if (!s.bind_to(port)) continue;
      ports.push_back(port);
      held.push_back(std::move(s));
    }
    for (std::size_t i = ports.size(); i < count; ++i) {  // no room below the range: let the OS pick
      BoundSocket s;
      if (!s.bind_to(0)) return Status::error(ErrorCode::kUnavailable,
                             std::string("cannot bind 127.0.0.1:0: ") + std::strerror(errno));
      ports.push_back(s.port());
      held.push_back(std::move(s));
    }
    return ports;
  }
  for (std::uint32_t port = base_port; port <= 65535 && ports.size() < count; ++port) {
    BoundSocket s;
    if (s.bind_to(static_cast<std::uint16_t>(port))) ports.push_back(s.port());
  }
  if (ports.size() < count) {
    return Status::error(ErrorCode::kUnavailable, "only " + std::to_string(ports.size()) + " free ports from " +
                                                      std::to_string(base_port) + " upward, " +
                                                      std::to_string(count) + " needed");
  }
  return ports;
}

}  // namespace hc::cli
