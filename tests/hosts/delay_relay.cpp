// hc_test_delay_relay: the WAN of the namespace hosts test (docs/e2e.md, "Hosts"). The kernel
// here has no netem queueing discipline, so delay is added in user space: this test-only
// program runs inside one host's network namespace, accepts TCP connections on the host's
// public address and forwards each to the hc-node listening on loopback, holding every chunk
// of bytes, in both directions, for --delay-ms before passing it on. Every connection between
// two hosts crosses exactly one relay (the server's), so the one-way delay between hosts is
// --delay-ms and the round trip twice that.
//
//   hc_test_delay_relay --delay-ms 20 --forward 10.77.0.11:26656=127.0.0.1:26656
//                       --delay-ms 0 --forward 10.77.0.11:8443=127.0.0.1:8443
//
// Each --delay-ms applies to the --forward options after it (the first must come before them).
//
// The connection to the node is made from 127.<b>.<c>.<d> for a client at a.b.c.d, so the
// node still tells its peers apart by address (per-address limits, logs). Bounded: at most
// kRelayMaxConnections connections, kRelayMaxQueuedPerDirection bytes held per direction and
// kRelayMaxQueuedTotal in all (reading stops while a bound is reached). A closed side is
// passed on after the delay too (shutdown of the write side). Stops on SIGTERM or SIGINT.
// Single-threaded (poll). Not production code: it lives in tests/ only.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using RelayClock = std::chrono::steady_clock;

constexpr std::size_t kRelayMaxConnections = 512;
constexpr std::size_t kRelayMaxQueuedPerDirection = 8u << 20;
constexpr std::size_t kRelayMaxQueuedTotal = 256u << 20;
constexpr std::size_t kRelayReadChunk = 64u << 10;
constexpr int kRelayMaxDelayMs = 10000;

volatile std::sig_atomic_t g_relay_stop = 0;
void relay_on_signal(int) { g_relay_stop = 1; }

struct RelayForward {
  sockaddr_in listen{};
  sockaddr_in target{};
  int delay_ms = 0;
  int fd = -1;
};

struct RelayChunk {
  RelayClock::time_point due;
  std::string bytes;  // empty: the sender closed its side
  std::size_t sent = 0;
};

// One direction of one connection: bytes read from `from`, held, then written to `to`.
struct RelayPipe {
  int from = -1, to = -1;
  std::deque<RelayChunk> held;
  std::size_t queued = 0;
  bool read_closed = false;  // EOF read from `from`
  bool done = false;         // EOF passed on to `to`
};

struct RelayConnection {
  int client = -1, server = -1;
  RelayPipe up, down;  // client -> server, server -> client
  int delay_ms = 0;
  bool failed = false;
};

std::size_t g_relay_total_queued = 0;

std::optional<sockaddr_in> relay_parse_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  if (inet_pton(AF_INET, text.substr(0, colon).c_str(), &a.sin_addr) != 1) return std::nullopt;
  char* end = nullptr;
  long port = std::strtol(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || port <= 0 || port > 65535) return std::nullopt;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  return a;
}

void relay_set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Connects to the target from 127.b.c.d for a client at a.b.c.d (blocking: the target is on
// loopback in this namespace, so connect is immediate).
int relay_connect_target(const sockaddr_in& target, const sockaddr_in& client) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  std::uint32_t c = ntohl(client.sin_addr.s_addr);
  source.sin_addr.s_addr = htonl((127u << 24) | (c & 0x00ffffffu));
  if (bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0 ||
      connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof target) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  relay_set_nonblocking(fd);
  return fd;
}

void relay_read(RelayPipe& p, RelayConnection& c, int delay_ms) {
  std::string buf(kRelayReadChunk, '\0');
  ssize_t n = recv(p.from, buf.data(), buf.size(), 0);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.failed = true;
    return;
  }
  RelayChunk chunk{RelayClock::now() + std::chrono::milliseconds(delay_ms), {}, 0};
  if (n == 0) {
    p.read_closed = true;
  } else {
    buf.resize(static_cast<std::size_t>(n));
    chunk.bytes = std::move(buf);
    p.queued += chunk.bytes.size();
    g_relay_total_queued += chunk.bytes.size();
  }
  p.held.push_back(std::move(chunk));
}

void relay_write(RelayPipe& p, RelayConnection& c) {
  auto now = RelayClock::now();
  while (!p.held.empty() && p.held.front().due <= now) {
    RelayChunk& front = p.held.front();
    if (front.bytes.empty()) {
      shutdown(p.to, SHUT_WR);
      p.done = true;
      p.held.pop_front();
      return;
    }
    ssize_t n = send(p.to, front.bytes.data() + front.sent, front.bytes.size() - front.sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) c.failed = true;
      return;
    }
    front.sent += static_cast<std::size_t>(n);
    if (front.sent < front.bytes.size()) return;
    p.queued -= front.bytes.size();
    g_relay_total_queued -= front.bytes.size();
    p.held.pop_front();
  }
}

bool relay_wants_read(const RelayPipe& p) {
  return !p.read_closed && p.queued < kRelayMaxQueuedPerDirection && g_relay_total_queued < kRelayMaxQueuedTotal;
}
bool relay_due(const RelayPipe& p, RelayClock::time_point now) { return !p.held.empty() && p.held.front().due <= now; }

void relay_close(RelayConnection& c) {
  for (RelayPipe* p : {&c.up, &c.down}) {
    g_relay_total_queued -= p->queued;
    p->queued = 0;
    p->held.clear();
  }
  close(c.client);
  close(c.server);
}

int relay_usage(const char* message) {
  std::fprintf(stderr, "hc_test_delay_relay: %s\nusage: hc_test_delay_relay --delay-ms MS --forward "
                       "LISTEN_IP:PORT=TARGET_IP:PORT [[--delay-ms MS] --forward ...]\n", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int delay_ms = -1;
  std::vector<RelayForward> forwards;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return relay_usage("missing value after an option");
    std::string value = argv[++i];
    if (arg == "--delay-ms") {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || v < 0 || v > kRelayMaxDelayMs) return relay_usage("--delay-ms must be 0..10000");
      delay_ms = static_cast<int>(v);
    } else if (arg == "--forward") {
      auto eq = value.find('=');
      auto listen = eq == std::string::npos ? std::nullopt : relay_parse_address(value.substr(0, eq));
      auto target = eq == std::string::npos ? std::nullopt : relay_parse_address(value.substr(eq + 1));
      if (!listen || !target) return relay_usage("--forward must be IP:PORT=IP:PORT (IPv4)");
      if (delay_ms < 0) return relay_usage("--delay-ms must come before the --forward it applies to");
      forwards.push_back(RelayForward{*listen, *target, delay_ms, -1});
    } else {
      return relay_usage(("unknown option " + arg).c_str());
    }
  }
  if (forwards.empty() || forwards.size() > 16) {
    return relay_usage("1 to 16 --forward are required");
  }
  std::signal(SIGTERM, relay_on_signal);
  std::signal(SIGINT, relay_on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  for (RelayForward& f : forwards) {
    f.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(f.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (f.fd < 0 || bind(f.fd, reinterpret_cast<const sockaddr*>(&f.listen), sizeof f.listen) != 0 ||
        listen(f.fd, 128) != 0) {
      std::fprintf(stderr, "hc_test_delay_relay: cannot listen: %s\n", std::strerror(errno));
      return 1;
    }
    relay_set_nonblocking(f.fd);
  }
  for (const RelayForward& f : forwards) {
    std::fprintf(stderr, "hc_test_delay_relay: port %u, %d ms each way\n", ntohs(f.listen.sin_port), f.delay_ms);
  }

  std::vector<std::unique_ptr<RelayConnection>> conns;
  std::vector<pollfd> fds;
  while (!g_relay_stop) {
    auto now = RelayClock::now();
    fds.clear();
    for (const RelayForward& f : forwards) {
      fds.push_back({f.fd, static_cast<short>(conns.size() < kRelayMaxConnections ? POLLIN : 0), 0});
    }
    int timeout_ms = 100;
    for (const auto& c : conns) {
      short client_events = 0, server_events = 0;
      if (relay_wants_read(c->up)) client_events |= POLLIN;
      if (relay_wants_read(c->down)) server_events |= POLLIN;
      if (relay_due(c->up, now)) server_events |= POLLOUT;
      if (relay_due(c->down, now)) client_events |= POLLOUT;
      for (const RelayPipe* p : {&c->up, &c->down}) {
        if (p->held.empty() || p->held.front().due <= now) continue;
        auto wait = std::chrono::ceil<std::chrono::milliseconds>(p->held.front().due - now).count();
        timeout_ms = std::min<int>(timeout_ms, static_cast<int>(wait));
      }
      // A side with nothing wanted is left out (fd -1): poll would report its hang-up at once,
      // again and again, while the other direction drains.
      fds.push_back({client_events ? c->client : -1, client_events, 0});
      fds.push_back({server_events ? c->server : -1, server_events, 0});
    }
    if (poll(fds.data(), fds.size(), std::max(timeout_ms, 0)) < 0 && errno != EINTR) {
      std::fprintf(stderr, "hc_test_delay_relay: poll: %s\n", std::strerror(errno));
      return 1;
    }
    for (std::size_t i = 0; i < conns.size(); ++i) {
      RelayConnection& c = *conns[i];
      const pollfd& cf = fds[forwards.size() + 2 * i];
      const pollfd& sf = fds[forwards.size() + 2 * i + 1];
      if ((cf.revents & (POLLIN | POLLHUP | POLLERR)) && relay_wants_read(c.up)) relay_read(c.up, c, c.delay_ms);
      if ((sf.revents & (POLLIN | POLLHUP | POLLERR)) && relay_wants_read(c.down)) relay_read(c.down, c, c.delay_ms);
      relay_write(c.up, c);
      relay_write(c.down, c);
    }
    // Closed in both directions (after the delay) or failed: gone.
    std::erase_if(conns, [](const std::unique_ptr<RelayConnection>& c) {
      bool gone = c->failed || (c->up.done && c->down.done);
      if (gone) relay_close(*c);
      return gone;
    });
    for (std::size_t i = 0; i < forwards.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      sockaddr_in peer{};
      socklen_t len = sizeof peer;
      int client = accept4(forwards[i].fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
      if (client < 0) continue;
      int server = relay_connect_target(forwards[i].target, peer);
      if (server < 0) {
        close(client);  // the node is down: the client sees the connection closed
        continue;
      }
      int one = 1;
      setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      relay_set_nonblocking(client);
      auto c = std::make_unique<RelayConnection>();
      c->client = client;
      c->server = server;
      c->delay_ms = forwards[i].delay_ms;
      c->up.from = client;
      c->up.to = server;
      c->down.from = server;
      c->down.to = client;
      conns.push_back(std::move(c));
    }
  }
  for (auto& c : conns) relay_close(*c);
  for (RelayForward& f : forwards) close(f.fd);
  return 0;
}
