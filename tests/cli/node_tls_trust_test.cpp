// The TLS trust of a hospital that joined a running consortium (issue 16; docs/deploy.md,
// "Trust anchors"):
//   - net::check_certificate_issued_by: a node certificate chains to its CA and to no other;
//     malformed PEM is refused as input;
//   - hc-node's own CA (node/api_tls.h): the genesis's for a genesis replica, its accepted join
//     request's for a joined one, none yet for a node not in the committed state; load_api_tls
//     refuses, in one line, a certificate that does not chain to the CA on the chain, and a
//     joined member whose join request named no CA;
//   - the client's anchors (client/node_tls_trust.h): every current and past member's CA from a
//     governance state (the genesis's, then the joined ones'; a departed member's kept; a
//     malformed one left out; no duplicates), and against a real HTTPS server: a node with a
//     genesis CA's certificate costs no history, one whose certificate chains to no member's CA
//     is refused with one line naming why.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chain/governance_state.h"
#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "client/node_tls_trust.h"
#include "common/file_io.h"
#include "net/http_server.h"
#include "net/tls_certificate.h"
#include "net/tls_context.h"
#include "node/api_tls.h"
#include "support/temp_dir.h"

namespace hc::client {
namespace {

using chain::testing::TestConsortium;

const SecureBytes& tls_pass() {
  static const SecureBytes p(std::string_view("tls test passphrase"));
  return p;
}

net::TlsKeyPair make_ca(const std::string& name) {
  auto ca = net::create_tls_ca(name, tls_pass(), net::Validity{-300, net::kDefaultCaValidityDays * 86400});
  EXPECT_TRUE(ca.ok()) << ca.status().to_string();
  return *ca;
}

net::TlsKeyPair issue(const net::TlsKeyPair& ca) {
  auto cert = net::issue_tls_server_certificate(ca, tls_pass(), "node", {"127.0.0.1"}, tls_pass(), net::Validity{});
  EXPECT_TRUE(cert.ok()) << cert.status().to_string();
  return *cert;
}

// The genesis replicas' CAs, made once (key generation is the slow part).
struct Cas {
  std::vector<net::TlsKeyPair> genesis{make_ca("genesis-0"), make_ca("genesis-1"), make_ca("genesis-2"),
                                       make_ca("genesis-3")};
  net::TlsKeyPair joined = make_ca("joined-4");
  net::TlsKeyPair departed = make_ca("joined-5");
  net::TlsKeyPair stranger = make_ca("stranger");
  std::vector<std::string> genesis_pems() const {
    std::vector<std::string> out;
    for (const auto& ca : genesis) out.push_back(ca.certificate_pem);
    return out;
  }
};
const Cas& cas() {
  static const Cas c;
  return c;
}

chain::ConsortiumMember joined_member(std::uint32_t id, const std::string& ca_pem, std::uint64_t height) {
  chain::ConsortiumMember m;
  m.id = id;
  m.key.fill(static_cast<std::uint8_t>(0x40 + id));
  m.name = "joined-" + std::to_string(id);
  m.api_address = "127.0.0.1:1";
  m.tls_ca_pem = ca_pem;
  m.joined_height = height;
  return m;
}

// A consortium of 4 genesis replicas with TLS CAs, and a governance state in which replica 4
// joined, then replica 5 joined and left (its record stays), then replica 6 joined with `ca_6`.
class NodeTlsTrust : public ::testing::Test {
 protected:
  NodeTlsTrust() {
    consortium_.use_tls_ca_certificates(cas().genesis_pems());
    view_ = std::make_unique<chain::MemoryTrusteeView>(consortium_.genesis(), consortium_.genesis_hash());
  }
  void join(const chain::ConsortiumMember& member, bool stays) {
    view_->apply(chain::joined_member_entries(member));
    head_.next_replica_id = member.id + 1;
    if (stays) head_.members.push_back(member.id);
    view_->apply({chain::consortium_head_entry(head_)});
  }
  void start_head() { head_.members = {0, 1, 2, 3}; }

  TestConsortium consortium_;
  std::unique_ptr<chain::MemoryTrusteeView> view_;
  chain::ConsortiumHead head_;
};

TEST(CertificateIssuedBy, AcceptsTheIssuingCaOnly) {
  const net::TlsKeyPair node = issue(cas().joined);
  const std::string chain = node.certificate_pem + cas().joined.certificate_pem;
  EXPECT_TRUE(net::check_certificate_issued_by(chain, cas().joined.certificate_pem).ok());
  EXPECT_TRUE(net::check_certificate_issued_by(node.certificate_pem, cas().joined.certificate_pem).ok());
  Status other = net::check_certificate_issued_by(chain, cas().stranger.certificate_pem);
  EXPECT_EQ(other.code(), ErrorCode::kAuthFailed) << other.to_string();
  EXPECT_NE(other.message().find("does not chain to the CA"), std::string::npos) << other.message();
  EXPECT_EQ(net::check_certificate_issued_by("not pem", cas().joined.certificate_pem).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(net::check_certificate_issued_by(chain, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(net::check_certificate_issued_by("", cas().joined.certificate_pem).code(), ErrorCode::kInvalidInput);
}

TEST_F(NodeTlsTrust, OwnCaIsTheGenesisOrTheAcceptedJoinRequests) {
  start_head();
  join(joined_member(4, cas().joined.certificate_pem, 40), true);
  auto genesis_one = node::own_tls_ca(*view_, 2);
  ASSERT_TRUE(genesis_one.ok() && genesis_one->has_value()) << genesis_one.status().to_string();
  EXPECT_EQ(**genesis_one, cas().genesis[2].certificate_pem);
  auto joined = node::own_tls_ca(*view_, 4);
  ASSERT_TRUE(joined.ok() && joined->has_value()) << joined.status().to_string();
  EXPECT_EQ(**joined, cas().joined.certificate_pem);
  auto not_yet = node::own_tls_ca(*view_, 5);
  ASSERT_TRUE(not_yet.ok()) << not_yet.status().to_string();
  EXPECT_FALSE(not_yet->has_value()) << "a node whose join is not committed has no CA on the chain yet";
  join(joined_member(5, "", 50), true);
  auto none = node::own_tls_ca(*view_, 5);
  EXPECT_EQ(none.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(none.status().message().find("its accepted join request named no TLS CA"), std::string::npos)
      << none.status().message();
}

TEST_F(NodeTlsTrust, LoadApiTlsRefusesACertificateNotFromTheChainsCa) {
  start_head();
  join(joined_member(4, cas().joined.certificate_pem, 40), true);
  test::TempDir dir;
  auto write_pair = [&](const net::TlsKeyPair& node, const net::TlsKeyPair& ca, const std::string& stem) {
    node::NodeConfig config;
    config.node_id = 4;
    config.tls_certificate_file = dir.path() / (stem + ".pem");
    config.tls_key_file = dir.path() / (stem + ".key.pem");
    EXPECT_TRUE(write_text_file_atomic(config.tls_certificate_file, node.certificate_pem + ca.certificate_pem).ok());
    EXPECT_TRUE(write_text_file_atomic(config.tls_key_file, node.encrypted_key_pem).ok());
    return config;
  };
  const node::NodeConfig good = write_pair(issue(cas().joined), cas().joined, "good");
  auto served = node::load_api_tls(good, *view_, tls_pass());
  ASSERT_TRUE(served.ok()) << served.status().to_string();
  EXPECT_NE(served->get(), nullptr);

  const node::NodeConfig foreign = write_pair(issue(cas().stranger), cas().stranger, "foreign");
  auto refused = node::load_api_tls(foreign, *view_, tls_pass());
  ASSERT_EQ(refused.status().code(), ErrorCode::kInvalidInput) << refused.status().to_string();
  EXPECT_NE(refused.status().message().find("not issued by node 4's TLS CA on the chain"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find('\n'), std::string::npos);

  // Before its join is in the committed state, the node serves with its configured certificate.
  node::NodeConfig early = foreign;
  early.node_id = 7;
  auto unchecked = node::load_api_tls(early, *view_, tls_pass());
  EXPECT_TRUE(unchecked.ok()) << unchecked.status().to_string();
  // A genesis replica's certificate must chain to its genesis CA.
  node::NodeConfig genesis_replica = foreign;
  genesis_replica.node_id = 1;
  EXPECT_EQ(node::load_api_tls(genesis_replica, *view_, tls_pass()).status().code(), ErrorCode::kInvalidInput);
}

TEST_F(NodeTlsTrust, MemberCasAreEveryCurrentAndPastMembersWellFormedCa) {
  auto before = member_tls_cas(*view_);
  ASSERT_TRUE(before.ok()) << before.status().to_string();
  EXPECT_EQ(*before, cas().genesis_pems()) << "no join yet: the genesis's CAs only";

  start_head();
  join(joined_member(4, cas().joined.certificate_pem, 40), true);
  join(joined_member(5, cas().departed.certificate_pem, 50), false);  // joined, then left
  join(joined_member(6, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 60), true);
  join(joined_member(7, cas().genesis[1].certificate_pem, 70), true);  // the same CA as replica 1
  auto after = member_tls_cas(*view_);
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  std::vector<std::string> expected = cas().genesis_pems();
  expected.push_back(cas().joined.certificate_pem);
  expected.push_back(cas().departed.certificate_pem);
  EXPECT_EQ(*after, expected) << "a departed member's CA stays, a malformed one and a duplicate are left out";
  EXPECT_TRUE(net::make_tls_client_context(*after).ok());
}

TEST_F(NodeTlsTrust, AHistoryThatDoesNotVerifyGivesNoAnchors) {
  EXPECT_FALSE(verified_member_tls_cas(consortium_.genesis(), nlohmann::json::object()).ok());
  nlohmann::json forged = {{"changes", nlohmann::json::array({{{"height", 5}}})}};
  EXPECT_FALSE(verified_member_tls_cas(consortium_.genesis(), forged).ok());
  auto empty = verified_member_tls_cas(consortium_.genesis(), {{"changes", nlohmann::json::array()}});
  ASSERT_TRUE(empty.ok()) << empty.status().to_string();
  EXPECT_EQ(*empty, cas().genesis_pems());
}

// An HTTPS server on 127.0.0.1 with `node`'s certificate answering /v1/status and, with no
// membership change, /v1/consortium/changes.
class FakeNode {
 public:
  FakeNode(const net::TlsKeyPair& node, const net::TlsKeyPair& ca) {
    auto ctx = net::make_tls_server_context(node.certificate_pem + ca.certificate_pem, node.encrypted_key_pem, tls_pass());
    EXPECT_TRUE(ctx.ok()) << ctx.status().to_string();
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{}, [this](const net::HttpRequest& r) {
      ++requests_;
      if (r.path() == "/v1/consortium/changes") return net::HttpResponse::json(200, "{\"changes\":[]}");
      return net::HttpResponse::json(200, "{\"node_id\":0}");
    });
    server_->use_tls(*ctx);
    auto port = server_->listen("127.0.0.1", 0);
    EXPECT_TRUE(port.ok());
    url_ = "https://127.0.0.1:" + std::to_string(*port);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~FakeNode() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }
  int requests() const { return requests_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
  std::atomic<int> requests_{0};
};

TEST_F(NodeTlsTrust, AGenesisHospitalsNodeIsTrustedWithoutTheHistory) {
  FakeNode node(issue(cas().genesis[3]), cas().genesis[3]);
  auto anchors = tls_anchors_for_node(consortium_.genesis(), node.url());
  ASSERT_TRUE(anchors.ok()) << anchors.status().to_string();
  EXPECT_EQ(*anchors, cas().genesis_pems());
  EXPECT_EQ(node.requests(), 1) << "one probe, no history fetched";
  auto client = connect_to_node(node.url(), "token", consortium_.genesis());
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  EXPECT_TRUE(client->status().ok());
}

TEST_F(NodeTlsTrust, ANodeOfNoMembersCaIsRefusedInOneLine) {
  FakeNode node(issue(cas().stranger), cas().stranger);
  auto anchors = tls_anchors_for_node(consortium_.genesis(), node.url());
  ASSERT_EQ(anchors.status().code(), ErrorCode::kAuthFailed) << anchors.status().to_string();
  EXPECT_NE(anchors.status().message().find("chains to no CA of a hospital that is or was a member"),
            std::string::npos)
      << anchors.status().message();
  EXPECT_EQ(anchors.status().message().find('\n'), std::string::npos);
  auto client = connect_to_node(node.url(), "token", consortium_.genesis());
  EXPECT_EQ(client.status().code(), ErrorCode::kAuthFailed);
  // Plain http:// on loopback needs no anchors and no probe.
  auto plain = tls_anchors_for_node(consortium_.genesis(), "http://127.0.0.1:1");
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(node.requests(), 2) << "one history fetch per attempt (the probes fail in the handshake), nothing more";
}

}  // namespace
}  // namespace hc::client
