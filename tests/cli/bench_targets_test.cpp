// `hc bench` follows the membership changes (issue 16; src/cli/bench_targets.h): on a real
// in-process ledger of 4 genesis hospitals with TLS CAs, a fifth hospital ("hospital-e",
// replica 4, with its own CA) joins at height 2 and replica 3 leaves at height 3 (one boundary,
// 80: configuration 1 is {0, 1, 2, 4}); the chain runs to height 81.
//   - bench_targets_at: below the boundary the genesis members are loaded (the joined node not
//     yet, the leaving one still), past it the joined node is and the departed one is not,
//     although cluster.json does not mark it as left; a cluster with no member in force is
//     refused in one line;
//   - find_bench_targets against in-process HTTPS servers serving the real change proofs: the
//     joined hospital's node, whose certificate chains to its own CA only, is trusted through
//     the verified history (the genesis's CAs alone, what hc bench trusted before, refuse it),
//     and so is it by tls_anchors_for_node (hc genesis bootstrap); a node serving a forged
//     history is refused.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chain/change_proof.h"
#include "chain/governance_rules.h"
#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "cli/bench_targets.h"
#include "client/configuration_history.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "crypto/ed25519.h"
#include "net/http_server.h"
#include "net/tls_certificate.h"
#include "net/tls_context.h"

namespace hc::cli {
namespace {

using chain::testing::TempDir;
using chain::testing::TestConsortium;
using Signer = TestConsortium::Signer;

const SecureBytes& tls_pass() {
  static const SecureBytes p(std::string_view("bench targets test passphrase"));
  return p;
}

net::TlsKeyPair make_ca(const std::string& name) {
  auto ca = net::create_tls_ca(name, tls_pass(), net::Validity{-300, net::kDefaultCaValidityDays * 86400});
  HC_CHECK(ca.ok());
  return *ca;
}

net::TlsKeyPair issue(const net::TlsKeyPair& ca) {
  auto cert = net::issue_tls_server_certificate(ca, tls_pass(), "node", {"127.0.0.1"}, tls_pass(), net::Validity{});
  HC_CHECK(cert.ok());
  return *cert;
}

Bytes signed_by(chain::Transaction tx, const SecureBytes& seed) {
  HC_CHECK(chain::sign_governance_tx(tx, seed).ok());
  return chain::encode_transaction(tx);
}

// The chain of the file comment, built once.
class JoinedAndLeftChain {
 public:
  JoinedAndLeftChain() {
    std::vector<std::string> pems;
    for (const auto& ca : genesis_cas) pems.push_back(ca.certificate_pem);
    c.use_tls_ca_certificates(pems);
    store = std::move(chain::LedgerStore::create(dir.path(), c.genesis())).value();
    app = std::move(chain::HealthchainApp::start(*store, c.group(), c.certificates())).value();
    const std::vector<Signer> genesis_three = {
        {0, &c.replica_seed(0)}, {1, &c.replica_seed(1)}, {2, &c.replica_seed(2)}};
    const Bytes request = signed_by(chain::JoinRequestTx{c.genesis_hash(), joiner_key(), "hospital-e", "127.0.0.1:1",
                                                         joined_ca.certificate_pem, 0, {}, ""},
                                    joiner_seed);
    commit({request}, 0, genesis_three);  // 1
    std::vector<Bytes> approvals;
    for (std::uint32_t i : {0u, 1u, 2u}) {
      approvals.push_back(signed_by(
          chain::GovernanceApprovalTx{c.genesis_hash(), chain::transaction_id(request), i, {}}, c.replica_seed(i)));
    }
    commit(approvals, 0, genesis_three);  // 2: hospital-e is replica 4
    commit({signed_by(chain::ExitAnnouncementTx{c.genesis_hash(), 3, 0, {}}, c.replica_seed(3))}, 0,
           genesis_three);  // 3: replica 3 leaves
    while (store->tip().height < 80) commit({}, 0, genesis_three);
    commit({}, 1, {{0, &c.replica_seed(0)}, {1, &c.replica_seed(1)}, {4, &joiner_seed}});  // 81
    history_json = chain::change_proofs_to_json(chain::change_proofs_from_store(*store).value());
  }

  chain::Ed25519PublicKey joiner_key() const {
    return crypto::Ed25519PrivateKey::from_seed(joiner_seed).value().public_key().bytes();
  }
  void commit(std::vector<Bytes> txs, std::uint64_t config, const std::vector<Signer>& signers) {
    chain::Block b = c.make_block(store->tip(), std::move(txs));
    b.commit_certificate = c.certificate_in(b, config, signers);
    HC_CHECK(app->commit_block(b).ok());
  }

  std::vector<net::TlsKeyPair> genesis_cas{make_ca("genesis-0"), make_ca("genesis-1"), make_ca("genesis-2"),
                                           make_ca("genesis-3")};
  net::TlsKeyPair joined_ca = make_ca("hospital-e");
  SecureBytes joiner_seed{std::string(32, 'e')};
  TempDir dir{"bench-targets"};
  TestConsortium c{4};
  std::unique_ptr<chain::LedgerStore> store;
  std::unique_ptr<chain::HealthchainApp> app;
  nlohmann::json history_json;
};

// An HTTPS server on 127.0.0.1 with a certificate of `ca` answering fixed bodies by path.
class FixedAnswerNode {
 public:
  FixedAnswerNode(const net::TlsKeyPair& ca, std::map<std::string, std::string> answers)
      : answers_(std::move(answers)) {
    const net::TlsKeyPair node = issue(ca);
    auto ctx =
        net::make_tls_server_context(node.certificate_pem + ca.certificate_pem, node.encrypted_key_pem, tls_pass());
    HC_CHECK(ctx.ok());
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{}, [this](const net::HttpRequest& r) {
      auto it = answers_.find(std::string(r.path()));
      if (it == answers_.end()) return net::HttpResponse::json(404, "{}");
      return net::HttpResponse::json(200, it->second);
    });
    server_->use_tls(*ctx);
    auto port = server_->listen("127.0.0.1", 0);
    HC_CHECK(port.ok());
    url_ = "https://127.0.0.1:" + std::to_string(*port);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FixedAnswerNode() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }

 private:
  std::map<std::string, std::string> answers_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
};

class BenchTargetsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { chain_ = new JoinedAndLeftChain(); }
  static void TearDownTestSuite() {
    delete chain_;
    chain_ = nullptr;
  }
  static const JoinedAndLeftChain& h() { return *chain_; }

  // Nodes 0..4 of a cluster.json, none marked as left; `urls` overrides some API URLs.
  static ClusterState cluster(const std::map<std::uint32_t, std::string>& urls = {}) {
    ClusterState state;
    for (std::uint32_t id = 0; id < 5; ++id) {
      ClusterNodeState n;
      n.id = id;
      n.name = "hospital-" + std::string(1, static_cast<char>('a' + id));
      n.api_url = urls.count(id) ? urls.at(id) : "https://127.0.0.1:1";  // nothing listens there
      state.nodes.push_back(n);
    }
    return state;
  }
  static std::vector<std::uint32_t> ids(const BenchTargets& t) {
    std::vector<std::uint32_t> out;
    for (const auto& n : t.nodes) out.push_back(n.id);
    return out;
  }
  static std::unique_ptr<client::ConfigurationHistory> verified_history() {
    auto history = std::make_unique<client::ConfigurationHistory>(h().c.genesis());
    HC_CHECK(history->extend(chain::change_proofs_from_json(h().history_json).value(), h().c.certificates()).ok());
    return history;
  }
  static std::string status_at(std::uint64_t height) {
    return "{\"node_id\":4,\"height\":" + std::to_string(height) + "}";
  }

  static JoinedAndLeftChain* chain_;
};
JoinedAndLeftChain* BenchTargetsTest::chain_ = nullptr;

TEST_F(BenchTargetsTest, BelowTheBoundaryTheGenesisMembersAreLoaded) {
  const auto history = verified_history();
  auto targets = bench_targets_at(cluster(), history->view(), 79);
  ASSERT_TRUE(targets.ok()) << targets.status().to_string();
  EXPECT_EQ(targets->configuration, 0u);
  EXPECT_EQ(ids(*targets), (std::vector<std::uint32_t>{0, 1, 2, 3})) << "the joined node takes no record before B";
  EXPECT_EQ(targets->members.size(), 4u);
  ASSERT_EQ(targets->tls_anchors.size(), 5u);
  EXPECT_EQ(targets->tls_anchors.back(), h().joined_ca.certificate_pem);
}

TEST_F(BenchTargetsTest, PastTheBoundaryTheJoinedNodeIsLoadedAndTheDepartedOneIsNot) {
  const auto history = verified_history();
  for (std::uint64_t tip : {80u, 81u, 500u}) {
    auto targets = bench_targets_at(cluster(), history->view(), tip);
    ASSERT_TRUE(targets.ok()) << targets.status().to_string();
    EXPECT_EQ(targets->configuration, 1u) << tip;
    EXPECT_EQ(targets->members, (std::vector<std::uint32_t>{0, 1, 2, 4})) << tip;
    EXPECT_EQ(ids(*targets), (std::vector<std::uint32_t>{0, 1, 2, 4}))
        << "replica 3 left on the chain although cluster.json does not say so";
  }
}

TEST_F(BenchTargetsTest, AClusterWithNoMemberInForceIsRefusedInOneLine) {
  const auto history = verified_history();
  ClusterState departed_only = cluster();
  departed_only.nodes = {departed_only.nodes[3]};
  auto targets = bench_targets_at(departed_only, history->view(), 81);
  ASSERT_EQ(targets.status().code(), ErrorCode::kInvalidInput) << targets.status().to_string();
  EXPECT_NE(targets.status().message().find("no node of the cluster is a member of configuration 1 in force at height "
                                            "81 (members 0, 1, 2, 4)"),
            std::string::npos)
      << targets.status().message();
}

TEST_F(BenchTargetsTest, TheJoinedHospitalsNodeIsTrustedThroughTheVerifiedHistory) {
  FixedAnswerNode joined(h().joined_ca,
                         {{"/v1/consortium/changes", h().history_json.dump()}, {"/v1/status", status_at(81)}});
  // What hc bench trusted before: the genesis's CAs alone refuse the joined hospital's node.
  auto genesis_only = client::NodeClient::connect(joined.url(), {}, h().c.genesis().tls_trust_anchors());
  ASSERT_TRUE(genesis_only.ok()) << genesis_only.status().to_string();
  EXPECT_EQ(genesis_only->status().status().code(), ErrorCode::kAuthFailed);

  // Nodes 0..3 do not answer; the joined node's history proves itself from the genesis.
  auto targets = find_bench_targets(cluster({{4, joined.url()}}), h().c.genesis());
  ASSERT_TRUE(targets.ok()) << targets.status().to_string();
  EXPECT_EQ(ids(*targets), (std::vector<std::uint32_t>{0, 1, 2, 4}));
  EXPECT_EQ(targets->nodes.back().api_url, joined.url());
  auto trusted = client::NodeClient::connect(joined.url(), {}, targets->tls_anchors);
  ASSERT_TRUE(trusted.ok()) << trusted.status().to_string();
  EXPECT_TRUE(trusted->status().ok()) << trusted->status().status().to_string();

  // hc genesis bootstrap --node <the joined node>: the same anchors.
  auto bootstrap = client::tls_anchors_for_node(h().c.genesis(), joined.url());
  ASSERT_TRUE(bootstrap.ok()) << bootstrap.status().to_string();
  EXPECT_EQ(*bootstrap, targets->tls_anchors);
}

TEST_F(BenchTargetsTest, ANodeServingAForgedHistoryIsRefused) {
  nlohmann::json forged = h().history_json;
  forged["changes"].erase(forged["changes"].begin());  // the join left out: the exit's counter no longer follows
  FixedAnswerNode liar(h().joined_ca, {{"/v1/consortium/changes", forged.dump()}, {"/v1/status", status_at(81)}});
  auto targets = find_bench_targets(cluster({{0, liar.url()}}), h().c.genesis());
  ASSERT_EQ(targets.status().code(), ErrorCode::kAuthFailed) << targets.status().to_string();
  EXPECT_NE(targets.status().message().find("hospital-a"), std::string::npos) << targets.status().message();
  EXPECT_EQ(targets.status().message().find('\n'), std::string::npos);
  // Nobody answers at all: unavailable, naming the last node tried.
  auto none = find_bench_targets(cluster(), h().c.genesis());
  EXPECT_EQ(none.status().code(), ErrorCode::kUnavailable) << none.status().to_string();
}

}  // namespace
}  // namespace hc::cli
