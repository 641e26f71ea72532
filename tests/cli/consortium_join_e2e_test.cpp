// Issue 16, a hospital joins a running consortium (multi-process): a 4-hospital local cluster
// (plain HTTP) commits records; a fifth hospital makes its keys the way a hospital does with
// `hc` (its replica key, its group member key enrolled by the manager under the hospital's own
// passphrase) and a node.json that lists the members' peer addresses, asks to join with
// `hc consortium propose-join`, three members approve; its hc-node starts with an empty ledger
// (not a member on it: it fetches the chain from the members it dials, docs/node.md "Joining a
// running consortium"). Records keep being submitted to the four until every node is past the
// change's boundary B = c(h) + L. Then: the fifth node has caught up and is a member of
// configuration 1 (GET /v1/status), every block above B carries a certificate of the 5-member
// configuration (signers among 0..4, at least its quorum of 4), the fifth replica's vote is in
// some of them, every record commits exactly once on all five, and `hc chain verify` passes on
// the fifth node's ledger, including a record submitted to the fifth node once it is a member;
// before its boundary it refused one (not a member: docs/relay.md, "Membership changes").
// `hc manager audit` reads the record committed above the boundary, its certificate verified
// against the change hc verified from the genesis, through node 0 and through the fifth node
// (GET /v1/consortium/changes; before, hc refused it as not certified).
// Before that, hc-node given another member's replica key for id 4 refuses to start with one
// line (exit code 2). Drives the built hc and hc-node; every process
// is brought down.
#include <gtest/gtest.h>

#include <csignal>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cluster_ports.h"
#include "cli/cluster_process.h"
#include "cli/consortium_cluster_fixture.h"
#include "common/file_io.h"
#include "common/secure_bytes.h"
#include "consensus/configuration.h"
#include "node/config.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPassphrase = "e2e-consortium-join-passphrase";
// The fifth hospital's own passphrase: its member key must not be sealed under the issuer's.
constexpr const char* kJoinerPassphrase = "e2e-consortium-joiner-passphrase";
constexpr std::uint32_t kJoiner = 4;

class ConsortiumJoinE2E : public testing::ConsortiumCluster {
 protected:
  ConsortiumJoinE2E() : ConsortiumCluster({kPassphrase, 200000, "2026-11-30T10:30:00Z"}) {}
  // The fifth node first (it is not in cluster.json), then the cluster.
  void TearDown() override {
    if (joiner_pid_ != 0) {
      signal_node(joiner_pid_, joiner_config_, SIGTERM);
      for (int i = 0; i < 100 && !reap_if_exited(joiner_pid_); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (signal_node(joiner_pid_, joiner_config_, SIGKILL)) reap_if_exited(joiner_pid_);
    }
    ConsortiumCluster::TearDown();
  }
  fs::path joiner_dir() const { return dir_ / "hospital-e"; }
  std::string url(std::size_t i) const override { return i == kJoiner ? joiner_url_ : state_.nodes[i].api_url; }
  // The fifth node's doctors are hospital-d's (its node.json was made from hospital-d's).
  std::filesystem::path doctor_token_file(std::size_t i) const override {
    return state_.nodes[i == kJoiner ? 3 : i].doctor_token_file;
  }
  // The fifth hospital's keys and node.json: a replica key and a group member key under its
  // own passphrase, its ports, the members' peer addresses and keys (from hospital-d's config,
  // which lists every genesis replica) and its own entry. Its API URL in joiner_url_.
  void make_joiner() {
    fs::create_directories(joiner_dir());
    const fs::path member_pass = joiner_dir() / "member.pass";
    ASSERT_TRUE(write_text_file_atomic(member_pass, kJoinerPassphrase).ok());
    ASSERT_EQ(hc_with(kJoinerPassphrase, "access reader-key create --out " + (joiner_dir() / "replica.key.pem").string()),
              0)
        << err_;
    ASSERT_EQ(hc("group enroll --dir " + state_.group_dir.string() + " --member hospital-e --out " +
                 (joiner_dir() / "member.key").string() + " --member-passphrase-file " + member_pass.string()),
              0)
        << err_;
    auto base = node::load_node_config(state_.nodes[3].config);
    ASSERT_TRUE(base.ok()) << base.status().to_string();
    auto ports = pick_free_ports(2, 0);
    ASSERT_TRUE(ports.ok()) << ports.status().to_string();
    node::NodeConfig config = *base;
    config.node_id = kJoiner;
    config.name = "hospital-e";
    config.data_dir = joiner_dir() / "data";
    config.replica_key_file = joiner_dir() / "replica.key.pem";
    config.member_key_file = joiner_dir() / "member.key";
    config.listen_port = (*ports)[0];
    config.api_port = (*ports)[1];
    joiner_url_ = "http://127.0.0.1:" + std::to_string(config.api_port);
    joiner_config_ = joiner_dir() / "node.json";
    joiner_node_config_ = config;
  }

  std::string joiner_url_;
  fs::path joiner_config_;
  node::NodeConfig joiner_node_config_;
  std::int64_t joiner_pid_ = 0;
};

TEST_F(ConsortiumJoinE2E, AFifthHospitalJoinsCatchesUpAndCommitsUnderTheNewConfiguration) {
  ASSERT_NO_FATAL_FAILURE(start_cluster(4));

  std::vector<std::string> submitted;
  int patient = 0;
  ASSERT_NO_FATAL_FAILURE(submit_to_each(4, submitted, patient));

  make_joiner();
  if (HasFatalFailure()) return;
  // The join request, with the replica key under the hospital's passphrase.
  ASSERT_EQ(hc_with(kJoinerPassphrase, "consortium propose-join" + common() + " --key " +
                                           joiner_node_config_.replica_key_file.string() +
                                           " --name hospital-e --api-address 127.0.0.1:" +
                                           std::to_string(joiner_node_config_.api_port)),
            0)
      << err_;
  const std::string marker = "join request ";
  const auto at = out_.find(marker);
  ASSERT_NE(at, std::string::npos) << out_;
  const std::string proposal = out_.substr(at + marker.size(), 64);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(hc("consortium approve" + as_member(i) + " --proposal " + proposal), 0) << err_;
  }
  EXPECT_NE(out_.find("accepted (replica id 4)"), std::string::npos) << out_;
  testing::AcceptedChange change;
  ASSERT_NO_FATAL_FAILURE(read_accepted_change(nlohmann::json::array({0, 1, 2, 3, 4}), &change));
  const nlohmann::json& consortium = change.consortium;
  const std::uint64_t boundary = change.boundary;

  // The fifth node: the members' addresses (as the cluster wrote them) and its own, with the
  // key the chain accepted for it.
  std::string joined_key;
  for (const auto& m : consortium["members"]) {
    if (m.value("id", 0u) == kJoiner) joined_key = m.value("public_key", "");
  }
  auto own_key = crypto::Ed25519PublicKey::from_hex(joined_key);
  ASSERT_TRUE(own_key.ok()) << consortium.dump();
  node::PeerConfig self;
  self.id = kJoiner;
  self.host = "127.0.0.1";
  self.port = joiner_node_config_.listen_port;
  self.replica_key = *own_key;
  joiner_node_config_.peers.push_back(self);
  auto binary = find_node_binary();
  if (!binary.ok()) binary = fs::path(HC_BINARY_DIR) / "bin" / "hc-node";
  // With another member's replica key (hospital-d's, id 3) the node refuses to start, in one line.
  {
    node::NodeConfig wrong = joiner_node_config_;
    wrong.replica_key_file = node::load_node_config(state_.nodes[3].config)->replica_key_file;
    wrong.data_dir = joiner_dir() / "wrong-data";
    const fs::path wrong_config = joiner_dir() / "wrong-node.json";
    ASSERT_TRUE(write_text_file_atomic(wrong_config, node::node_config_to_json(wrong)).ok());
    auto wrong_pid = spawn_node(*binary, wrong_config, joiner_dir() / "wrong.log", SecureBytes(std::string(kPassphrase)));
    ASSERT_TRUE(wrong_pid.ok()) << wrong_pid.status().to_string();
    std::optional<int> code;
    for (int i = 0; i < 300 && !code; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      code = reap_exit_code(*wrong_pid);
    }
    if (!code) signal_node(*wrong_pid, wrong_config, SIGKILL);
    ASSERT_TRUE(code.has_value()) << "hc-node with another member's key did not exit";
    EXPECT_EQ(*code, 2);
    const std::string log = log_tail(joiner_dir() / "wrong.log", 5);
    EXPECT_NE(log.find("the replica key file holds member 3's key, not node 4's"), std::string::npos) << log;
  }
  ASSERT_TRUE(write_text_file_atomic(joiner_config_, node::node_config_to_json(joiner_node_config_)).ok());
  auto pid = spawn_node(*binary, joiner_config_, joiner_dir() / "node.log", SecureBytes(std::string(kJoinerPassphrase)));
  ASSERT_TRUE(pid.ok()) << pid.status().to_string();
  joiner_pid_ = *pid;

  // Before its boundary the fifth node is no member: it refuses a doctor's record (it is on no
  // stem cycle yet, so sending it on would name its hospital; docs/relay.md "Membership
  // changes"). Before that fix it accepted it and broadcast it at once.
  // It has caught up to the join first, so that the client finds the chain's keys there.
  auto caught_up_to_join = [&](const nlohmann::json& status) {
    return status.is_object() && status.value("height", std::uint64_t{0}) >= change.accepted_at;
  };
  nlohmann::json early = get(kJoiner, "/v1/status");
  for (int i = 0; i < 600 && !caught_up_to_join(early); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    early = get(kJoiner, "/v1/status");
  }
  ASSERT_TRUE(caught_up_to_join(early)) << early.dump() << "\n" << log_tail(joiner_dir() / "node.log", 30);
  ASSERT_LT(early.value("height", std::uint64_t{0}), boundary) << early.dump();
  ASSERT_EQ(early["member"], false) << early.dump();
  EXPECT_EQ(submit(kJoiner, patient++), "") << "a non-member accepted a record";
  EXPECT_NE(err_.find("not a member of the consortium's configuration in force"), std::string::npos) << err_;

  // Records to the four until all five are a few blocks past the boundary.
  ASSERT_NO_FATAL_FAILURE(submit_until_past(
      boundary, kJoiner + 1, 4, 300,
      [&] {
        return "heights " + std::to_string(height_of(0)) + " and (joiner) " + std::to_string(height_of(kJoiner)) +
               ", boundary " + std::to_string(boundary) + "\n" + log_tail(joiner_dir() / "node.log", 30);
      },
      submitted, patient));
  // A member now, the fifth node takes records (sent along the stem cycle of the five).
  submitted.push_back(submit(kJoiner, patient++));
  ASSERT_FALSE(submitted.back().empty()) << err_;
  const std::set<std::string> pending = wait_until_committed(kJoiner, submitted, 60);
  ASSERT_TRUE(pending.empty()) << pending.size() << " records not committed on the fifth node, e.g. "
                               << *pending.begin() << "\n"
                               << log_tail(joiner_dir() / "node.log", 30);

  // The fifth node is a member of configuration 1.
  nlohmann::json joiner = get(kJoiner, "/v1/status");
  ASSERT_TRUE(joiner.is_object());
  EXPECT_EQ(joiner["configuration"], 1) << joiner.dump();
  EXPECT_EQ(joiner["member"], true) << joiner.dump();

  // Every node's chain: records exactly once; above the boundary, certificates of the five.
  const consensus::Configuration five{1, {0, 1, 2, 3, 4}};
  bool joiner_signed = false;
  for (std::size_t i = 0; i <= kJoiner; ++i) {
    testing::ChainWalk walk;
    ASSERT_NO_FATAL_FAILURE(walk_chain(i, five, boundary, submitted, &walk));
    for (const testing::BlockAboveBoundary& block : walk.above_boundary) {
      for (std::uint32_t signer : block.signers) {
        if (signer == kJoiner) joiner_signed = true;
      }
    }
    if (i == 0) print_change_summary("join", change, walk, submitted.size());
  }
  EXPECT_TRUE(joiner_signed) << "no certificate above the boundary holds the fifth replica's vote";
  // The fifth node's ledger verifies from the genesis, each block with its height's configuration.
  ASSERT_NO_FATAL_FAILURE(verify_chain(joiner_node_config_.data_dir));
  // A client reads the record committed above the boundary with its certificate verified,
  // following the change from the genesis: through a genesis member and through the fifth
  // node, whose ledger kept the change's proof while catching up by state transfer.
  ASSERT_NO_FATAL_FAILURE(read_above_boundary(0, patient - 1, submitted.back(), boundary));
  ASSERT_NO_FATAL_FAILURE(read_above_boundary(kJoiner, patient - 1, submitted.back(), boundary));
}

}  // namespace
}  // namespace hc::cli
