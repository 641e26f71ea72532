// The HTTP server's acceptor under descriptor pressure (issue 12, item 3): connections per
// source address are bounded, and a failed accept() backs off instead of spinning.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <chrono>
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
  EXPECT_GE(server_->stats().connections_refused, sockets - per_address);
}

// One request answered end to end (connect, GET, read to the close).
bool one_request(std::uint16_t port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  boost::system::error_code ec;
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return false;
  const std::string request = "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
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
  ASSERT_TRUE(one_request(port_));
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

}  // namespace
}  // namespace hc::net
