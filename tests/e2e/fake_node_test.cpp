// The fake-node attack of issue 15: a doctor points `hc record submit` at a node that lies
// about the envelope key. Before the client verified the key against the genesis it sealed
// the visit to whatever key the node served, and the fake node read the diagnosis. Here a
// test HTTP server plays the node, with the genesis, pseudonym key and a real publication
// taken from a real 4-hospital consortium; `hc` must refuse every lie with one clear line and
// send the fake node nothing. The honest answer, relayed by the same fake server, goes through
// (so the refusals are the verification's, not a broken test server's).
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>

#include "common/file_io.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "net/http_server.h"
#include "support/envelope_key.h"

namespace hc::e2e {
namespace {

using nlohmann::json;

// A node that answers GET /v1/envelope-key with `answer` and accepts every record it is sent.
class FakeNode {
 public:
  explicit FakeNode(json answer) : answer_(std::move(answer)) {
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{},
                                                [this](const net::HttpRequest& req) { return handle(req); });
    auto port = server_->listen("127.0.0.1", 0);
    HC_CHECK(port.ok());
    url_ = "http://127.0.0.1:" + std::to_string(*port);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeNode() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }
  int records_received() const { return records_.load(); }

 private:
  net::HttpResponse handle(const net::HttpRequest& req) {
    if (req.path() == "/v1/envelope-key") return net::HttpResponse::json(200, answer_.dump());
    if (req.path() == "/v1/records" && req.method == "POST") {
      ++records_;
      return net::HttpResponse::json(202, json{{"tx_id", std::string(64, 'f')}, {"status", "pending"}}.dump());
    }
    return net::HttpResponse::error(404, "not_found", "fake node");
  }

  json answer_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
  std::atomic<int> records_{0};
};

class FakeNodeTest : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    if (HasFatalFailure()) return;
    auto key = http(cluster_->nodes()[0].api_url, "GET", "/v1/envelope-key");
    ASSERT_TRUE(key.ok() && key->status == 200) << (key.ok() ? key->body : key.status().to_string());
    real_answer_ = json::parse(key->body);
    visit_file_ = dir_.path() / "visit.txt";
    ASSERT_TRUE(write_file_atomic(visit_file_, as_bytes(std::string("name: Ada Fake\nid: FAKE-1\n"
                                                                    "time: 2026-11-24T09:30:00Z\n"
                                                                    "diagnosis: HIV positive\n")))
                    .ok());
  }

  struct Outcome {
    int exit_code = -1;
    std::string output;  // stdout and stderr
  };
  Outcome submit_to(const FakeNode& fake) const {
    const std::filesystem::path out = dir_.path() / "submit.out";
    std::string command = shell_quoted(HC_BINARY_DIR "/bin/hc") + " record submit --node " + fake.url() +
                          " --token-file " + shell_quoted(cluster_->nodes()[0].doctor_token_file.string()) +
                          " --pseudonym-key " + shell_quoted((cluster_->manager_dir() / "pseudonym.key").string()) +
                          " --genesis " + shell_quoted(cluster_->genesis_file().string()) + " --visit-file " +
                          shell_quoted(visit_file_.string()) + " > " + shell_quoted(out.string()) + " 2>&1";
    int rc = std::system(command.c_str());
    Outcome o;
    if (rc != -1 && WIFEXITED(rc)) o.exit_code = WEXITSTATUS(rc);
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    o.output = text.str();
    return o;
  }

  void expect_refused(const json& answer, const std::string& reason) const {
    FakeNode fake(answer);
    Outcome o = submit_to(fake);
    EXPECT_NE(o.exit_code, 0) << o.output;
    EXPECT_EQ(fake.records_received(), 0) << "the visit was sealed and sent to a key the chain never vouched for";
    EXPECT_NE(o.output.find("not vouched for by the chain"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find(reason), std::string::npos) << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << "one line: " << o.output;
  }

  json real_answer_;
  std::filesystem::path visit_file_;
};

TEST_F(FakeNodeTest, HcRecordSubmitRefusesEnvelopeKeysTheChainDoesNotVouchFor) {
  const crypto::EnvelopePublicKey& own = test::shared_envelope_key().public_key();
  {
    SCOPED_TRACE("the fake node's own key, as a node answered before keys were proved");
    json own_key = {{"key_id", to_hex(own.key_id())}, {"public_key_pem", own.to_pem()}, {"height", 1}};
    expect_refused(own_key, "no publication proof");
  }
  {
    SCOPED_TRACE("its own key beside the real key's publication");
    json swapped = real_answer_;
    swapped["key_id"] = to_hex(own.key_id());
    swapped["public_key_pem"] = own.to_pem();
    expect_refused(swapped, "not the one the proof publishes");
  }
  {
    SCOPED_TRACE("the real key with a forged proof: the block header altered");
    json forged = real_answer_;
    forged["publication"]["block_header"]["merkle_root"] = std::string(64, '0');
    expect_refused(forged, "block hash");
  }
  {
    SCOPED_TRACE("the real key with a truncated certificate");
    json truncated = real_answer_;
    std::string cert = truncated["publication"]["certificate"].get<std::string>();
    truncated["publication"]["certificate"] = cert.substr(0, cert.size() / 8 * 4);
    expect_refused(truncated, "commit certificate");
  }
  {
    SCOPED_TRACE("the honest answer relayed by the fake server is believed");
    FakeNode relay(real_answer_);
    Outcome o = submit_to(relay);
    EXPECT_EQ(o.exit_code, 0) << o.output;
    EXPECT_EQ(relay.records_received(), 1) << o.output;
  }
}

}  // namespace
}  // namespace hc::e2e
