// Issue 13, node slice, end to end on real hc-node processes: `hc cluster up --access-mode
// trustees` with 4 hospitals, whose nodes are the 4 trustees (t = 3). Each node deals once;
// one node is killed during the DKG; the key still forms; every node reports the same key id;
// GET /v1/access-key verifies (every item against the genesis, the key recomputed with
// finalize_dkg from the committed deals and complaints alone); the killed node comes back and
// derives its share from the chain. An access request posted through the manager's
// transaction route with a trustee offline is seen by every running trustee and served by
// GET /v1/access-requests/{id} in self-proving form.
//
// The DKG's windows are counted in blocks (W = 16: finalized in block 33) and the test posts
// nothing but the deals the trustees make themselves: the chain moves on through the engine's
// idle blocks (consensus::Application::wants_block), so a quiet chain forms its key (before
// idle blocks it never did). No record is on this chain, so the trustees skip the request:
// tests/e2e/trustee_access_test.cpp reads records end to end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "chain/genesis.h"
#include "chain/opener_key_state.h"
#include "chain/trustee_signing.h"
#include "chain/trustee_state.h"
#include "client/item_verification.h"
#include "crypto/ed25519.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "e2e/local_cluster.h"
#include "e2e/openapi_checker.h"
#include "node/ledger_bridge.h"
#include "support/temp_dir.h"

namespace hc::e2e {
namespace {

using nlohmann::json;
namespace th = crypto::threshold;

constexpr const char* kTrusteeE2ePassphrase = "e2e-test-passphrase-not-secret";  // local_cluster.cpp's

class TrusteesEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = LocalCluster::up(dir_.path() / "c", 4, false, "--access-mode trustees");
    ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
    cluster_ = std::move(cluster).value();
    auto genesis = chain::load_genesis_file(cluster_->genesis_file().string());
    ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
    genesis_ = std::move(genesis).value();
    ASSERT_EQ(genesis_.access_mode, chain::AccessMode::kTrustees);
    ASSERT_EQ(genesis_.trustee_keys.size(), 4u);
    ASSERT_EQ(genesis_.trustee_threshold, 3);
    // Version 6: the chain takes only DKG deals in the proven form, so the key forming below
    // shows that the nodes' trustee workers deal it (docs/ledger.md, kinds 29 / 30).
    ASSERT_TRUE(genesis_.proven_dkg_deals);
    ASSERT_EQ(genesis_.encoding_version(), chain::kGenesisVersionProvenDkg);
    auto certificates = node::PbftCertificateVerifier::create(genesis_);
    ASSERT_TRUE(certificates.ok());
    certificates_ = std::move(certificates).value();
    auto doc = OpenApiDocument::load(std::string(HC_SOURCE_DIR) + "/docs/openapi.json");
    ASSERT_TRUE(doc.ok()) << doc.status().to_string();
    doc_ = std::move(doc).value();
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::cerr << cluster_->log_tails(25);
    cluster_.reset();
  }

  std::string url(std::uint32_t node) const { return cluster_->nodes()[node].api_url; }

  // GET `path` from `node`; the answer must conform to docs/openapi.json under `tmpl`.
  json get(std::uint32_t node, const std::string& tmpl, const std::string& path, int status,
           const std::string& token = {}) {
    auto r = http(url(node), "GET", path, {}, token);
    EXPECT_TRUE(r.ok()) << path << ": " << r.status().to_string();
    if (!r.ok()) return json();
    EXPECT_EQ(r->status, status) << path << ": " << r->body.substr(0, 300);
    Status conforms = doc_.check_response(tmpl, "GET", r->status, r->content_type, r->headers, r->body);
    EXPECT_TRUE(conforms.ok()) << path << ": " << conforms.message() << "\n" << r->body.substr(0, 300);
    return json::parse(r->body, nullptr, false);
  }

  json trustee_status(std::uint32_t node) { return get(node, "/v1/trustee", "/v1/trustee", 200, cluster_->reader_token()); }

  // Signs with the genesis admin key and posts through POST /v1/manager/transactions.
  std::string post_manager_tx(std::uint32_t node, chain::Transaction tx) {
    auto key = crypto::Ed25519PrivateKey::load(cluster_->manager_dir() / "admin.key.pem",
                                               SecureBytes(std::string_view(kTrusteeE2ePassphrase)));
    EXPECT_TRUE(key.ok()) << key.status().to_string();
    if (!key.ok()) return {};
    auto message = chain::manager_signing_message(tx);
    EXPECT_TRUE(message.ok());
    const crypto::Ed25519Signature signature = key->sign(*message);
    std::visit([&](auto& t) {
      if constexpr (requires { t.signature; }) t.signature = signature;
    }, tx);
    const Bytes encoding = chain::encode_transaction(tx);
    auto r = http(url(node), "POST", "/v1/manager/transactions", json{{"transaction", to_base64(encoding)}}.dump());
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return {};
    EXPECT_EQ(r->status, 202) << r->body;
    return chain::digest_hex(chain::transaction_id(encoding));
  }

  void wait_committed(std::uint32_t node, const std::string& tx_id) {
    auto done = cluster_->anonymous(node).wait_committed(tx_id, 20000);
    ASSERT_TRUE(done.ok()) << done.status().to_string();
  }

  static std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  }

  // Polls `ok` every 200 ms for at most `timeout_ms`.
  static bool eventually(const std::function<bool()>& ok, int timeout_ms) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
      if (ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return ok();
  }

  // The access key answer checked as a client must: every item against the genesis, the key
  // recomputed from the committed deals and complaints with finalize_dkg.
  th::DkgOutcome verify_access_key(const json& answer) {
    const th::DkgParams params = chain::dkg_params_for(genesis_, chain::genesis_hash(genesis_), 0);
    std::vector<std::optional<th::DkgDeal>> deals(params.trustees());
    for (const json& d : answer.at("deals")) {
      auto item = client::verify_item(d.at("item"), *certificates_);
      EXPECT_TRUE(item.ok()) << item.status().to_string();
      if (!item.ok()) continue;
      const auto& deal_tx = std::get<chain::DkgDealTx>(item->tx);
      EXPECT_TRUE(chain::verify_trustee_tx(item->tx, genesis_).ok());
      auto deal = th::decode_deal(params, deal_tx.deal);
      EXPECT_TRUE(deal.ok());
      if (deal.ok()) deals[deal_tx.dealer - 1] = std::move(deal).value();
    }
    std::vector<th::DkgComplaint> complaints;
    for (const json& c : answer.at("complaints")) {
      auto item = client::verify_item(c.at("item"), *certificates_);
      EXPECT_TRUE(item.ok()) << item.status().to_string();
      if (!item.ok()) continue;
      auto complaint = th::decode_complaint(params, std::get<chain::DkgComplaintTx>(item->tx).complaint);
      if (complaint.ok()) complaints.push_back(std::move(complaint).value());
    }
    auto outcome = th::finalize_dkg(params, deals, complaints);
    EXPECT_TRUE(outcome.ok()) << outcome.status().to_string();
    if (!outcome.ok()) return {};
    verify_opener_key(answer, *outcome);
    EXPECT_EQ(to_hex(outcome->key.key_id), answer.at("key_id").get<std::string>());
    EXPECT_EQ(to_hex(outcome->key.group_key.encode()), answer.at("access_key").get<std::string>());
    EXPECT_EQ(answer.at("threshold").get<int>(), 3);
    const json& shares = answer.at("public_shares");
    EXPECT_EQ(shares.size(), 4u);
    for (std::size_t j = 0; j < shares.size() && j < outcome->key.public_shares.size(); ++j) {
      EXPECT_EQ(shares[j].get<std::string>(), to_hex(outcome->key.public_shares[j].encode()));
    }
    return std::move(outcome).value();
  }

  // Issue 13 item 4: every real trustee's deal carries an opener deal (wire kind 13), and the
  // group signature's opener key forms from the committed deals, over the qualified dealers of
  // the access key, with u of the genesis group key.
  void verify_opener_key(const json& answer, const th::DkgOutcome& access) {
    auto params = chain::opener_dkg_params_for(genesis_, chain::genesis_hash(genesis_), 0);
    ASSERT_TRUE(params.ok()) << params.status().to_string();
    std::vector<std::optional<th::OpenerDeal>> deals(params->trustees.trustees());
    for (const json& d : answer.at("deals")) {
      auto item = client::verify_item(d.at("item"), *certificates_);
      if (!item.ok()) continue;
      const auto& deal_tx = std::get<chain::DkgDealTx>(item->tx);
      EXPECT_FALSE(deal_tx.opener_deal.empty()) << "trustee " << deal_tx.dealer << " dealt no opener deal";
      auto deal = th::decode_opener_deal(*params, deal_tx.opener_deal);
      EXPECT_TRUE(deal.ok()) << deal.status().to_string();
      const bool qualified = std::count(access.qualified.begin(), access.qualified.end(), deal_tx.dealer) > 0;
      if (deal.ok() && qualified) deals[deal_tx.dealer - 1] = std::move(deal).value();
    }
    auto opener = th::finalize_opener_dkg(*params, deals, {});
    ASSERT_TRUE(opener.ok()) << opener.status().to_string();
    EXPECT_EQ(opener->qualified, access.qualified);
    EXPECT_TRUE(th::check_opener_key_public(opener->key).ok());
  }

  test::TempDir dir_;
  std::unique_ptr<LocalCluster> cluster_;
  chain::Genesis genesis_;
  std::unique_ptr<node::PbftCertificateVerifier> certificates_;
  OpenApiDocument doc_;
};

TEST_F(TrusteesEndToEnd, DkgFormsTheKeyWithANodeDownAndRequestsReachEveryRunningTrustee) {
  const std::string reader = cluster_->reader_token();
  // Every node is trustee j = its position + 1 and deals once, off the consensus thread.
  for (std::uint32_t n = 0; n < 4; ++n) {
    ASSERT_TRUE(eventually([&] { return trustee_status(n).value("deals_posted", 0) >= 1; }, 10000))
        << cluster_->nodes()[n].name << " never dealt";
    json status = trustee_status(n);
    EXPECT_EQ(status.at("trustee_index").get<int>(), static_cast<int>(n) + 1);
  }
  get(0, "/v1/trustee", "/v1/trustee", 401);

  // A trustee dies during the DKG; idle blocks from the other three carry the chain past the
  // windows with no transaction from anyone (about 2W idle intervals of 500 ms).
  ASSERT_TRUE(cluster_->stop_node("northgate").ok());
  std::string key_id;
  for (std::uint32_t n = 0; n < 3; ++n) {
    ASSERT_TRUE(eventually([&] { return trustee_status(n).value("share_ready", false); }, 60000))
        << cluster_->nodes()[n].name << ": " << trustee_status(n).dump();
    json status = trustee_status(n);
    EXPECT_EQ(status.at("phase").get<std::string>(), "finished");
    if (key_id.empty()) key_id = status.at("key_id").get<std::string>();
    EXPECT_EQ(status.at("key_id").get<std::string>(), key_id) << "trustees disagree on the key";
    EXPECT_EQ(status.at("deals_posted").get<int>(), 1) << "a trustee dealt twice";
  }

  // The self-proving access key, from any node, without a token.
  json answer = get(1, "/v1/access-key", "/v1/access-key", 200);
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer.at("key_id").get<std::string>(), key_id);
  EXPECT_GE(answer.at("deals").size(), 3u);
  const th::DkgOutcome outcome = verify_access_key(answer);
  EXPECT_GE(outcome.qualified.size(), 3u);
  // Another node's answer for epoch 0: the same key (its items carry that node's own commit
  // certificates, so the bodies differ), and it verifies as well.
  json by_epoch = get(2, "/v1/access-key/{epoch}", "/v1/access-key/0", 200);
  ASSERT_TRUE(by_epoch.is_object());
  EXPECT_EQ(by_epoch.at("key_id"), answer.at("key_id"));
  EXPECT_EQ(by_epoch.at("public_shares"), answer.at("public_shares"));
  verify_access_key(by_epoch);
  get(2, "/v1/access-key/{epoch}", "/v1/access-key/1", 404);
  get(2, "/v1/access-key/{epoch}", "/v1/access-key/x1", 400);

  // The killed trustee returns, catches up and derives its share from the chain.
  ASSERT_TRUE(cluster_->start_node("northgate").ok());
  ASSERT_TRUE(eventually([&] { return trustee_status(3).value("share_ready", false); }, 20000))
      << trustee_status(3).dump();
  EXPECT_EQ(trustee_status(3).at("key_id").get<std::string>(), key_id);

  // A trustee offline; an access request through the manager's transaction route.
  ASSERT_TRUE(cluster_->stop_node("riverside").ok());
  chain::AccessRequestTx request;
  request.chain_id = chain::genesis_hash(genesis_);
  request.key_epoch = 0;
  request.serial.fill(0x77);
  request.timestamp_ms = now_ms();
  request.purpose = "e2e: treatment of the patient";
  request.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::random_nonzero()).encode();
  const std::string request_id = post_manager_tx(0, request);
  ASSERT_FALSE(request_id.empty());
  wait_committed(0, request_id);
  for (std::uint32_t n : {0u, 1u, 3u}) {
    ASSERT_TRUE(eventually([&] { return trustee_status(n).value("requests_skipped", 0) >= 1; }, 15000))
        << cluster_->nodes()[n].name << ": " << trustee_status(n).dump();
    EXPECT_EQ(trustee_status(n).at("requests_answered").get<int>(), 0);  // no version-2 record to answer for
  }
  json served = get(1, "/v1/access-requests/{request_id}", "/v1/access-requests/" + request_id, 200, reader);
  ASSERT_TRUE(served.is_object());
  auto item = client::verify_item(served.at("request"), *certificates_);
  ASSERT_TRUE(item.ok()) << item.status().to_string();
  EXPECT_EQ(chain::digest_hex(item->tx_id), request_id);
  EXPECT_EQ(std::get<chain::AccessRequestTx>(item->tx).purpose, request.purpose);
  EXPECT_TRUE(served.at("answers").empty());
  get(1, "/v1/access-requests/{request_id}", "/v1/access-requests/" + std::string(64, '0'), 404, reader);
  get(1, "/v1/access-requests/{request_id}", "/v1/access-requests/" + request_id, 401);
  get(1, "/v1/access-requests/{request_id}", "/v1/access-requests/nothex", 400, reader);
}

}  // namespace
}  // namespace hc::e2e
