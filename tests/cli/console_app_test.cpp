// The access console's local application (client/console_app.h): the Host, Origin and session
// token checks, the bounds and refusals of the find request, and the verified metadata of a
// real certified block (chain/test_chain.h) for the serial computed from a name and ID.
#include "client/console_app.h"

#include <gtest/gtest.h>

#include "chain/committed_item.h"
#include "chain/test_chain.h"
#include "crypto/serial_number.h"

namespace hc::client {
namespace {

using chain::testing::TestConsortium;
using nlohmann::json;

constexpr std::uint16_t kPort = 41234;
constexpr std::uint64_t kBlockMs = 1'795'000'000'000;

SecureBytes console_test_key() {
  const Bytes key(32, 0x42);
  return SecureBytes(key.data(), key.size());
}

class ConsoleAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto trust = ChainTrust::from_genesis(c_.genesis());
    ASSERT_TRUE(trust.ok()) << trust.status().to_string();
    trust_ = std::make_unique<ChainTrust>(std::move(trust).value());
    auto serial = crypto::compute_serial(console_test_key().span(), "Ada Lovelace", "X-1815");
    ASSERT_TRUE(serial.ok());
    std::copy(serial->begin(), serial->end(), serial_.begin());
    chain::ChainTip tip{0, c_.genesis_hash(), {}};
    block_ = c_.make_block(tip, {c_.encode_signed_record(serial_, 0, 1040), c_.enrollment_tx("hospital-x"),
                                 c_.audit_tx(serial_, kBlockMs, "treatment <b>review</b>", "dr.who")},
                           kBlockMs);
    answer_ = {{"serial", to_hex(serial_)}, {"items", json::array()}};
    for (std::uint32_t index : {0u, 2u}) {
      auto item = chain::committed_item_to_json(block_, 1, index);
      ASSERT_TRUE(item.ok()) << item.status().to_string();
      answer_["items"].push_back(std::move(item).value());
    }
    app_ = std::make_unique<ConsoleApp>(console_test_key(), *trust_, [this](const std::string& hex) -> Result<json> {
      asked_.push_back(hex);
      if (!node_up_) return Status::error(ErrorCode::kIo, "connection refused");
      return answer_;
    });
    app_->set_port(kPort);
  }

  net::HttpRequest request(const std::string& method, const std::string& target, const std::string& body = "") {
    net::HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.headers["host"] = "127.0.0.1:" + std::to_string(kPort);
    return r;
  }
  net::HttpRequest find(const std::string& body) {
    net::HttpRequest r = request("POST", "/console-api/find", body);
    r.headers["x-console-token"] = app_->session_token();
    r.headers["origin"] = "http://127.0.0.1:" + std::to_string(kPort);
    return r;
  }
  static json body_of(const net::HttpResponse& r) { return json::parse(r.body, nullptr, false); }

  TestConsortium c_;
  std::unique_ptr<ChainTrust> trust_;
  chain::Serial serial_{};
  chain::Block block_;
  json answer_;
  bool node_up_ = true;
  std::vector<std::string> asked_;
  std::unique_ptr<ConsoleApp> app_;
};

TEST_F(ConsoleAppTest, FindsThePatientsVerifiedItemsBySerialComputedLocally) {
  auto r = app_->handle(find(R"({"name": "  ada   LOVELACE ", "id": "x-1815"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.at("Cache-Control"), "no-store");
  json j = body_of(r);
  EXPECT_EQ(j["serial"], to_hex(serial_));
  ASSERT_EQ(asked_.size(), 1u);
  EXPECT_EQ(asked_[0], to_hex(serial_)) << "the node is asked by serial only";
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["kind"], "record");
  EXPECT_EQ(j["items"][0]["height"], 1);
  EXPECT_EQ(j["items"][0]["ciphertext_bytes"], 1040);
  EXPECT_EQ(j["items"][0]["block_time_ms"], kBlockMs);
  EXPECT_EQ(j["items"][1]["kind"], "access_audit");
  EXPECT_EQ(j["items"][1]["purpose"], "treatment <b>review</b>");
  EXPECT_EQ(j["items"][1]["accessor"], "dr.who");
  EXPECT_EQ(r.body.find("Lovelace"), std::string::npos) << "the answer repeats the name";
}

TEST_F(ConsoleAppTest, AnAnswerThatDoesNotVerifyIsRefused) {
  answer_["items"][0]["block_hash"] = std::string(64, '0');
  auto r = app_->handle(find(R"({"name": "Ada Lovelace", "id": "X-1815"})"));
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(r.body.find("does not verify"), std::string::npos) << r.body;
  node_up_ = false;
  r = app_->handle(find(R"({"name": "Ada Lovelace", "id": "X-1815"})"));
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(r.body.find("connection refused"), std::string::npos) << r.body;
}

TEST_F(ConsoleAppTest, AnotherHostOriginOrTokenIsRefusedBeforeAnything) {
  net::HttpRequest rebound = find(R"({"name": "Ada", "id": "1"})");
  rebound.headers["host"] = "evil.example:" + std::to_string(kPort);
  EXPECT_EQ(app_->handle(rebound).status, 403);
  net::HttpRequest page = request("GET", "/console/");
  page.headers["host"] = "127.0.0.1:1";
  EXPECT_EQ(app_->handle(page).status, 403);
  net::HttpRequest foreign = find(R"({"name": "Ada", "id": "1"})");
  foreign.headers["origin"] = "https://evil.example";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  net::HttpRequest no_token = find(R"({"name": "Ada", "id": "1"})");
  no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest wrong_token = find(R"({"name": "Ada", "id": "1"})");
  wrong_token.headers["x-console-token"] = std::string(64, 'a');
  EXPECT_EQ(app_->handle(wrong_token).status, 403);
  EXPECT_TRUE(asked_.empty()) << "a refused request reached the node";
}

TEST_F(ConsoleAppTest, BadFindRequestsAreRefusedWithTheirField) {
  EXPECT_EQ(app_->handle(find(std::string(kConsoleMaxFindBodyBytes + 1, ' '))).status, 413);
  for (const char* body : {"", "[]", "{\"name\": \"Ada\"}", "{\"name\": \"Ada\", \"id\": 7}",
                           "{\"name\": \"Ada\", \"id\": \"1\", \"diagnosis\": \"x\"}", "{\"name\": \"Ada\", \"id\""}) {
    auto r = app_->handle(find(body));
    EXPECT_EQ(r.status, 400) << body;
  }
  auto empty_name = app_->handle(find(R"({"name": "   ", "id": "X1"})"));
  EXPECT_EQ(empty_name.status, 400);
  EXPECT_EQ(body_of(empty_name)["error"]["field"], "name") << empty_name.body;
  auto long_id = app_->handle(find(R"({"name": "Ada", "id": ")" + std::string(129, '9') + "\"}"));
  EXPECT_EQ(long_id.status, 400);
  EXPECT_EQ(body_of(long_id)["error"]["field"], "id") << long_id.body;
  EXPECT_TRUE(asked_.empty());
  EXPECT_EQ(app_->handle(request("GET", "/console-api/find")).status, 405);
}

TEST_F(ConsoleAppTest, ServesItsPageAndSessionOnly) {
  auto page = app_->handle(request("GET", "/console/"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.headers.at("Content-Security-Policy").find("script-src 'self';"), std::string::npos);
  auto session = app_->handle(request("GET", "/console-api/session"));
  ASSERT_EQ(session.status, 200);
  EXPECT_EQ(body_of(session)["token"], app_->session_token());
  EXPECT_EQ(app_->session_token().size(), 64u);
  for (const char* path : {"/doctor/", "/explorer/", "/v1/status", "/console/../doctor/app.js"}) {
    EXPECT_EQ(app_->handle(request("GET", path)).status, 404) << path;
  }
}

}  // namespace
}  // namespace hc::client
