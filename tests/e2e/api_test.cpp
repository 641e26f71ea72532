// The node API under bad input, on a real 4-hospital consortium: malformed JSON, bad
// encodings, an oversized body, missing, unknown or wrong-role tokens, wrong methods, unknown
// routes and a manager transaction with a bad signature each get the documented 4xx with a
// JSON error, and change nothing (mempool and height unchanged on every node, the refused
// transaction unknown). A valid record afterwards is accepted and commits, so the refusals
// are not a broken node's.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "chain/transaction.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/hash.h"
#include "crypto/sealed_record.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "net/http_client.h"

namespace hc::e2e {
namespace {

using nlohmann::json;


// One cluster for every check (bringing one up costs seconds), each check followed by the
// proof that it changed nothing.
class ApiBadInput : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    if (HasFatalFailure()) return;
    before_ = snapshot();
    ASSERT_EQ(before_.size(), 4u);
    auto patient = cluster_->patient("Api Patient", "API-1");
    ASSERT_TRUE(patient.ok());
    patient_ = *patient;
    auto sealed = cluster_->seal(patient_, "api visit");
    ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
    record_ = crypto::sealed_record_to_json(*sealed);
  }

  struct NodeView {
    std::uint64_t height = 0;
    std::uint64_t mempool = 0;
  };
  std::vector<NodeView> snapshot() const {
    std::vector<NodeView> out;
    for (const ClusterNode& n : cluster_->nodes()) {
      auto st = node_status(n.api_url);
      EXPECT_TRUE(st.ok()) << st.status().to_string();
      if (st.ok()) out.push_back({st->at("height").get<std::uint64_t>(), st->at("mempool_txs").get<std::uint64_t>()});
    }
    return out;
  }
  // After refusals: nothing entered any mempool and no block was added on any node.
  void expect_nothing_changed() const {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::vector<NodeView> now = snapshot();
    ASSERT_EQ(now.size(), before_.size());
    for (std::size_t i = 0; i < now.size(); ++i) {
      EXPECT_EQ(now[i].height, before_[i].height) << cluster_->nodes()[i].name;
      EXPECT_EQ(now[i].mempool, 0u) << cluster_->nodes()[i].name;
    }
  }

  std::string url(std::uint32_t node = 1) const { return cluster_->nodes()[node].api_url; }
  std::string doctor_token(std::uint32_t node = 1) const { return cluster_->nodes()[node].doctor_token; }

  void malformed_json() const;
  void bad_encodings() const;
  void oversized_body() const;
  void bad_tokens() const;
  void wrong_methods_and_routes() const;
  void forged_manager_transactions() const;
  void unknown_fields_named() const;
  void rate_limit_says_when() const;
  void documented_answers() const;

  std::vector<NodeView> before_;
  Patient patient_;
  std::string record_;  // a valid sealed record's JSON
};

// Expects the status and the documented error shape with the given code.
void expect_error(const Result<net::HttpResponse>& r, int status, const std::string& code) {
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, status) << r->body;
  json doc = json::parse(r->body, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r->body;
  ASSERT_TRUE(doc.contains("error") && doc["error"].is_object()) << r->body;
  EXPECT_EQ(doc["error"].value("code", std::string()), code) << r->body;
  EXPECT_FALSE(doc["error"].value("message", std::string()).empty()) << r->body;
}

void ApiBadInput::malformed_json() const {
  expect_error(http(url(), "POST", "/v1/records", "{\"version\": 1, \"serial\": ", doctor_token()), 400, "invalid_input");
  expect_error(http(url(), "POST", "/v1/records", "[]", doctor_token()), 400, "invalid_input");
  expect_error(http(url(), "POST", "/v1/records", "", doctor_token()), 400, "invalid_input");
  expect_error(http(url(), "POST", "/v1/manager/transactions", "not json at all"), 400, "invalid_input");
  expect_error(http(url(), "POST", "/v1/manager/transactions", "{\"transaction\": 7}"), 400, "invalid_input");
}

void ApiBadInput::bad_encodings() const {
  json record = json::parse(record_);
  json bad_base64 = record;
  bad_base64["ciphertext"] = "!!not*base64!!";
  expect_error(http(url(), "POST", "/v1/records", bad_base64.dump(), doctor_token()), 400, "invalid_input");
  json bad_hex = record;
  bad_hex["serial"] = "zz" + record["serial"].get<std::string>().substr(2);
  expect_error(http(url(), "POST", "/v1/records", bad_hex.dump(), doctor_token()), 400, "invalid_input");
  json short_nonce = record;
  short_nonce["nonce"] = to_base64(Bytes(5, 1));
  expect_error(http(url(), "POST", "/v1/records", short_nonce.dump(), doctor_token()), 400, "invalid_input");
  json extra = record;
  extra["hospital"] = "st-mary";
  expect_error(http(url(), "POST", "/v1/records", extra.dump(), doctor_token()), 400, "invalid_input");
  expect_error(http(url(), "POST", "/v1/manager/transactions", json{{"transaction", "%%%"}}.dump()), 400,
               "invalid_input");
  expect_error(http(url(), "POST", "/v1/manager/transactions", json{{"transaction", to_base64(Bytes(40, 7))}}.dump()),
               400, "invalid_input");
  expect_error(http(url(), "GET", "/v1/tx/not-hex"), 400, "invalid_input");
  expect_error(http(url(), "GET", "/v1/blocks/one"), 400, "invalid_input");
  expect_error(http(url(), "GET", "/v1/records/xyz", "", cluster_->reader_token()), 400, "invalid_input");
}

// Sends a request whose body is over the limit over a raw socket (the server may answer and
// close before the whole body is written) and returns the status line and body.
Result<net::HttpResponse> post_oversized(const std::string& api_url, const std::string& token, std::size_t bytes) {
  HC_ASSIGN_OR_RETURN(net::HttpUrl u, net::parse_http_url(api_url));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::error(ErrorCode::kIo, "socket");
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(u.port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return Status::error(ErrorCode::kUnavailable, "connect");
  }
  std::string head = "POST /v1/records HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(bytes) + "\r\n\r\n";
  std::string body(bytes, 'a');
  std::string all = head + body;
  for (std::size_t sent = 0; sent < all.size();) {
    ssize_t n = ::send(fd, all.data() + sent, all.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server refused early and closed: read its answer
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buf[4096];
  for (int i = 0; i < 1000; ++i) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
    if (reply.find("\r\n\r\n") != std::string::npos && reply.back() == '}') break;
  }
  ::close(fd);
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return Status::error(ErrorCode::kUnavailable, "no HTTP answer: " + reply);
  net::HttpResponse r;
  r.status = std::stoi(reply.substr(9, 3));
  auto split = reply.find("\r\n\r\n");
  r.body = split == std::string::npos ? "" : reply.substr(split + 4);
  return r;
}

void ApiBadInput::oversized_body() const {
  auto config = read_text_file(cluster_->nodes()[1].node_dir / "node.json", 1 << 20);
  ASSERT_TRUE(config.ok());
  std::size_t limit = json::parse(*config).at("limits").at("max_request_body_bytes").get<std::size_t>();
  expect_error(post_oversized(url(), doctor_token(), limit + 1), 413, "too_large");
}

void ApiBadInput::bad_tokens() const {
  expect_error(http(url(), "POST", "/v1/records", record_), 401, "unauthorized");
  expect_error(http(url(), "POST", "/v1/records", record_, std::string(64, 'a')), 401, "unauthorized");
  expect_error(http(url(), "POST", "/v1/records", record_, "not a token"), 401, "unauthorized");
  // Each hospital's node accepts its own doctors only (another's token is nobody's here: 401);
  // the reader may not submit (a valid token of another role: 403, issue 15 item 3).
  expect_error(http(url(1), "POST", "/v1/records", record_, doctor_token(0)), 401, "unauthorized");
  expect_error(http(url(), "POST", "/v1/records", record_, cluster_->reader_token()), 403, "forbidden");
  // Retrieval by serial is for readers only.
  const std::string path = "/v1/records/" + to_hex(patient_.serial);
  expect_error(http(url(), "GET", path, "", doctor_token()), 403, "forbidden");
  expect_error(http(url(), "GET", path), 401, "unauthorized");
  expect_error(http(url(), "GET", path, "", std::string(64, 'b')), 401, "unauthorized");
}

void ApiBadInput::wrong_methods_and_routes() const {
  expect_error(http(url(), "GET", "/v1/records", "", doctor_token()), 405, "method_not_allowed");
  expect_error(http(url(), "DELETE", "/v1/records", "", doctor_token()), 405, "method_not_allowed");
  expect_error(http(url(), "PUT", "/v1/manager/transactions", "{}"), 405, "method_not_allowed");
  expect_error(http(url(), "POST", "/v1/status", "{}"), 405, "method_not_allowed");
  expect_error(http(url(), "POST", "/v1/blocks/1", "{}"), 405, "method_not_allowed");
  expect_error(http(url(), "DELETE", "/v1/tx/" + std::string(64, '0')), 405, "method_not_allowed");
  expect_error(http(url(), "GET", "/v1/nothing-here"), 404, "not_found");
  expect_error(http(url(), "GET", "/v2/status"), 404, "not_found");
  expect_error(http(url(), "POST", "/v1/record", record_, doctor_token()), 404, "not_found");
  expect_error(http(url(), "GET", "/v1/blocks/999999"), 404, "not_found");
}

// Manager transactions must carry the genesis admin key's signature: one signed by another
// key, one with its signature zeroed, and a record transaction posted on the manager route.
void ApiBadInput::forged_manager_transactions() const {
  auto admin_hex = read_text_file(cluster_->dir() / "manager" / "admin.pub", 1024);
  ASSERT_TRUE(admin_hex.ok()) << admin_hex.status().to_string();
  auto admin = from_hex(std::string_view(*admin_hex).substr(0, 64));
  ASSERT_TRUE(admin.ok());
  chain::AccessAuditTx audit;
  std::copy(patient_.serial.begin(), patient_.serial.end(), audit.serial.begin());
  audit.manager_key_id = chain::key_id_of(*admin);
  audit.timestamp_ms = 1764000000000;
  audit.purpose = "e2e: forged access audit";
  chain::Transaction forged{audit};
  std::vector<std::uint8_t> other_seed(32, 0x42);
  ASSERT_TRUE(chain::sign_manager_tx(forged, SecureBytes(other_seed.data(), other_seed.size())).ok());
  chain::Transaction unsigned_tx{audit};  // all-zero signature
  chain::RecordTx record;
  record.sealed.serial = audit.serial;
  record.sealed.ciphertext = Bytes(32, 9);
  record.group_signature = Bytes(64, 3);
  chain::Transaction not_manager{record};

  std::vector<std::string> ids;
  for (const chain::Transaction& tx : {forged, unsigned_tx}) {
    Bytes encoding = chain::encode_transaction(tx);
    ids.push_back(chain::digest_hex(chain::transaction_id(encoding)));
    expect_error(http(url(), "POST", "/v1/manager/transactions", json{{"transaction", to_base64(encoding)}}.dump()),
                 401, "unauthorized");
  }
  Bytes encoding = chain::encode_transaction(not_manager);
  ids.push_back(chain::digest_hex(chain::transaction_id(encoding)));
  expect_error(http(url(), "POST", "/v1/manager/transactions", json{{"transaction", to_base64(encoding)}}.dump()),
               400, "invalid_input");
  for (const std::string& id : ids) {
    for (std::uint32_t n = 0; n < 4; ++n) {
      auto s = cluster_->anonymous(n).tx_status(id);
      ASSERT_TRUE(s.ok()) << s.status().to_string();
      EXPECT_EQ(s->status, "unknown") << cluster_->nodes()[n].name;
    }
  }
}

// Regression: unknown fields in a manager body were ignored. Both request bodies refuse
// them, naming the field.
void ApiBadInput::unknown_fields_named() const {
  json record = json::parse(record_);
  record["hospital"] = "st-mary";
  auto r = http(url(), "POST", "/v1/records", record.dump(), doctor_token());
  expect_error(r, 400, "invalid_input");
  EXPECT_NE(r->body.find("hospital"), std::string::npos) << r->body;
  json manager = {{"transaction", to_base64(Bytes(40, 7))}, {"signed_by", "admin"}};
  auto m = http(url(), "POST", "/v1/manager/transactions", manager.dump());
  expect_error(m, 400, "invalid_input");
  EXPECT_NE(m->body.find("unknown field \\\"signed_by\\\""), std::string::npos) << m->body;
}

// Regression: a 429 carried no Retry-After. One doctor token goes over its rate (the
// cluster's 600 requests a minute); the 429 says how many seconds to wait.
void ApiBadInput::rate_limit_says_when() const {
  const std::uint32_t node = 3;
  Result<net::HttpResponse> last = Status::error(ErrorCode::kInternal, "no request sent");
  for (int i = 0; i < 2000; ++i) {
    last = http(url(node), "POST", "/v1/records", "[]", doctor_token(node));
    ASSERT_TRUE(last.ok()) << last.status().to_string();
    if (last->status == 429) break;
    ASSERT_EQ(last->status, 400) << last->body;
  }
  expect_error(last, 429, "rate_limited");
  ASSERT_EQ(last->headers.count("retry-after"), 1u) << "a 429 without Retry-After";
  int seconds = std::stoi(last->headers.at("retry-after"));
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, 60);
}

// What docs/api.md promises beyond errors: status names the software and the chain, the
// envelope key names the block that published it, an unknown transaction or serial is a
// 200 answer that says so (not an error: it may yet arrive by gossip).
void ApiBadInput::documented_answers() const {
  auto version = cluster_->hc_output("--version");
  ASSERT_TRUE(version.ok()) << version.status().to_string();
  std::string chain_id, genesis_hash;
  for (const ClusterNode& n : cluster_->nodes()) {
    auto st = node_status(n.api_url);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    EXPECT_EQ("hc " + st->value("version", std::string()) + "\n", *version) << n.name;
    EXPECT_FALSE(st->value("chain_id", std::string()).empty()) << st->dump();
    EXPECT_EQ(st->value("genesis_hash", std::string()).size(), 64u) << st->dump();
    if (chain_id.empty()) chain_id = st->value("chain_id", std::string()), genesis_hash = st->value("genesis_hash", std::string());
    EXPECT_EQ(st->value("chain_id", std::string()), chain_id) << n.name;
    EXPECT_EQ(st->value("genesis_hash", std::string()), genesis_hash) << n.name;
  }

  auto key = http(url(), "GET", "/v1/envelope-key");
  ASSERT_TRUE(key.ok() && key->status == 200) << (key.ok() ? key->body : key.status().to_string());
  json key_doc = json::parse(key->body);
  ASSERT_TRUE(key_doc.contains("height") && key_doc["height"].is_number_unsigned()) << key->body;
  const std::uint64_t height = key_doc["height"].get<std::uint64_t>();
  auto block = http(url(), "GET", "/v1/blocks/" + std::to_string(height));
  ASSERT_TRUE(block.ok() && block->status == 200) << height;
  bool published_there = false;
  const json block_doc = json::parse(block->body);
  for (const json& tx : block_doc.at("transactions")) {
    if (tx.value("kind", std::string()) != "publish_envelope_key") continue;
    auto spki = from_base64(tx.at("spki_der").get<std::string>());
    ASSERT_TRUE(spki.ok());
    if (to_hex(crypto::sha256(*spki)) == key_doc.at("key_id").get<std::string>()) published_there = true;
  }
  EXPECT_TRUE(published_there) << "block " << height << " does not publish key " << key_doc.at("key_id");

  auto tx = http(url(), "GET", "/v1/tx/" + std::string(64, 'e'));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->status, 200) << tx->body;
  EXPECT_EQ(json::parse(tx->body).value("status", std::string()), "unknown") << tx->body;
  auto serial = http(url(), "GET", "/v1/records/" + std::string(64, 'e'), "", cluster_->reader_token());
  ASSERT_TRUE(serial.ok());
  EXPECT_EQ(serial->status, 200) << serial->body;
  EXPECT_TRUE(json::parse(serial->body).at("items").empty()) << serial->body;
}

TEST_F(ApiBadInput, EachBadRequestGetsItsErrorAndChangesNothing) {
  {
    SCOPED_TRACE("malformed JSON");
    malformed_json();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("bad encodings");
    bad_encodings();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("oversized body");
    oversized_body();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("missing, unknown or wrong-role tokens");
    bad_tokens();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("wrong methods, unknown routes");
    wrong_methods_and_routes();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("forged manager transactions");
    forged_manager_transactions();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("unknown fields");
    unknown_fields_named();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("rate limit");
    rate_limit_says_when();
    expect_nothing_changed();
  }
  {
    SCOPED_TRACE("documented answers");
    documented_answers();
  }
  // The same node takes the same valid record from its own doctor, and it commits.
  auto sealed = crypto::sealed_record_from_json(record_);
  ASSERT_TRUE(sealed.ok());
  auto id = cluster_->doctor(1).submit_record(*sealed);
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  EXPECT_EQ(id->record_id.size(), 64u) << "the answer names the record";
  auto committed = cluster_->anonymous(1).wait_committed(id->tx_id, kSanitized ? 60000 : 20000);
  ASSERT_TRUE(committed.ok()) << committed.status().to_string();
  EXPECT_GT(committed->height, before_[1].height);
  // Followed by its record id, every node answers with the same committed transaction.
  for (std::uint32_t i = 0; i < cluster_->nodes().size(); ++i) {
    auto by_record = cluster_->anonymous(i).tx_status(id->record_id);
    ASSERT_TRUE(by_record.ok()) << by_record.status().to_string();
    EXPECT_EQ(by_record->status, "committed") << i;
    EXPECT_EQ(by_record->tx_id, id->tx_id) << i;
    EXPECT_EQ(by_record->height, committed->height) << i;
  }
}

}  // namespace
}  // namespace hc::e2e
