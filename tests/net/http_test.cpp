#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <thread>

#include "net/http_client.h"
#include "net/http_server.h"

namespace hc::net {
namespace {

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerLimits limits;
    limits.max_body_bytes = 1024;
    limits.idle_timeout_ms = 2000;
    limits.header_timeout_ms = 2000;
    limits.body_timeout_ms = 2000;
    server_ = std::make_unique<HttpServer>(io_, limits, [this](const HttpRequest& req) {
      ++calls_;
      if (req.path() == "/echo") {
        return HttpResponse::json(200, "{\"method\":\"" + req.method + "\",\"body\":\"" + req.body +
                                           "\",\"auth\":\"" + req.header("authorization") + "\"}");
      }
      if (req.path() == "/limited") {
        HttpResponse r = HttpResponse::error(429, "rate_limited", "too many requests");
        r.headers["Retry-After"] = "7";
        return r;
      }
      return HttpResponse::error(404, "not_found", "no route " + req.path());
    });
    auto port = server_->listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok());
    url_.host = "127.0.0.1";
    url_.port = *port;
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
  HttpUrl url_;
  std::atomic<int> calls_{0};
};

TEST_F(HttpTest, RoutesRequestsWithBodyAndBearerToken) {
  HttpCallOptions opts;
  opts.bearer_token = "tok";
  auto r = http_call(url_, "POST", "/echo", "hello", opts);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"method":"POST","body":"hello","auth":"Bearer tok"})");
  auto missing = http_call(url_, "GET", "/nope?x=1", "");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no route /nope"), std::string::npos);
}

// Regression: the client dropped every response header, so a caller could not see a 429's
// Retry-After. The handler's extra headers reach the client, under lower-case names.
TEST_F(HttpTest, ResponseHeadersReachTheClient) {
  auto r = http_call(url_, "GET", "/limited", "");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 429);
  ASSERT_EQ(r->headers.count("retry-after"), 1u);
  EXPECT_EQ(r->headers.at("retry-after"), "7");
  EXPECT_EQ(r->headers.at("content-type"), "application/json");
}

TEST_F(HttpTest, OversizedBodyGets413AndNeverReachesTheHandler) {
  auto r = http_call(url_, "POST", "/echo", std::string(2048, 'x'));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpTest, MalformedHttpGets400) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), url_.port});
  std::string garbage = "NOT HTTP AT ALL\r\n\r\n";
  boost::asio::write(sock, boost::asio::buffer(garbage));
  std::string reply;
  boost::system::error_code ec;
  std::array<char, 1024> buf{};
  std::size_t n;
  while ((n = sock.read_some(boost::asio::buffer(buf), ec)) > 0) reply.append(buf.data(), n);
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_EQ(calls_, 0);
}

TEST(HttpUrlTest, Parses) {
  auto u = parse_http_url("http://127.0.0.1:8080/api/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->base_path, "/api");
  EXPECT_FALSE(parse_http_url("ftp://x").ok());
  EXPECT_FALSE(parse_http_url("http://:80").ok());
  EXPECT_FALSE(parse_http_url("http://h:99999").ok());
  EXPECT_FALSE(parse_http_url("http://h:8x").ok());
}

TEST(HttpClientTest, UnreachableNodeIsUnavailable) {
  HttpUrl url{"127.0.0.1", 1, ""};
  HttpCallOptions opts;
  opts.timeout_ms = 2000;
  auto r = http_call(url, "GET", "/v1/status", "", opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace hc::net
