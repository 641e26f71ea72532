// HttpSession (net/http_session.h): calls share one kept connection; a connection the server
// closed (its idle timeout, or "Connection: close") is replaced and the call still answered;
// an unreachable node is kUnavailable.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "net/http_server.h"
#include "net/http_session.h"

namespace hc::net {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = boost::asio::ip::tcp;

// A server that answers every request with the request's target and counts the connections
// it accepted; with close_after_each it closes each connection after one answer.
class CountingServer {
 public:
  explicit CountingServer(bool close_after_each) : close_after_each_(close_after_each) {
    acceptor_.open(tcp::v4());
    acceptor_.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~CountingServer() {
    stopping_ = true;
    // Wakes the blocking accept with a connection of our own.
    tcp::socket poke(io_);
    beast::error_code ignored;
    poke.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_), ignored);
    poke.close(ignored);
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }
  int answered() const { return answered_; }

 private:
  void serve() {
    while (!stopping_) {
      beast::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++accepted_;
      beast::flat_buffer buffer;
      for (;;) {
        bhttp::request<bhttp::string_body> req;
        bhttp::read(socket, buffer, req, ec);
        if (ec) break;
        bhttp::response<bhttp::string_body> res(bhttp::status::ok, 11);
        res.body() = std::string(req.target());
        res.keep_alive(!close_after_each_);
        res.prepare_payload();
        bhttp::write(socket, res, ec);
        ++answered_;
        if (ec || close_after_each_) break;
      }
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  const bool close_after_each_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> answered_{0};
  std::thread thread_;
};

HttpCallOptions short_timeout() {
  HttpCallOptions options;
  options.timeout_ms = 3000;
  return options;
}

TEST(HttpSessionTest, CallsShareOneConnection) {
  CountingServer server(false);
  HttpSession session(HttpUrl{"127.0.0.1", server.port(), ""}, short_timeout());
  for (int i = 0; i < 5; ++i) {
    auto r = session.call("POST", "/call/" + std::to_string(i), "{}");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "/call/" + std::to_string(i));
  }
  EXPECT_EQ(server.answered(), 5);
  EXPECT_EQ(server.accepted(), 1);
  EXPECT_EQ(session.connections_opened(), 1u);
}

TEST(HttpSessionTest, AnswerThatClosesTheConnectionIsFollowedByANewOne) {
  CountingServer server(true);
  HttpSession session(HttpUrl{"127.0.0.1", server.port(), ""}, short_timeout());
  for (int i = 0; i < 3; ++i) {
    auto r = session.call("GET", "/call/" + std::to_string(i), "");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->body, "/call/" + std::to_string(i));
  }
  EXPECT_EQ(server.answered(), 3);
  EXPECT_EQ(server.accepted(), 3);
}

// The server's idle timeout closes the kept connection between two calls: the second call is
// sent again on a new connection and answered.
TEST(HttpSessionTest, ConnectionClosedByTheServersIdleTimeoutIsReopened) {
  HttpServerLimits limits;
  limits.idle_timeout_ms = 150;
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  std::atomic<int> calls{0};
  HttpServer server(io, limits, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::json(200, "{}");
  });
  auto port = server.listen("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  std::thread runner([&] { io.run(); });
  HttpSession session(HttpUrl{"127.0.0.1", *port, ""}, short_timeout());
  auto first = session.call("GET", "/v1/status", "");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto second = session.call("GET", "/v1/status", "");
  server.stop();
  guard.reset();
  io.stop();
  runner.join();
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(session.connections_opened(), 2u);
}

TEST(HttpSessionTest, UnreachableNodeIsUnavailable) {
  HttpSession session(HttpUrl{"127.0.0.1", 1, ""}, short_timeout());
  auto r = session.call("GET", "/v1/status", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
}

TEST(HttpSessionTest, HttpsWithoutTrustAnchorsIsRefused) {
  HttpUrl url{"127.0.0.1", 1, ""};
  url.tls = true;
  HttpSession session(url, short_timeout());
  auto r = session.call("GET", "/", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
}

}  // namespace
}  // namespace hc::net
