// Issue 15, item 7: "2,000 idle sockets from one local client made /v1/status fail". One
// client on 127.0.0.1 opens 2,000 TCP connections to a node's API port and sends nothing on
// any of them, keeping them all open; /v1/status from the same machine must still answer 200
// within a generous bound (the node's connection caps refuse the excess at once and its
// request timeout, 10 s, closes the idle ones it accepted), and the node must stay healthy.
// What this does NOT show: until that timeout, the 64 idle sockets fill the per-address cap,
// so a legitimate client on the same address is refused (first run: 50 attempts 200 ms apart
// before the answer); an attacker that reconnects as fast as its sockets are closed keeps it
// refused (issue 15, item 7: left open). Real hc-node processes; every wait is bounded.
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
// Safety limit, not a measurement: the node's 10 s request timeout plus generous slack.
constexpr auto kStatusBound = std::chrono::seconds(40);

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

  // /v1/status from the same machine while all of them are held open.
  const auto deadline = std::chrono::steady_clock::now() + kStatusBound;
  int attempts = 0;
  Result<net::HttpResponse> last = Status::error(ErrorCode::kInternal, "no request sent");
  while (std::chrono::steady_clock::now() < deadline) {
    ++attempts;
    last = http(api_url, "GET", "/v1/status");
    if (last.ok() && last->status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(last.ok()) << "no answer from /v1/status within the bound (" << attempts
                         << " attempts): " << last.status().to_string();
  EXPECT_EQ(last->status, 200) << last->body;
  std::cerr << "/v1/status answered after " << attempts << " attempt(s) with " << held.fds.size()
            << " idle sockets held\n";
  auto st = node_status(api_url);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_TRUE(st->value("healthy", false));
}

}  // namespace
}  // namespace hc::e2e
