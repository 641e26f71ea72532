// Test helpers for the acceptors' descriptor bounds: counting this process's open descriptors,
// its CPU time, and a scoped exhaustion of its descriptors with one connection left waiting in
// a listener's backlog (so the listener's next accept() fails with EMFILE).
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace hc::net::test {

// Descriptors an io_context's reactor opens with its first socket (epoll, eventfd, timerfd).
inline constexpr std::size_t kReactorDescriptors = 4;

inline std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// User plus system CPU time of the whole process, in milliseconds.
inline double process_cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000.0 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000.0;
}

// While alive: RLIMIT_NOFILE is lowered to the descriptors in use plus a few, all of them are
// taken, and one client connection to 127.0.0.1:port waits in the listener's backlog.
class DescriptorExhaustion {
 public:
  explicit DescriptorExhaustion(std::uint16_t port) {
    if (::getrlimit(RLIMIT_NOFILE, &saved_) != 0) return;
    rlimit low = saved_;
    low.rlim_cur = open_descriptors() + 16;
    if (::setrlimit(RLIMIT_NOFILE, &low) != 0) return;
    lowered_ = true;
    for (int i = 0; i < 64; ++i) {
      int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      fillers_.push_back(fd);
    }
    if (fillers_.empty()) return;
    ::close(fillers_.back());  // one descriptor for the client's socket
    fillers_.pop_back();
    client_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (client_ < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(client_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~DescriptorExhaustion() {
    for (int fd : fillers_) ::close(fd);
    if (client_ >= 0) ::close(client_);
    if (lowered_) ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  DescriptorExhaustion(const DescriptorExhaustion&) = delete;
  DescriptorExhaustion& operator=(const DescriptorExhaustion&) = delete;

  // True when the limit was lowered, descriptors taken and the client connected.
  bool ready() const { return lowered_ && !fillers_.empty() && connected_; }

 private:
  rlimit saved_{};
  bool lowered_ = false;
  bool connected_ = false;
  std::vector<int> fillers_;
  int client_ = -1;
};

}  // namespace hc::net::test
