// The access console's local application (client/console_app.h): the Host, Origin and session
// token checks, the bounds and refusals of the find and access requests, the verified metadata
// of a real certified block (chain/test_chain.h) for the serial computed from a name and ID, the
// trustees who answered each access request by number and by name (client/trustee_names.h), and
// an access job (client/console_access.h) held at each step of its retrieval (an injected one
// that reports the steps retrieve_with_trustees reports, and waits between them).
#include "client/console_app.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "client/console_access.h"
#include "client/console_health.h"
#include "client/trustee_names.h"

#include "chain/committed_item.h"
#include "chain/limits.h"
#include "chain/test_chain.h"
#include "chain/trustees_chain.h"
#include "crypto/serial_number.h"
#include "net/tls_certificate.h"

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

// The TLS CA certificate of a hospital whose CA is named `common_name` (as the genesis carries it).
std::string ca_certificate_named(const std::string& common_name) {
  auto ca = net::create_tls_ca(common_name, SecureBytes(std::string_view("console-test-ca-pass")), net::Validity{});
  HC_CHECK(ca.ok());
  return ca->certificate_pem;
}

// Trustees mode: each access request in the audit trail names the trustees whose committed
// answers verify against the genesis (fetched by request id, as `hc access status` does), by
// number and by the name of their hospital's TLS CA in the genesis ("trustee N" for one
// without); a request nobody answered yet names none; a node's answer that does not prove the
// request's answers refuses the find.
TEST(ConsoleAppTrustees, EachAccessRequestNamesTheTrusteesWhoseAnswersVerify) {
  // Trustee j is replica j-1's node: st-mary's CA as `hc` names it, another CA named plainly,
  // one whose name holds markup (passed on as text: the page escapes it), and none.
  chain::testing::TrusteesChain chain(4, 3, "console_trustees",
                                      {ca_certificate_named("st-mary TLS CA"), ca_certificate_named("Riverside Clinic"),
                                       ca_certificate_named("<b>north</b>"), ""});
  auto trust = ChainTrust::from_genesis(chain.c.genesis());
  ASSERT_TRUE(trust.ok()) << trust.status().to_string();
  auto computed = crypto::compute_serial(console_test_key().span(), "Ada Lovelace", "X-1815");
  ASSERT_TRUE(computed.ok());
  chain::Serial serial{};
  std::copy(computed->begin(), computed->end(), serial.begin());
  const Bytes answered = chain.manager_signed(chain.request(serial, kBlockMs));
  const Bytes pending = chain.manager_signed(chain.request(serial, kBlockMs + 1));
  const chain::Digest answered_id = chain::transaction_id(answered);
  std::vector<Bytes> txs{answered, pending};
  for (std::uint16_t j : {4, 1, 2}) {
    // One share box each (its bytes are the requester's to check, not the console's).
    const Bytes box(chain::kDecryptionShareBoxBytes, static_cast<std::uint8_t>(j));
    txs.push_back(chain.signed_by(chain::DecryptionSharesTx{chain.chain_id(), answered_id, j, {box}, {}}, j));
  }
  const chain::Block block = chain.c.make_block({0, chain.c.genesis_hash(), {}}, txs, kBlockMs);
  auto item = [&](std::uint32_t index) { return chain::committed_item_to_json(block, 1, index).value(); };
  const json by_serial = {{"serial", to_hex(serial)}, {"items", {item(0), item(1)}}};
  std::map<std::string, json> by_request = {
      {to_hex(answered_id), {{"request", item(0)}, {"answers", {{{"item", item(2)}}, {{"item", item(3)}}, {{"item", item(4)}}}}}},
      {to_hex(chain::transaction_id(pending)), {{"request", item(1)}, {"answers", json::array()}}}};
  std::vector<std::string> asked;
  ConsoleApp app(console_test_key(), *trust, [&](const std::string&) -> Result<json> { return by_serial; });
  app.set_request_answers([&](const std::string& id) -> Result<json> {
    asked.push_back(id);
    return by_request.at(id);
  });
  app.set_port(kPort);
  auto find = [&]() {
    net::HttpRequest r;
    r.method = "POST";
    r.target = "/console-api/find";
    r.body = R"({"name": "Ada Lovelace", "id": "X-1815"})";
    r.headers["host"] = "127.0.0.1:" + std::to_string(kPort);
    r.headers["x-console-token"] = app.session_token();
    return app.handle(r);
  };
  auto r = find();
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["kind"], "access_request");
  EXPECT_EQ(j["items"][0]["answered_by"], json({1, 2, 4})) << "by trustee, as hc access status lists them";
  EXPECT_EQ(j["items"][0]["answered_by_names"], json({"st-mary", "Riverside Clinic", "trustee 4"}))
      << "each by its hospital's name in the genesis, or its number without one";
  EXPECT_EQ(j["items"][1]["answered_by"], json::array()) << "a request no trustee answered yet";
  EXPECT_EQ(j["items"][1]["answered_by_names"], json::array());
  EXPECT_EQ(asked, std::vector<std::string>({to_hex(answered_id), to_hex(chain::transaction_id(pending))}));

  // A node that passes another request's answer off as this one's, or forges an answer's block.
  by_request[to_hex(chain::transaction_id(pending))]["answers"] = {{{"item", item(2)}}};
  r = find();
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_NE(r.body.find("do not verify"), std::string::npos) << r.body;
  by_request[to_hex(chain::transaction_id(pending))]["answers"] = json::array();
  by_request[to_hex(answered_id)]["answers"][1]["item"]["block_hash"] = std::string(64, '0');
  r = find();
  EXPECT_EQ(r.status, 502) << r.body;
  by_request[to_hex(answered_id)]["answers"] = {{{"item", item(3)}}};
  r = find();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"][0]["answered_by"], json({1}));
  EXPECT_EQ(json::parse(r.body)["items"][0]["answered_by_names"], json({"st-mary"}));
}

// Trustee 3's CA name holds markup: it is passed on as the text it is (the page shows it
// through textContent), and a genesis without trustees names none.
TEST(ConsoleAppTrustees, TrusteeNamesComeFromTheGenesisAsText) {
  chain::testing::TrusteesChain chain(4, 3, "console_trustee_names",
                                      {ca_certificate_named("st-mary TLS CA"), "", ca_certificate_named("<b>north</b> TLS CA")});
  EXPECT_EQ(trustee_names(chain.c.genesis()), (std::vector<std::string>{"st-mary", "trustee 2", "<b>north</b>", "trustee 4"}));
  chain::testing::TestConsortium single;
  EXPECT_TRUE(trustee_names(single.genesis()).empty());
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

// A retrieval the test holds at each step: it reports one step, then waits for release().
class SteppedRetrieval {
 public:
  Result<ThresholdRetrieval> run(const chain::Serial& serial, const ThresholdRetrievalOptions& options) {
    serial_seen = to_hex(serial);
    purpose_seen = options.purpose;
    RetrievalProgress step;
    step.request_id = std::string(64, 'e');
    step.key_epoch = 2;
    step.records = 1;
    step.asks_to_open = true;
    options.on_step(step);
    wait_for_release(1);
    step.stage = RetrievalProgress::Stage::kCommitted;
    step.height = 9;
    options.on_step(step);
    wait_for_release(2);
    step.stage = RetrievalProgress::Stage::kAnswers;
    step.answers = 2;
    options.on_step(step);
    wait_for_release(3);
    if (!succeed) return Status::error(ErrorCode::kInvalidInput, "2 of the 4 trustees answered; 3 are needed");
    ThresholdRetrieval out;
    out.requests.push_back({std::string(64, 'e'), 9, 2, 1, {1, 2, 4}, {{3, "share does not verify"}}, true});
    out.history.verified_items = 2;
    PatientVisit visit;
    visit.height = 5;
    visit.tx_id = std::string(64, 'a');
    visit.visit.time = "2026-11-20T08:00:00Z";
    visit.visit.diagnosis = "Influenza <b>A</b>";
    visit.visit.fhir_json = R"({"code":{"text":"Influenza A"},"resourceType":"Condition"})";
    visit.hospital = "hospital-1";
    out.history.visits.push_back(std::move(visit));
    return out;
  }
  void release(int step) {
    std::lock_guard lock(mutex_);
    released_ = step;
    cv_.notify_all();
  }
  bool succeed = true;
  std::string serial_seen, purpose_seen;

 private:
  void wait_for_release(int step) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(20), [&] { return released_ >= step; });
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  int released_ = 0;
};

class ConsoleAccessTest : public ConsoleAppTest {
 protected:
  void SetUp() override {
    ConsoleAppTest::SetUp();
    access_ = std::make_unique<ConsoleAccess>(
        [this](const chain::Serial& serial, const ThresholdRetrievalOptions& options) { return stepped_.run(serial, options); },
        "manager", 60000);
    app_->set_access(access_.get());
  }
  void TearDown() override {
    stepped_.release(3);
    access_.reset();
  }
  net::HttpRequest access(const std::string& body) {
    net::HttpRequest r = find(body);
    r.target = "/console-api/access";
    return r;
  }
  net::HttpRequest job(const std::string& id) {
    net::HttpRequest r = request("GET", "/console-api/access/" + id);
    r.headers["x-console-token"] = app_->session_token();
    return r;
  }
  // Polls the job until `done` holds for its view (the worker thread moves it on).
  json await_job(const std::string& id, const std::function<bool(const json&)>& done) {
    json view;
    for (int i = 0; i < 400; ++i) {
      auto r = app_->handle(job(id));
      EXPECT_EQ(r.status, 200) << r.body;
      view = body_of(r);
      if (done(view)) return view;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "the job never reached the expected step: " << view.dump();
    return view;
  }
  static bool at_stage(const json& v, const char* stage) {
    return !v["requests"].empty() && v["requests"][0]["stage"] == stage;
  }

  SteppedRetrieval stepped_;
  std::unique_ptr<ConsoleAccess> access_;
};

const char* const kAccessBody = R"({"name": "Ada Lovelace", "id": "X-1815", "purpose": "treatment review"})";

TEST_F(ConsoleAccessTest, AJobIsShownAtEachStepThenWithTheHistory) {
  auto started = app_->handle(access(kAccessBody));
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = body_of(started)["job"];
  EXPECT_EQ(body_of(started)["serial"], to_hex(serial_));
  json v = await_job(id, [](const json& j) { return at_stage(j, "pending"); });
  EXPECT_EQ(v["state"], "running");
  EXPECT_EQ(v["requester"], "manager");
  EXPECT_EQ(v["purpose"], "treatment review");
  EXPECT_FALSE(v.contains("history"));
  stepped_.release(1);
  v = await_job(id, [](const json& j) { return at_stage(j, "committed"); });
  EXPECT_EQ(v["requests"][0]["height"], 9);
  EXPECT_EQ(v["requests"][0]["asks_to_open"], true);
  stepped_.release(2);
  v = await_job(id, [](const json& j) { return at_stage(j, "answered"); });
  EXPECT_EQ(v["requests"][0]["answers"], 2);
  EXPECT_EQ(v["state"], "running");
  EXPECT_EQ(app_->handle(access(kAccessBody)).status, 409) << "a second job while one runs";
  stepped_.release(3);
  v = await_job(id, [](const json& j) { return j["state"] != "running"; });
  ASSERT_EQ(v["state"], "done") << v.dump();
  EXPECT_EQ(v["requests"].size(), 1u);
  EXPECT_EQ(v["requests"][0]["answered_by"], json({1, 2, 4}));
  EXPECT_EQ(v["requests"][0]["rejected"][0]["trustee"], 3);
  const json& visit = v["history"]["visits"][0];
  EXPECT_EQ(visit["diagnosis"], "Influenza <b>A</b>");
  EXPECT_EQ(visit["hospital"], "hospital-1");
  EXPECT_EQ(visit["fhir"]["resourceType"], "Condition");
  EXPECT_EQ(stepped_.serial_seen, to_hex(serial_)) << "the retrieval reads the serial of the name and ID";
  EXPECT_EQ(stepped_.purpose_seen, "treatment review");
  EXPECT_TRUE(asked_.empty()) << "the access job asked the find route's node";
}

TEST_F(ConsoleAccessTest, AFailedRetrievalIsShownWithItsReason) {
  stepped_.succeed = false;
  stepped_.release(3);
  auto started = app_->handle(access(kAccessBody));
  ASSERT_EQ(started.status, 202) << started.body;
  json v = await_job(body_of(started)["job"], [](const json& j) { return j["state"] != "running"; });
  EXPECT_EQ(v["state"], "failed");
  EXPECT_EQ(v["error"], "2 of the 4 trustees answered; 3 are needed");
  EXPECT_FALSE(v.contains("history"));
  auto again = app_->handle(access(kAccessBody));
  EXPECT_EQ(again.status, 202) << "a new job after a failed one: " << again.body;
}

TEST_F(ConsoleAccessTest, BadAccessRequestsAreRefusedWithTheirField) {
  auto blank = app_->handle(access(R"({"name": "Ada", "id": "X1", "purpose": "   "})"));
  EXPECT_EQ(blank.status, 400);
  EXPECT_EQ(body_of(blank)["error"]["field"], "purpose") << blank.body;
  auto control = app_->handle(access(R"({"name": "Ada", "id": "X1", "purpose": "a\nb"})"));
  EXPECT_EQ(body_of(control)["error"]["field"], "purpose") << control.body;
  auto long_purpose = app_->handle(access(R"({"name": "Ada", "id": "X1", "purpose": ")" + std::string(1025, 'p') + "\"}"));
  EXPECT_EQ(body_of(long_purpose)["error"]["field"], "purpose") << long_purpose.body;
  auto no_name = app_->handle(access(R"({"name": "", "id": "X1", "purpose": "care"})"));
  EXPECT_EQ(no_name.status, 400);
  EXPECT_EQ(body_of(no_name)["error"]["field"], "name") << no_name.body;
  for (const char* body : {"", "{}", R"({"name": "Ada", "id": "X1"})", R"({"name": "Ada", "id": "X1", "purpose": 3})",
                           R"({"name": "Ada", "id": "X1", "purpose": "care", "serial": "00"})"}) {
    EXPECT_EQ(app_->handle(access(body)).status, 400) << body;
  }
  EXPECT_EQ(app_->handle(access(std::string(kConsoleMaxAccessBodyBytes + 1, ' '))).status, 413);
  EXPECT_EQ(app_->handle(request("GET", "/console-api/access")).status, 405);
  EXPECT_EQ(app_->handle(job(std::string(32, '0'))).status, 404) << "an unknown job";
  for (const char* id : {"", "xyz", "0000000000000000000000000000000G", "../session"}) {
    EXPECT_EQ(app_->handle(job(id)).status, 404) << id;
  }
  net::HttpRequest post_job = job(std::string(32, '0'));
  post_job.method = "POST";
  EXPECT_EQ(app_->handle(post_job).status, 405);
  EXPECT_TRUE(stepped_.serial_seen.empty()) << "a refused request started a retrieval";
}

TEST_F(ConsoleAccessTest, TheAccessRoutesNeedTheTokenTheOriginAndTheHost) {
  net::HttpRequest no_token = access(kAccessBody);
  no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest foreign = access(kAccessBody);
  foreign.headers["origin"] = "http://127.0.0.1:1";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  net::HttpRequest rebound = access(kAccessBody);
  rebound.headers["host"] = "attacker.example:" + std::to_string(kPort);
  EXPECT_EQ(app_->handle(rebound).status, 403);
  EXPECT_TRUE(stepped_.serial_seen.empty()) << "a refused request started a retrieval";

  stepped_.release(3);
  auto started = app_->handle(access(kAccessBody));
  ASSERT_EQ(started.status, 202);
  const std::string id = body_of(started)["job"];
  net::HttpRequest job_no_token = job(id);
  job_no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(job_no_token).status, 403);
  net::HttpRequest job_foreign = job(id);
  job_foreign.headers["origin"] = "https://evil.example";
  EXPECT_EQ(app_->handle(job_foreign).status, 403);
  net::HttpRequest job_rebound = job(id);
  job_rebound.headers["host"] = "localhost:1";
  EXPECT_EQ(app_->handle(job_rebound).status, 403);
  await_job(id, [](const json& j) { return j["state"] != "running"; });
}

TEST_F(ConsoleAppTest, WithoutARequesterTheAccessRoutesSaySo) {
  net::HttpRequest a = find(R"({"name": "Ada", "id": "X1", "purpose": "care"})");
  a.target = "/console-api/access";
  auto refused = app_->handle(a);
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("--dir or --reader-key"), std::string::npos) << refused.body;
  auto session = body_of(app_->handle(request("GET", "/console-api/session")));
  EXPECT_FALSE(session.contains("requester"));
  EXPECT_EQ(session["access_mode"], "single-manager");
}

TEST_F(ConsoleAccessTest, TheSessionNamesTheRequesterAndTheThreshold) {
  auto session = body_of(app_->handle(request("GET", "/console-api/session")));
  EXPECT_EQ(session["requester"], "manager");
  EXPECT_EQ(session["threshold"], c_.genesis().trustee_threshold);
  EXPECT_EQ(session["trustees"], c_.genesis().trustee_keys.size());
}

TEST(ConsoleAccessJobs, TheOldestFinishedJobsMakeRoom) {
  int runs = 0;
  ConsoleAccess access([&runs](const chain::Serial&, const ThresholdRetrievalOptions&) -> Result<ThresholdRetrieval> {
    ++runs;
    return Status::error(ErrorCode::kUnavailable, "no node");
  }, "manager", 1000);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < kConsoleMaxAccessJobs + 2; ++i) {
    Result<std::string> id = invalid_input("not started");
    for (int tries = 0; tries < 500 && !id.ok(); ++tries) {
      id = access.start(chain::Serial{}, "care");
      if (!id.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    ids.push_back(*id);
  }
  for (int tries = 0; tries < 500 && access.view(ids.back())->at("state") == "running"; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(access.view(ids[0]).has_value()) << "the oldest job was kept";
  EXPECT_FALSE(access.view(ids[1]).has_value());
  EXPECT_TRUE(access.view(ids[2]).has_value());
  EXPECT_EQ(access.view(ids.back())->at("state"), "failed");
}

TEST_F(ConsoleAccessTest, RevocationNeedsTheTokenAManagerAWellFormedBodyAndNoRunningJob) {
  net::HttpRequest revoke = find(R"({"member": "hospital-x"})");
  revoke.target = "/console-api/revoke";
  auto none = app_->handle(revoke);
  EXPECT_EQ(none.status, 409) << "no manager session: " << none.body;
  EXPECT_EQ(body_of(app_->handle(request("GET", "/console-api/session")))["can_revoke"], false);
  std::vector<std::string> revoked;
  app_->set_revoker([&revoked](const std::string& member) -> Result<json> {
    if (member == "nobody") return invalid_input("'nobody' is not an active member of epoch 0");
    if (member == "offline") return Status::error(ErrorCode::kUnavailable, "node unreachable");
    revoked.push_back(member);
    return json{{"member", member}, {"new_epoch", 1}, {"tx_id", std::string(64, 'c')}, {"height", 8}};
  });
  EXPECT_EQ(body_of(app_->handle(request("GET", "/console-api/session")))["can_revoke"], true);
  net::HttpRequest no_token = revoke;
  no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest foreign = revoke;
  foreign.headers["origin"] = "https://evil.example";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  net::HttpRequest rebound = revoke;
  rebound.headers["host"] = "evil.example:" + std::to_string(kPort);
  EXPECT_EQ(app_->handle(rebound).status, 403);
  for (const char* body : {"", "{}", R"({"member": ""})", R"({"member": 3})", R"({"member": "a", "also": "b"})"}) {
    net::HttpRequest bad = revoke;
    bad.body = body;
    auto r = app_->handle(bad);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(body_of(r)["error"]["field"], "member") << body;
  }
  net::HttpRequest big = revoke;
  big.body = std::string(kConsoleMaxFindBodyBytes + 1, ' ');
  EXPECT_EQ(app_->handle(big).status, 413);
  net::HttpRequest get = revoke;
  get.method = "GET";
  EXPECT_EQ(app_->handle(get).status, 405);
  EXPECT_TRUE(revoked.empty()) << "a refused request revoked";

  auto started = app_->handle(access(kAccessBody));  // held at its first step
  ASSERT_EQ(started.status, 202);
  await_job(body_of(started)["job"], [](const json& j) { return at_stage(j, "pending"); });
  EXPECT_EQ(app_->handle(revoke).status, 409) << "a revocation while an access job runs";
  stepped_.release(3);
  await_job(body_of(started)["job"], [](const json& j) { return j["state"] != "running"; });

  net::HttpRequest unknown = revoke;
  unknown.body = R"({"member": "nobody"})";
  auto refused = app_->handle(unknown);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(body_of(refused)["error"]["field"], "member");
  net::HttpRequest offline = revoke;
  offline.body = R"({"member": "offline"})";
  EXPECT_EQ(app_->handle(offline).status, 502);
  auto done = app_->handle(revoke);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(body_of(done)["new_epoch"], 1);
  EXPECT_EQ(revoked, std::vector<std::string>{"hospital-x"});
}

TEST_F(ConsoleAccessTest, KeyRotationNeedsTheTokenAManagerAnEmptyBodyAndNoRunningJob) {
  net::HttpRequest rotate = find("{}");
  rotate.target = "/console-api/rotate-key";
  EXPECT_EQ(app_->handle(rotate).status, 409) << "no manager session";
  EXPECT_EQ(body_of(app_->handle(request("GET", "/console-api/session")))["can_rotate_key"], false);
  int rotations = 0;
  bool node_up = true;
  app_->set_key_rotator([&]() -> Result<json> {
    if (!node_up) return Status::error(ErrorCode::kUnavailable, "node unreachable");
    ++rotations;
    return json{{"key_id", std::string(64, 'd')}, {"tx_id", std::string(64, 'c')}, {"height", 11}};
  });
  EXPECT_EQ(body_of(app_->handle(request("GET", "/console-api/session")))["can_rotate_key"], true);
  net::HttpRequest no_token = rotate;
  no_token.headers.erase("x-console-token");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest foreign = rotate;
  foreign.headers["origin"] = "http://localhost:1";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  for (const char* body : {"", "[]", R"({"key": "x"})"}) {
    net::HttpRequest bad = rotate;
    bad.body = body;
    EXPECT_EQ(app_->handle(bad).status, 400) << body;
  }
  net::HttpRequest get = rotate;
  get.method = "GET";
  EXPECT_EQ(app_->handle(get).status, 405);
  EXPECT_EQ(rotations, 0) << "a refused request rotated";
  auto started = app_->handle(access(kAccessBody));
  ASSERT_EQ(started.status, 202);
  EXPECT_EQ(app_->handle(rotate).status, 409) << "a rotation while an access job runs";
  stepped_.release(3);
  await_job(body_of(started)["job"], [](const json& j) { return j["state"] != "running"; });
  node_up = false;
  EXPECT_EQ(app_->handle(rotate).status, 502);
  node_up = true;
  auto done = app_->handle(rotate);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(body_of(done)["height"], 11);
  EXPECT_EQ(rotations, 1);
}

TEST(ConsoleHealth, CommitCountersAreReadFromTheMetricsText) {
  const json c = commit_counters(
      "# HELP hc_transactions_committed_total x\n# TYPE hc_transactions_committed_total counter\n"
      "hc_transactions_committed_total 42\nhc_blocks_committed_total 7\n"
      "hc_block_commit_latency_seconds_bucket{le=\"0.1\"} 3\nhc_block_commit_latency_seconds_sum 1.25\n"
      "hc_block_commit_latency_seconds_count 7\nhc_transactions_committed_total_extra 9\n");
  EXPECT_EQ(c["txs"], 42.0);
  EXPECT_EQ(c["blocks"], 7.0);
  EXPECT_EQ(c["latency_sum_s"], 1.25);
  EXPECT_EQ(c["latency_count"], 7.0);
  const json bad = commit_counters("hc_transactions_committed_total nan\nhc_blocks_committed_total -3\n"
                                   "hc_block_commit_latency_seconds_sum 1x\nhc_block_commit_latency_seconds_count");
  EXPECT_EQ(bad["txs"], 0.0);
  EXPECT_EQ(bad["blocks"], 0.0);
  EXPECT_EQ(bad["latency_sum_s"], 0.0);
  EXPECT_EQ(bad["latency_count"], 0.0);
}

TEST(ConsoleHealth, OnlyTheNamedFieldsOfEachNodePassAndANodeThatDoesNotAnswerSaysWhy) {
  json peers = json::array();
  for (int i = 0; i < 100; ++i) peers.push_back({{"id", i}, {"connected", i % 2 == 0}, {"extra", "x"}});
  NodeProbe up{"https://a:1", [peers]() -> Result<json> {
                 return json{{"height", 12}, {"view", 3}, {"primary", 1}, {"healthy", true}, {"name", "st-mary"},
                             {"epoch", 0}, {"member_epoch", 0}, {"app_hash", std::string(64, 'a')},
                             {"mempool_txs", "many"}, {"peers", peers}};
               },
               []() -> Result<std::string> { return std::string("hc_transactions_committed_total 5\n"); }};
  NodeProbe down{"https://b:2", []() -> Result<json> { return Status::error(ErrorCode::kIo, "connection refused"); },
                 []() -> Result<std::string> { return std::string(); }};
  const json h = consortium_health({up, down});
  ASSERT_EQ(h["nodes"].size(), 2u);
  const json& a = h["nodes"][0];
  EXPECT_EQ(a["url"], "https://a:1");
  EXPECT_EQ(a["status"]["height"], 12);
  EXPECT_EQ(a["status"]["name"], "st-mary");
  EXPECT_FALSE(a["status"].contains("app_hash")) << "a field the page does not show";
  EXPECT_FALSE(a["status"].contains("mempool_txs")) << "a field of the wrong type";
  EXPECT_EQ(a["status"]["peers"].size(), kConsoleMaxHealthPeers);
  EXPECT_FALSE(a["status"]["peers"][0].contains("extra"));
  EXPECT_EQ(a["metrics"]["txs"], 5.0);
  EXPECT_EQ(h["nodes"][1]["error"], "connection refused");
  EXPECT_FALSE(h["nodes"][1].contains("status"));
}

TEST_F(ConsoleAppTest, TheHealthRouteNeedsTheTokenAndServesTheExplorersChartModulesOnly) {
  net::HttpRequest health = request("GET", "/console-api/health");
  health.headers["x-console-token"] = app_->session_token();
  EXPECT_EQ(app_->handle(health).status, 404) << "no health source given";
  int asked = 0;
  app_->set_health([&asked]() {
    ++asked;
    return json{{"nodes", json::array({{{"url", "https://a:1"}}})}};
  });
  auto r = app_->handle(health);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body_of(r)["nodes"][0]["url"], "https://a:1");
  net::HttpRequest no_token = request("GET", "/console-api/health");
  EXPECT_EQ(app_->handle(no_token).status, 403);
  net::HttpRequest foreign = health;
  foreign.headers["origin"] = "https://evil.example";
  EXPECT_EQ(app_->handle(foreign).status, 403);
  net::HttpRequest post = health;
  post.method = "POST";
  EXPECT_EQ(app_->handle(post).status, 405);
  EXPECT_EQ(asked, 1) << "a refused request asked the nodes";
  for (const char* module : {"/explorer/chart.js", "/explorer/metrics.js", "/explorer/format.js", "/console/health.js"}) {
    auto m = app_->handle(request("GET", module));
    EXPECT_EQ(m.status, 200) << module;
    EXPECT_EQ(m.body.find("innerHTML"), std::string::npos) << module;
  }
  for (const char* path : {"/explorer/app.js", "/explorer/index.html", "/explorer/node_api.js"}) {
    EXPECT_EQ(app_->handle(request("GET", path)).status, 404) << path;
  }
}

TEST_F(ConsoleAppTest, NoConsoleModuleBuildsMarkupFromData) {
  for (const char* module : {"/console/console.js", "/console/access.js", "/console/fhir_view.js", "/console/format.js",
                             "/console/health.js", "/console/revoke.js", "/console/keys.js"}) {
    auto m = app_->handle(request("GET", module));
    ASSERT_EQ(m.status, 200) << module;
    EXPECT_EQ(m.body.find("innerHTML"), std::string::npos) << module;
    EXPECT_EQ(m.body.find("insertAdjacentHTML"), std::string::npos) << module;
    EXPECT_EQ(m.body.find("document.write"), std::string::npos) << module;
  }
}

}  // namespace
}  // namespace hc::client
