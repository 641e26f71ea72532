// Issue 15, item 7: "2,000 idle sockets from one local client made /v1/status fail". One
// client on 127.0.0.1 opens 2,000 TCP connections to a node's API port and sends nothing on
// any of them, keeping them all open; one GET /v1/status from the same machine (so the same
// source address) must then answer 200 within 1 s, on its first attempt, and the node must
// stay healthy. The node's per-address cap (64) is full of the idle sockets it accepted: the
// newcomer is admitted by evicting the oldest connection of that address that has not sent a
// byte (src/net/http_server.h). Before that eviction the newcomer was refused at once and the
// client had to retry until the 10 s request timeout closed the idle ones (first run: 50
// attempts 200 ms apart). Real hc-node processes; every wait is bounded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "net/http_client.h"

namespace hc::e2e {
namespace {

constexpr std::size_t kIdleSockets = 2000;
// The answer must come promptly, on the first attempt (issue 15, item 7): within 1 s (46 ms
// measured in release); 3 s under ASan + UBSan, where the node's I/O code runs at -O0 and
// working through the 2,000 queued connections (each accepted, counted, evicted or closed) took
// 1.13 s in CI.
constexpr auto kStatusBound = std::chrono::milliseconds(kSanitized ? 3000 : 1000);

// Closes every descriptor it holds.
struct IdleSocketsHeld {
  std::vector<int> fds;
  ~IdleSocketsHeld() {
    for (int fd : fds) ::close(fd);
  }
};

// Connects one socket to host:port and sends nothing; -1 when the connect fails.
int connect_idle_socket(const net::HttpUrl& url) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(url.port);
  ::inet_pton(AF_INET, url.host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

using IdleSockets = ClusterTest;

TEST_F(IdleSockets, TwoThousandFromOneClientDoNotSilenceStatus) {
  rlimit files{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur < kIdleSockets + 256) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, kIdleSockets + 256);
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &files), 0);
  }
  if (files.rlim_cur < kIdleSockets + 256) GTEST_SKIP() << "descriptor limit " << files.rlim_cur << " too low";

  const std::string api_url = cluster_->nodes()[1].api_url;
  auto url = net::parse_http_url(api_url);
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  IdleSocketsHeld held;
  for (std::size_t i = 0; i < kIdleSockets; ++i) {
    int fd = connect_idle_socket(*url);
    if (fd >= 0) held.fds.push_back(fd);
  }
  ASSERT_GE(held.fds.size(), kIdleSockets / 2) << "could not open the idle sockets";

  // One /v1/status from the same machine while all of them are held open: no retry.
  const auto started = std::chrono::steady_clock::now();
  auto answer = http(api_url, "GET", "/v1/status");
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(answer.ok()) << "no answer from /v1/status with " << held.fds.size()
                           << " idle sockets held: " << answer.status().to_string();
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_LT(elapsed, kStatusBound) << "took "
                                   << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
  std::cerr << "/v1/status answered in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms with "
            << held.fds.size() << " idle sockets held\n";
  auto st = node_status(api_url);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_TRUE(st->value("healthy", false));
}

}  // namespace
}  // namespace hc::e2e
