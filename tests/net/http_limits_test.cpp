// The HTTP server's acceptor under descriptor pressure (issue 12, item 3; issue 15, item 7):
// connections per source address are bounded, idle ones make room for a client that speaks,
// slow senders are cut by the idle, header and body timeouts, every 429/503 says Retry-After,
// and a failed accept() backs off instead of spinning.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "net/descriptors.h"
#include "net/http_server.h"

namespace hc::net {
namespace {

class HttpLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(io_, HttpServerLimits{}, [](const HttpRequest&) {
      return HttpResponse::json(200, "{}");
    });
    auto port = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

// Regression: one address could hold every one of max_connections (256) idle connections, each
// a descriptor, for the whole request timeout.
TEST_F(HttpLimitsTest, IdleConnectionsFromOneAddressAreBounded) {
  const std::size_t per_address = HttpServerLimits{}.max_connections_per_address;
  const std::size_t sockets = per_address + 16;
  boost::asio::io_context client_io;  // before `idle`, which it must outlive
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> idle;
  const std::size_t before = test::open_descriptors();
  for (std::size_t i = 0; i < sockets; ++i) {
    auto sock = std::make_unique<boost::asio::ip::tcp::socket>(client_io);
    boost::system::error_code ec;
    sock->connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    ASSERT_FALSE(ec) << ec.message();
    idle.push_back(std::move(sock));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(test::open_descriptors() - before, sockets + per_address + test::kReactorDescriptors);
  const HttpServerStats stats = server_->stats();
  EXPECT_GE(stats.connections_refused + stats.connections_evicted, sockets - per_address);
}

// One request answered end to end (connect, GET, read to the close).
bool one_request(std::uint16_t port, const std::string& path = "/") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  boost::system::error_code ec;
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return false;
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  boost::asio::write(sock, boost::asio::buffer(request), ec);
  if (ec) return false;
  std::string response;
  boost::asio::read(sock, boost::asio::dynamic_buffer(response), ec);
  return ec == boost::asio::error::eof && response.rfind("HTTP/1.1 200", 0) == 0;
}

// Regression: on EMFILE the acceptor re-armed at once and spun a core.
TEST_F(HttpLimitsTest, AcceptBacksOffWhenDescriptorsRunOut) {
  // Under UBSan the first check of a dynamic type (Asio's handler_work compares type_info
  // objects) probes the memory it reads through a pipe; with no descriptor left that probe
  // fails and UBSan reports an "invalid vptr" with "memory cannot be printed", about once in 30
  // runs. One request served before the exhaustion runs those checks, so UBSan's type cache
  // answers them while descriptors are exhausted. (It is the sanitizer's own descriptor need,
  // not an object-lifetime fault of the server: the report named a type_info in the binary.)
  // The warm-up connection must also be gone before the exhaustion: the client sees EOF when
  // the server closes the socket inside its write handler, and the connection object is
  // destroyed (its destructor's dynamic-type check included) only when that handler returns,
  // which once happened after the descriptors ran out (CI, session 5). A task posted now runs
  // after that handler, on the server's one thread.
  ASSERT_TRUE(one_request(port_));
  std::promise<void> warm_up_done;
  boost::asio::post(io_, [&warm_up_done] { warm_up_done.set_value(); });
  warm_up_done.get_future().wait();
  double cpu_used = 0;
  std::uint64_t accept_errors = 0;
  {
    test::DescriptorExhaustion exhausted(port_);
    ASSERT_TRUE(exhausted.ready());
    const double cpu_before = test::process_cpu_ms();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    cpu_used = test::process_cpu_ms() - cpu_before;
    accept_errors = server_->stats().accept_errors;
  }
  EXPECT_LT(cpu_used, 100.0) << "the acceptor spins on EMFILE";
  EXPECT_GE(accept_errors, 1u);
  EXPECT_LE(accept_errors, 12u);
}

// Idle sockets held open from one address (the test's own, 127.0.0.1).
struct HeldSockets {
  boost::asio::io_context io;  // before `sockets`, which it must outlive
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> sockets;
  bool open(std::uint16_t port, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      auto sock = std::make_unique<boost::asio::ip::tcp::socket>(io);
      boost::system::error_code ec;
      sock->connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
      if (ec) return false;
      sockets.push_back(std::move(sock));
    }
    return true;
  }
};

// Regression (issue 15, item 7): with the per-address cap full of silent connections, a new
// client from the same address was refused at once until the request timeout (10 s) closed
// them. Now the oldest idle one is evicted and the client is served at once.
TEST_F(HttpLimitsTest, SilentConnectionsMakeRoomForAClientThatSpeaks) {
  HeldSockets held;
  ASSERT_TRUE(held.open(port_, HttpServerLimits{}.max_connections_per_address * 3));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all accepted (or refused) by now
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(one_request(port_));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
  EXPECT_GE(server_->stats().connections_evicted, 1u);
}

class HttpTimeoutsTest : public ::testing::Test {
 protected:
  static constexpr std::uint32_t kIdleMs = 300;
  static constexpr std::uint32_t kHeaderMs = 600;
  static constexpr std::uint32_t kBodyMs = 600;
  static constexpr std::size_t kPerAddress = 4;
  void SetUp() override {
    HttpServerLimits limits;
    limits.idle_timeout_ms = kIdleMs;
    limits.header_timeout_ms = kHeaderMs;
    limits.body_timeout_ms = kBodyMs;
    limits.max_connections = 6;
    limits.max_connections_per_address = kPerAddress;
    server_ = std::make_unique<HttpServer>(io_, limits, [](const HttpRequest& r) {
      if (r.path() == "/busy") return HttpResponse::error(503, "unavailable", "try later");
      if (r.path() == "/limited") return HttpResponse::error(429, "rate_limited", "too many");
      return HttpResponse::json(200, "{}");
    });
    auto port = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  // Sends `bytes` on a new connection; the socket, for more.
  std::unique_ptr<boost::asio::ip::tcp::socket> open_and_send(const std::string& bytes) {
    auto sock = std::make_unique<boost::asio::ip::tcp::socket>(client_io_);
    boost::system::error_code ec;
    sock->connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    if (!ec && !bytes.empty()) boost::asio::write(*sock, boost::asio::buffer(bytes), ec);
    return ec ? nullptr : std::move(sock);
  }
  // Milliseconds until the server closes `sock` (reads everything it sends until then).
  static std::int64_t ms_until_closed(boost::asio::ip::tcp::socket& sock, std::string* received = nullptr) {
    const auto started = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    std::string data;
    boost::asio::read(sock, boost::asio::dynamic_buffer(data), ec);
    if (received) *received = data;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  boost::asio::io_context client_io_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

TEST_F(HttpTimeoutsTest, SilentConnectionClosedAfterIdleTimeout) {
  auto sock = open_and_send("");
  ASSERT_TRUE(sock);
  const auto ms = ms_until_closed(*sock);
  EXPECT_GE(ms, kIdleMs - 50);
  EXPECT_LT(ms, kIdleMs + 1000);
}

// Slowloris: one header byte at a time, never finishing, is cut at the header timeout even
// though every byte comes sooner than the idle timeout.
TEST_F(HttpTimeoutsTest, TricklingHeadersClosedAfterHeaderTimeout) {
  auto sock = open_and_send("G");
  ASSERT_TRUE(sock);
  const auto started = std::chrono::steady_clock::now();
  boost::system::error_code ec;
  const std::string rest = "ET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  for (char c : rest) {
    boost::asio::write(*sock, boost::asio::buffer(&c, 1), ec);
    if (ec) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(kIdleMs / 3));
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  EXPECT_TRUE(ec) << "still open after " << ms << " ms of trickled headers";
  EXPECT_LT(ms, kHeaderMs + 1500);
}

TEST_F(HttpTimeoutsTest, StalledBodyClosedAfterBodyTimeout) {
  auto sock = open_and_send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc");
  ASSERT_TRUE(sock);
  const auto ms = ms_until_closed(*sock);
  EXPECT_GE(ms, kBodyMs - 100);
  EXPECT_LT(ms, kBodyMs + 1000);
}

// A connection in the middle of a request is never the one evicted.
TEST_F(HttpTimeoutsTest, ConnectionWithARequestUnderWayIsNotEvicted) {
  auto speaking = open_and_send("GET / HTTP/1.1\r\nHost: t\r\n");
  ASSERT_TRUE(speaking);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  HeldSockets held;
  ASSERT_TRUE(held.open(port_, kPerAddress * 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  boost::system::error_code ec;
  const std::string end = "Connection: close\r\n\r\n";
  boost::asio::write(*speaking, boost::asio::buffer(end), ec);
  ASSERT_FALSE(ec) << ec.message();
  std::string reply;
  ms_until_closed(*speaking, &reply);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_GE(server_->stats().connections_evicted, kPerAddress);
}

// Regression: a body over the limit got its 413 written and the connection closed at once with
// the rest of the body unread, so the kernel reset the connection and a client still sending
// (every ordinary client: it writes the whole request, then reads) lost the answer to EPIPE or
// ECONNRESET. The server now drains what the client sends (bounded) before closing.
TEST_F(HttpTimeoutsTest, ClientSendingAnOversizedBodyReadsThe413) {
  const std::size_t size = HttpServerLimits{}.max_body_bytes * 3 / 2;
  std::string request = "POST /v1/records HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(size) + "\r\n\r\n";
  request.append(size, ' ');
  for (int attempt = 0; attempt < 3; attempt++) {
    auto sock = open_and_send("");
    ASSERT_TRUE(sock);
    boost::system::error_code ec;
    boost::asio::write(*sock, boost::asio::buffer(request), ec);
    ASSERT_FALSE(ec) << "attempt " << attempt << ": sending the request failed: " << ec.message();
    std::string reply;
    ms_until_closed(*sock, &reply);
    EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << "attempt " << attempt << ": " << reply.substr(0, 200);
  }
}

// Retry-After on every 429 and 503, also when the handler did not set one.
TEST_F(HttpTimeoutsTest, EveryTooManyAndUnavailableSaysRetryAfter) {
  for (const std::string path : {"/busy", "/limited"}) {
    auto sock = open_and_send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    ASSERT_TRUE(sock);
    std::string reply;
    ms_until_closed(*sock, &reply);
    EXPECT_NE(reply.find("Retry-After: 1\r\n"), std::string::npos) << reply;
  }
  auto ok = open_and_send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(ok);
  std::string reply;
  ms_until_closed(*ok, &reply);
  EXPECT_EQ(reply.find("Retry-After"), std::string::npos) << reply;
}

}  // namespace
}  // namespace hc::net
