// The access console's manager actions (client/console_manager_actions.h) on the real manager
// directory and genesis `hc cluster up --access-mode trustees` writes (generate_cluster), with
// a node that records what it is sent: in trustees mode the console offers revocation, runs
// `hc manager revoke`'s steps through POST /console-api/revoke (the revocation transaction
// signed with the admin key, posted, waited for, then the group directory at the new epoch
// and its start recorded) under the same token, Origin and body rules as in single-manager
// mode, and offers no envelope key rotation (the access key is the trustees'). The same
// genesis names each trustee after its hospital (client/trustee_names.h).
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <mutex>
#include <thread>
#include <variant>

#include "chain/transaction.h"
#include "cli/cluster_setup.h"
#include "client/console_app.h"
#include "client/console_manager_actions.h"
#include "client/epoch_starts.h"
#include "client/genesis_trust.h"
#include "client/manager_session.h"
#include "client/trustee_names.h"
#include "common/bytes.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/store.h"
#include "net/http_server.h"
#include "support/temp_dir.h"

namespace hc::client {
namespace {

using nlohmann::json;

constexpr std::uint16_t kActionsConsolePort = 41235;
constexpr std::uint64_t kRecordedCommitHeight = 7;

const SecureBytes& actions_test_passphrase() {
  static const SecureBytes kPass{std::string_view("console-actions-test-passphrase")};
  return kPass;
}

// A node that takes every manager transaction, keeps it, and reports it committed at
// kRecordedCommitHeight (what `hc manager revoke` waits for).
class RecordingNode {
 public:
  RecordingNode() {
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{},
                                                [this](const net::HttpRequest& r) { return handle(r); });
    auto port = server_->listen("127.0.0.1", 0);
    HC_CHECK(port.ok());
    url_ = "http://127.0.0.1:" + std::to_string(*port);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~RecordingNode() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }
  std::vector<chain::Transaction> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  net::HttpResponse handle(const net::HttpRequest& r) {
    if (r.method == "POST" && r.path() == "/v1/manager/transactions") {
      const json body = json::parse(r.body, nullptr, false);
      if (!body.is_object() || !body.contains("transaction") || !body["transaction"].is_string()) {
        return net::HttpResponse::error(400, "invalid_input", "no transaction");
      }
      auto encoding = from_base64(body["transaction"].get<std::string>());
      if (!encoding.ok()) return net::HttpResponse::error(400, "invalid_input", "not base64");
      auto tx = chain::decode_transaction(*encoding);
      if (!tx.ok()) return net::HttpResponse::error(400, "invalid_input", tx.status().message());
      std::lock_guard lock(mutex_);
      received_.push_back(*tx);
      return net::HttpResponse::json(202, json{{"tx_id", to_hex(chain::transaction_id(*encoding))}, {"status", "pending"}}.dump());
    }
    if (r.method == "GET" && r.path().rfind("/v1/tx/", 0) == 0) {
      return net::HttpResponse::json(200, json{{"status", "committed"}, {"height", kRecordedCommitHeight}, {"index", 0}}.dump());
    }
    return net::HttpResponse::error(404, "not_found", "recording node");
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
  mutable std::mutex mutex_;
  std::vector<chain::Transaction> received_;
};

class ConsoleManagerActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cli::ClusterOptions o;
    o.dir = dir_.path() / "c";
    o.access_mode = chain::AccessMode::kTrustees;
    o.key_scrypt.log2_n = groupsig::kMinScryptLog2N;
    auto plan = cli::generate_cluster(o, actions_test_passphrase());
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();
    plan_ = std::move(plan).value();
    auto session = ManagerSession::open(plan_.manager_dir, SecureBytes(actions_test_passphrase().view()));
    ASSERT_TRUE(session.ok()) << session.status().to_string();
    session_ = std::move(session).value();
    auto trust = ChainTrust::from_genesis_file(plan_.genesis_file);
    ASSERT_TRUE(trust.ok()) << trust.status().to_string();
    trust_ = std::make_unique<ChainTrust>(std::move(trust).value());
    const Bytes key(32, 0x42);
    app_ = std::make_unique<ConsoleApp>(SecureBytes(key.data(), key.size()), *trust_, [](const std::string&) -> Result<json> {
      return Status::error(ErrorCode::kIo, "not asked in this test");
    });
    app_->set_port(kActionsConsolePort);
    offer_manager_actions(*app_, *session_, [this]() { return NodeClient::connect(node_.url()); });
  }

  net::HttpRequest post(const std::string& target, const std::string& body) {
    net::HttpRequest r;
    r.method = target == "/console-api/session" ? "GET" : "POST";
    r.target = target;
    r.body = body;
    r.headers["host"] = "127.0.0.1:" + std::to_string(kActionsConsolePort);
    r.headers["x-console-token"] = app_->session_token();
    r.headers["origin"] = "http://127.0.0.1:" + std::to_string(kActionsConsolePort);
    return r;
  }
  static json body_of(const net::HttpResponse& r) { return json::parse(r.body, nullptr, false); }
  std::uint64_t group_epoch() const {
    return groupsig::GroupDir(plan_.manager_dir / "group").current_epoch().value();
  }

  test::TempDir dir_;
  cli::ClusterPlan plan_;
  std::unique_ptr<ManagerSession> session_;
  std::unique_ptr<ChainTrust> trust_;
  RecordingNode node_;
  std::unique_ptr<ConsoleApp> app_;
};

TEST_F(ConsoleManagerActionsTest, TrusteesModeOffersRevocationButNoEnvelopeKeyRotation) {
  ASSERT_EQ(trust_->genesis().access_mode, chain::AccessMode::kTrustees);
  const json session = body_of(app_->handle(post("/console-api/session", "")));
  EXPECT_EQ(session["access_mode"], "trustees");
  EXPECT_EQ(session["can_revoke"], true) << "the manager revokes in trustees mode too";
  EXPECT_EQ(session["can_rotate_key"], false) << "the access key is the trustees' DKG's";
  EXPECT_EQ(app_->handle(post("/console-api/rotate-key", "{}")).status, 409);
  EXPECT_TRUE(node_.received().empty());
}

TEST_F(ConsoleManagerActionsTest, TrusteesModeRevocationCommitsThenMovesTheGroupToItsNewEpoch) {
  const std::string member = plan_.nodes[1].name;
  auto r = app_->handle(post("/console-api/revoke", json{{"member", member}}.dump()));
  ASSERT_EQ(r.status, 200) << r.body;
  const json done = body_of(r);
  EXPECT_EQ(done["member"], member);
  EXPECT_EQ(done["new_epoch"], 1);
  EXPECT_EQ(done["height"], kRecordedCommitHeight);

  // What the node got: one revocation of that member to epoch 1, signed with the admin key.
  const auto sent = node_.received();
  ASSERT_EQ(sent.size(), 1u);
  const auto* revocation = std::get_if<chain::RevocationTx>(&sent[0]);
  ASSERT_NE(revocation, nullptr) << "the console posted a " << chain::tx_kind_name(chain::kind_of(sent[0]));
  EXPECT_EQ(revocation->new_epoch, 1u);
  EXPECT_TRUE(chain::verify_manager_tx(sent[0], trust_->genesis().manager_admin_key).ok());
  auto record = groupsig::decode_revocation(revocation->record);
  ASSERT_TRUE(record.ok()) << record.status().to_string();
  EXPECT_EQ(record->member, member);
  EXPECT_EQ(done["tx_id"], to_hex(chain::transaction_id(chain::encode_transaction(sent[0]))));

  // Then, and only then, the manager's directory: the group at epoch 1, begun at the height.
  EXPECT_EQ(group_epoch(), 1u);
  auto starts = load_epoch_starts(plan_.manager_dir);
  ASSERT_TRUE(starts.ok()) << starts.status().to_string();
  EXPECT_EQ(*starts, (EpochStarts{{1, kRecordedCommitHeight}}));

  // The same hospital again is refused beside the field, and nothing more is posted.
  auto again = app_->handle(post("/console-api/revoke", json{{"member", member}}.dump()));
  EXPECT_EQ(again.status, 400) << again.body;
  EXPECT_EQ(body_of(again)["error"]["field"], "member");
  EXPECT_EQ(node_.received().size(), 1u);
}

TEST_F(ConsoleManagerActionsTest, TrusteesModeRevocationRefusesBadInputAMissingTokenAndAnotherOrigin) {
  const std::string member = plan_.nodes[2].name;
  net::HttpRequest no_token = post("/console-api/revoke", json{{"member", member}}.dump());
  no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest foreign = post("/console-api/revoke", json{{"member", member}}.dump());
  foreign.headers["origin"] = "https://evil.example";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  for (const char* body : {"", "{}", R"({"member": ""})", R"({"member": 3})", R"({"member": "a", "also": "b"})",
                           R"({"member": "no-such-hospital"})"}) {
    auto r = app_->handle(post("/console-api/revoke", body));
    EXPECT_EQ(r.status, 400) << body << ": " << r.body;
    EXPECT_EQ(body_of(r)["error"]["field"], "member") << body;
  }
  auto big = app_->handle(post("/console-api/revoke", std::string(kConsoleMaxFindBodyBytes + 1, ' ')));
  EXPECT_EQ(big.status, 413);
  EXPECT_TRUE(node_.received().empty()) << "a refused request reached the node";
  EXPECT_EQ(group_epoch(), 0u) << "a refused request moved the group";
}

TEST_F(ConsoleManagerActionsTest, TheGenesisNamesEachTrusteeAfterItsHospital) {
  const std::vector<std::string> names = trustee_names(trust_->genesis());
  ASSERT_EQ(names.size(), plan_.nodes.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(names[i], plan_.nodes[i].name) << "trustee " << i + 1 << " is hospital " << i + 1 << "'s node";
  }
  EXPECT_EQ(trustee_name(names, 2), plan_.nodes[1].name);
  EXPECT_EQ(trustee_name(names, 9), "trustee 9") << "a number the genesis does not reach";
  EXPECT_EQ(trustee_name(names, 0), "trustee 0");
}

}  // namespace
}  // namespace hc::client
