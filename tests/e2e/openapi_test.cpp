// Issue 15, item 8: docs/openapi.json is checked against a real node. A 4-hospital cluster is
// started and every route is called with good and bad requests; each answer's status must be
// declared for its operation and its body must validate against the declared schema (429s
// must carry the declared Retry-After). The routes the node serves (kServedRoutes, the one
// list) and the document's operations are compared both ways, every served route must answer
// with something other than "no route", and the checker itself must refuse responses the
// document forbids.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "chain/genesis.h"
#include "chain/transaction_governance.h"
#include "crypto/sealed_record.h"
#include "common/file_io.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "e2e/openapi_checker.h"

namespace hc::e2e {
namespace {

using nlohmann::json;

// Every (path template, method) hc-node serves (src/node/node_api.cpp, route()).
const std::set<std::pair<std::string, std::string>> kServedRoutes = {
    {"/v1/records", "POST"},          {"/v1/manager/transactions", "POST"}, {"/v1/tx/{tx_id}", "GET"},
    {"/v1/blocks/{height}", "GET"},   {"/v1/records/{serial}", "GET"},      {"/v1/envelope-key", "GET"},
    {"/v1/health", "GET"},            {"/v1/status", "GET"},                {"/metrics", "GET"},
    {"/v1/accounts", "GET"},          {"/v1/accounts", "POST"},             {"/v1/accounts/{name}", "DELETE"},
    {"/v1/accounts/{name}/rotate", "POST"}, {"/v1/whoami", "GET"},
    // Trustees mode (issue 13): on this single-manager cluster they answer 404; their 200s are
    // checked against the document by tests/e2e/trustee_test.cpp (the reader policy's by
    // trustee_access_test.cpp) on a trustees-mode cluster.
    {"/v1/trustee", "GET"},           {"/v1/access-key", "GET"},            {"/v1/access-key/{epoch}", "GET"},
    {"/v1/access-requests/{request_id}", "GET"}, {"/v1/reader-policy", "GET"},
    // Consortium governance (issue 16).
    {"/v1/consortium", "GET"},        {"/v1/consortium/proposals/{id}", "GET"},
    {"/v1/consortium/changes", "GET"},
};

// The routes whose 2xx this suite's single-manager cluster cannot produce.
const std::set<std::string> kTrusteesModeRoutes = {"/v1/trustee", "/v1/access-key", "/v1/access-key/{epoch}",
                                                   "/v1/access-requests/{request_id}", "/v1/reader-policy"};

OpenApiDocument load_document() {
  auto doc = OpenApiDocument::load(std::string(HC_SOURCE_DIR) + "/docs/openapi.json");
  EXPECT_TRUE(doc.ok()) << doc.status().to_string();
  return doc.ok() ? std::move(doc).value() : OpenApiDocument{};
}

TEST(OpenApiDocumentTest, DeclaresExactlyTheServedRoutes) {
  OpenApiDocument doc = load_document();
  auto declared = doc.operations();
  for (const auto& op : kServedRoutes) EXPECT_TRUE(declared.count(op)) << op.second << " " << op.first << " undocumented";
  for (const auto& op : declared) EXPECT_TRUE(kServedRoutes.count(op)) << op.second << " " << op.first << " not served";
}

const std::string kErrorBody = R"({"error": {"code": "not_found", "message": "no block at that height"}})";

TEST(OpenApiDocumentTest, CheckerRefusesWhatTheDocumentForbids) {
  OpenApiDocument doc = load_document();
  const std::map<std::string, std::string> none;
  // A conforming answer passes, so the refusals below are the checker's, not a broken setup's.
  EXPECT_TRUE(doc.check_response("/v1/blocks/{height}", "GET", 404, "application/json", none, kErrorBody).ok());
  // Undeclared status, undeclared operation, undeclared media type.
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 418, "application/json", none, kErrorBody).ok());
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "DELETE", 404, "application/json", none, kErrorBody).ok());
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 404, "text/html", none, kErrorBody).ok());
  // Error bodies: an unknown code, a missing message, an extra field, the wrong type.
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 404, "application/json", none,
                                  R"({"error": {"code": "gone", "message": "x"}})").ok());
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 404, "application/json", none,
                                  R"({"error": {"code": "not_found"}})").ok());
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 404, "application/json", none,
                                  R"({"error": {"code": "not_found", "message": "x"}, "hint": 1})").ok());
  EXPECT_FALSE(doc.check_response("/v1/blocks/{height}", "GET", 404, "application/json", none,
                                  R"({"error": "not_found"})").ok());
  // A status answer with a peer id of the wrong type, and one missing a field.
  json status = {{"version", "1"}, {"chain_id", "c"}, {"genesis_hash", std::string(64, 'a')}, {"node_id", 0},
                 {"name", "n"}, {"healthy", true}, {"height", 1}, {"view", 0}, {"primary", 0},
                 {"configuration", 0}, {"member", true}, {"in_view_change", false}, {"catching_up", false}, {"epoch", 0}, {"member_epoch", 0},
                 {"revoked", false},
                 {"mempool_txs", 0}, {"app_hash", std::string(64, 'b')},
                 {"peers", json::array({{{"id", 1}, {"connected", true}}})}};
  EXPECT_TRUE(doc.check_response("/v1/status", "GET", 200, "application/json", none, status.dump()).ok());
  json bad_peer = status;
  bad_peer["peers"][0]["id"] = "one";
  EXPECT_FALSE(doc.check_response("/v1/status", "GET", 200, "application/json", none, bad_peer.dump()).ok());
  json missing = status;
  missing.erase("genesis_hash");
  EXPECT_FALSE(doc.check_response("/v1/status", "GET", 200, "application/json", none, missing.dump()).ok());
  json bad_hash = status;
  bad_hash["app_hash"] = "XYZ";
  EXPECT_FALSE(doc.check_response("/v1/status", "GET", 200, "application/json", none, bad_hash.dump()).ok());
  // A 429 without its Retry-After.
  const std::string limited = R"({"error": {"code": "rate_limited", "message": "slow down"}})";
  EXPECT_FALSE(doc.check_response("/v1/status", "GET", 429, "application/json", none, limited).ok());
  EXPECT_TRUE(doc.check_response("/v1/status", "GET", 429, "application/json", {{"retry-after", "1"}}, limited).ok());
  // A schema keyword outside the checker's subset is an error, not ignored.
  EXPECT_FALSE(validate_json_schema(json{{"minimum", 3}}, json(1), json::object()).ok());
}

class OpenApiAgainstNode : public ClusterTest {
 protected:
  // Calls the node and checks the answer against the document; returns it (or nothing).
  std::optional<net::HttpResponse> call(const std::string& tmpl, const std::string& method, const std::string& path,
                                        int expected_status, const std::string& body = {},
                                        const std::string& token = {}, std::uint32_t node = 1,
                                        const std::string& sent_method = {}) {
    auto r = http(cluster_->nodes()[node].api_url, sent_method.empty() ? method : sent_method, path, body, token);
    EXPECT_TRUE(r.ok()) << method << " " << path << ": " << r.status().to_string();
    if (!r.ok()) return std::nullopt;
    EXPECT_EQ(r->status, expected_status) << method << " " << path << ": " << r->body.substr(0, 300);
    Status conforms = doc_.check_response(tmpl, method, r->status, r->content_type, r->headers, r->body);
    EXPECT_TRUE(conforms.ok()) << method << " " << path << ": " << conforms.message() << "\n" << r->body.substr(0, 300);
    if (sent_method.empty()) seen_.insert({tmpl, method, r->status});
    return std::move(r).value();
  }

  OpenApiDocument doc_ = load_document();
  std::set<std::tuple<std::string, std::string, int>> seen_;
};

TEST_F(OpenApiAgainstNode, EveryRouteAnswersAsDocumented) {
  const std::string doctor = cluster_->nodes()[1].doctor_token;
  const std::string reader = cluster_->reader_token();
  auto patient = cluster_->patient("OpenApi Patient", "OA-1");
  ASSERT_TRUE(patient.ok()) << patient.status().to_string();
  auto sealed = cluster_->seal(*patient, "openapi visit");
  ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
  const std::string record = crypto::sealed_record_to_json(*sealed);
  const std::string serial = to_hex(patient->serial);

  call("/v1/status", "GET", "/v1/status", 200);
  call("/v1/health", "GET", "/v1/health", 200);
  call("/metrics", "GET", "/metrics", 200);
  call("/v1/envelope-key", "GET", "/v1/envelope-key", 200);

  // Records: refusals first (nothing enters the mempool), then the good one, then its replay.
  call("/v1/records", "POST", "/v1/records", 401, record);
  call("/v1/records", "POST", "/v1/records", 401, record, "not-a-token");
  call("/v1/records", "POST", "/v1/records", 403, record, reader);
  call("/v1/records", "POST", "/v1/records", 400, "{\"version\": 1, ", doctor);
  call("/v1/records", "POST", "/v1/records", 400, std::string(40, '[') + std::string(40, ']'), doctor);
  json extra = json::parse(record);
  extra["hospital"] = "st-mary";
  call("/v1/records", "POST", "/v1/records", 400, extra.dump(), doctor);
  // A body over the node's limit (2 MiB by default) is refused while it is read.
  call("/v1/records", "POST", "/v1/records", 413, std::string(2 * 1024 * 1024 + 1, ' '), doctor);
  auto accepted = call("/v1/records", "POST", "/v1/records", 202, record, doctor);
  ASSERT_TRUE(accepted.has_value());
  const std::string tx_id = json::parse(accepted->body).at("tx_id").get<std::string>();
  call("/v1/records", "POST", "/v1/records", 409, record, doctor);
  call("/v1/tx/{tx_id}", "GET", "/v1/tx/" + tx_id, 200);
  auto committed = cluster_->anonymous(1).wait_committed(tx_id, kSanitized ? 60000 : 20000);
  ASSERT_TRUE(committed.ok()) << committed.status().to_string();
  auto tx = call("/v1/tx/{tx_id}", "GET", "/v1/tx/" + tx_id, 200);
  ASSERT_TRUE(tx.has_value());
  EXPECT_EQ(json::parse(tx->body).value("status", std::string()), "committed") << tx->body;
  call("/v1/tx/{tx_id}", "GET", "/v1/tx/" + std::string(64, '0'), 200);
  call("/v1/tx/{tx_id}", "GET", "/v1/tx/not-hex", 400);

  // Blocks.
  call("/v1/blocks/{height}", "GET", "/v1/blocks/" + std::to_string(committed->height), 200);
  call("/v1/blocks/{height}", "GET", "/v1/blocks/1", 200);
  call("/v1/blocks/{height}", "GET", "/v1/blocks/99999999", 404);
  call("/v1/blocks/{height}", "GET", "/v1/blocks/one", 400);

  // Records by serial.
  auto items = call("/v1/records/{serial}", "GET", "/v1/records/" + serial, 200, "", reader);
  ASSERT_TRUE(items.has_value());
  EXPECT_FALSE(json::parse(items->body).at("items").empty()) << items->body.substr(0, 300);
  call("/v1/records/{serial}", "GET", "/v1/records/" + std::string(64, '1'), 200, "", reader);
  call("/v1/records/{serial}", "GET", "/v1/records/" + serial, 401);
  call("/v1/records/{serial}", "GET", "/v1/records/" + serial, 403, "", doctor);
  call("/v1/records/{serial}", "GET", "/v1/records/xyz", 400, "", reader);

  // Manager transactions: malformed bodies, an unknown field, a transaction that is not one.
  call("/v1/manager/transactions", "POST", "/v1/manager/transactions", 400, "not json");
  call("/v1/manager/transactions", "POST", "/v1/manager/transactions", 400, R"({"transaction": 7})");
  call("/v1/manager/transactions", "POST", "/v1/manager/transactions", 400, R"({"transaction": "AAAA", "x": 1})");
  call("/v1/manager/transactions", "POST", "/v1/manager/transactions", 400, R"({"transaction": "%%%"})");

  // Accounts (the hospital administrator's token of node 1).
  auto admin_token = client::read_token_file(cluster_->nodes()[1].node_dir / "admin.token");
  ASSERT_TRUE(admin_token.ok()) << admin_token.status().to_string();
  const std::string admin = *admin_token;
  const std::string add_ada = R"({"name": "dr.ada", "role": "doctor"})";
  call("/v1/accounts", "POST", "/v1/accounts", 401, add_ada);
  call("/v1/accounts", "POST", "/v1/accounts", 403, add_ada, doctor);
  call("/v1/accounts", "POST", "/v1/accounts", 201, add_ada, admin);
  call("/v1/accounts", "POST", "/v1/accounts", 409, add_ada, admin);
  call("/v1/accounts", "POST", "/v1/accounts", 400, R"({"name": "a b", "role": "doctor"})", admin);
  call("/v1/accounts", "GET", "/v1/accounts", 200, "", admin);
  call("/v1/accounts", "GET", "/v1/accounts", 403, "", reader);
  call("/v1/accounts/{name}/rotate", "POST", "/v1/accounts/dr.ada/rotate", 200, "", admin);
  call("/v1/accounts/{name}/rotate", "POST", "/v1/accounts/nobody/rotate", 404, "", admin);
  call("/v1/accounts/{name}", "DELETE", "/v1/accounts/dr.ada", 200, "", admin);
  call("/v1/accounts/{name}", "DELETE", "/v1/accounts/dr.ada", 404, "", admin);
  call("/v1/accounts/{name}", "DELETE", "/v1/accounts/bad%20name", 400, "", admin);
  call("/v1/accounts/{name}", "DELETE", "/v1/accounts/dr.ada", 401);
  call("/v1/whoami", "GET", "/v1/whoami", 200, "", reader);
  call("/v1/whoami", "GET", "/v1/whoami", 200, "", admin);
  call("/v1/whoami", "GET", "/v1/whoami", 401, "", "nobody's");

  // Trustees-mode routes on a single-manager chain.
  call("/v1/trustee", "GET", "/v1/trustee", 404, "", reader);
  call("/v1/trustee", "GET", "/v1/trustee", 401);
  call("/v1/access-key", "GET", "/v1/access-key", 404);
  call("/v1/access-key/{epoch}", "GET", "/v1/access-key/0", 404);
  call("/v1/access-requests/{request_id}", "GET", "/v1/access-requests/" + std::string(64, '0'), 404, "", reader);
  call("/v1/access-requests/{request_id}", "GET", "/v1/access-requests/" + std::string(64, '0'), 401);
  call("/v1/reader-policy", "GET", "/v1/reader-policy", 404, "", reader);
  call("/v1/reader-policy", "GET", "/v1/reader-policy", 401);

  // Consortium governance: a candidate's join request through the manager route, then the
  // state and its proposal (open), an unknown proposal and a malformed id.
  call("/v1/consortium", "GET", "/v1/consortium", 200);
  {
    auto genesis = chain::load_genesis_file(cluster_->genesis_file());
    ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
    const SecureBytes seed(std::string(32, 'o'));
    const auto key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
    chain::Transaction join =
        chain::JoinRequestTx{chain::genesis_hash(*genesis), key, "openapi-hospital", "127.0.0.1:1", "", 1, {}, ""};
    ASSERT_TRUE(chain::sign_governance_tx(join, seed).ok());
    const Bytes encoded = chain::encode_transaction(join);
    const std::string id = chain::digest_hex(chain::transaction_id(encoded));
    call("/v1/manager/transactions", "POST", "/v1/manager/transactions", 202,
         json{{"transaction", to_base64(encoded)}}.dump());
    bool proposal_committed = false;
    for (int i = 0; i < 100 && !proposal_committed; ++i) {
      auto r = http(cluster_->nodes()[1].api_url, "GET", "/v1/consortium/proposals/" + id);
      proposal_committed = r.ok() && r->status == 200;
      if (!proposal_committed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(proposal_committed) << "the join request was not committed within 10 s";
    auto answer = call("/v1/consortium/proposals/{id}", "GET", "/v1/consortium/proposals/" + id, 200);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(json::parse(answer->body, nullptr, false).value("status", ""), "open");
    call("/v1/consortium", "GET", "/v1/consortium", 200);
  }
  call("/v1/consortium/proposals/{id}", "GET", "/v1/consortium/proposals/" + std::string(64, '0'), 404);
  call("/v1/consortium/proposals/{id}", "GET", "/v1/consortium/proposals/xyz", 400);
  // The membership change proofs (none on this chain: an empty list).
  call("/v1/consortium/changes", "GET", "/v1/consortium/changes", 200);

  // Headers over the server's limit.
  call("/v1/status", "GET", "/v1/status", 431, "", std::string(20 * 1024, 'a'));

  // Wrong methods on every served route, and paths that are no route.
  for (const auto& [tmpl, method] : kServedRoutes) {
    std::string path = tmpl;
    path = path.substr(0, path.find('{'));
    if (path != tmpl) path += "1";
    // A wrong method is answered under the route's one operation (OpenAPI declares no
    // responses for methods a path does not have).
    const std::string wrong = tmpl == "/v1/accounts" ? "PUT" : method == "GET" ? "POST" : "GET";
    call(tmpl, method, path, 405, "", "", 1, wrong);
    // The operation is served: a GET/POST of it never says "no route".
    auto r = http(cluster_->nodes()[1].api_url, method, path, "{}");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body.find("no route"), std::string::npos) << method << " " << path;
  }
  for (const std::string path : {"/v1/nothing", "/", "/v2/status", "/v1/statusx"}) {
    auto r = http(cluster_->nodes()[1].api_url, "GET", path);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 404) << path;
    Status conforms = validate_json_schema(doc_.document()["components"]["schemas"]["Error"],
                                           json::parse(r->body, nullptr, false), doc_.document());
    EXPECT_TRUE(conforms.ok()) << path << ": " << conforms.message();
  }

  // A 429 with its Retry-After: bad records from one doctor until the node refuses to look.
  const std::string doctor3 = cluster_->nodes()[3].doctor_token;
  bool limited = false;
  for (int i = 0; i < 2000 && !limited; ++i) {
    auto r = http(cluster_->nodes()[3].api_url, "POST", "/v1/records", "[]", doctor3);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    limited = r->status == 429;
    if (!limited) {
      ASSERT_EQ(r->status, 400) << r->body;
    }
    Status conforms = doc_.check_response("/v1/records", "POST", r->status, r->content_type, r->headers, r->body);
    EXPECT_TRUE(conforms.ok()) << conforms.message() << "\n" << r->body.substr(0, 300);
  }
  EXPECT_TRUE(limited) << "2000 bad records from one doctor were never rate limited";

  // Every served operation was seen answering successfully at least once.
  for (const auto& [tmpl, method] : kServedRoutes) {
    bool success = false;
    for (const auto& [t, m, status] : seen_) success |= (t == tmpl && m == method && status < 300);
    EXPECT_TRUE(success || tmpl == "/v1/manager/transactions" || kTrusteesModeRoutes.count(tmpl))
        << method << " " << tmpl << " never answered 2xx";
  }

  // A 503 with its Retry-After (last: it takes the consortium's quorum away). Node 2 restarts
  // with room for one pending transaction (limits.mempool_max_txs 1), nodes 0 and 3 stop, so
  // nothing commits: its first record waits in the mempool and the next is refused as
  // unavailable. (The other documented 503, an unhealthy /v1/health, is checked against this
  // document by Operations.*; a 500 needs a local failure that no request can cause, and the
  // node has no hook to fake one.)
  const ClusterNode& full = cluster_->nodes()[2];
  ASSERT_TRUE(cluster_->stop_node(full.name).ok());
  auto text = read_text_file(full.config_file, 1 << 20);
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  json config = json::parse(*text);
  config["limits"]["mempool_max_txs"] = 1;
  std::ofstream(full.config_file, std::ios::trunc) << config.dump(2);
  ASSERT_TRUE(cluster_->start_node(full.name).ok());
  ASSERT_TRUE(cluster_->stop_node(cluster_->nodes()[0].name).ok());
  ASSERT_TRUE(cluster_->stop_node(cluster_->nodes()[3].name).ok());
  bool unavailable = false;
  for (int i = 0; i < 20 && !unavailable; ++i) {
    auto visit = cluster_->seal(*patient, "openapi visit " + std::to_string(i));
    ASSERT_TRUE(visit.ok()) << visit.status().to_string();
    auto r = http(full.api_url, "POST", "/v1/records", crypto::sealed_record_to_json(*visit), full.doctor_token);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    ASSERT_TRUE(r->status == 202 || r->status == 503) << r->status << " " << r->body;
    Status conforms = doc_.check_response("/v1/records", "POST", r->status, r->content_type, r->headers, r->body);
    EXPECT_TRUE(conforms.ok()) << conforms.message() << "\n" << r->body.substr(0, 300);
    unavailable = r->status == 503;
    if (!unavailable) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(unavailable) << "a node with room for one pending record never said 503";
}

}  // namespace
}  // namespace hc::e2e
