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
// Before that, hc-node given another member's replica key for id 4 refuses to start with one
// line (exit code 2). Drives the built hc and hc-node; every process
// is brought down.
#include <gtest/gtest.h>

#include <csignal>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/consensus_parameters.h"
#include "cli/cluster_ports.h"
#include "cli/cluster_process.h"
#include "cli/cluster_state.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "common/secure_bytes.h"
#include "consensus/certificates.h"
#include "node/config.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPassphrase = "e2e-consortium-join-passphrase";
// The fifth hospital's own passphrase: its member key must not be sealed under the issuer's.
constexpr const char* kJoinerPassphrase = "e2e-consortium-joiner-passphrase";
constexpr std::uint32_t kJoiner = 4;

class ConsortiumJoinE2E : public ::testing::Test {
 protected:
  // Runs `hc <args>` with `passphrase` in $HC_PASSPHRASE; its exit code, stdout in out_,
  // stderr in err_.
  int hc_with(const std::string& passphrase, const std::string& args) {
    const fs::path out = dir_ / "last.out", err = dir_ / "last.err";
    const int code = test::run_shell("HC_PASSPHRASE=" + passphrase + " " + std::string(HC_BINARY_DIR) + "/bin/hc " +
                                     args + " >" + out.string() + " 2>" + err.string() + " </dev/null");
    auto o = read_text_file(out, 1 << 20);
    auto e = read_text_file(err, 1 << 20);
    out_ = o.ok() ? *o : "";
    err_ = e.ok() ? *e : "";
    return code;
  }
  int hc(const std::string& args) { return hc_with(kPassphrase, args); }
  void TearDown() override {
    if (joiner_pid_ != 0) {
      signal_node(joiner_pid_, joiner_config_, SIGTERM);
      for (int i = 0; i < 100 && !reap_if_exited(joiner_pid_); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (signal_node(joiner_pid_, joiner_config_, SIGKILL)) reap_if_exited(joiner_pid_);
    }
    if (fs::exists(cluster_dir() / "cluster.json")) hc("cluster down --dir " + cluster_dir().string());
  }
  fs::path cluster_dir() const { return dir_ / "c"; }
  fs::path joiner_dir() const { return dir_ / "hospital-e"; }
  std::string url(std::size_t i) const { return i == kJoiner ? joiner_url_ : state_.nodes[i].api_url; }
  std::string common() const { return " --node " + state_.nodes[0].api_url + " --genesis " + state_.genesis.string(); }
  std::string as_member(std::size_t i) const {
    auto config = node::load_node_config(state_.nodes[i].config);
    HC_CHECK(config.ok());
    return common() + " --key " + config->replica_key_file.string() + " --replica-id " + std::to_string(state_.nodes[i].id);
  }
  // GET `path` from node i's API as JSON (null if it does not answer).
  nlohmann::json get(std::size_t i, const std::string& path) {
    const fs::path out = dir_ / "get.json";
    if (test::run_shell("curl -sf --max-time 10 " + url(i) + path + " >" + out.string() + " 2>/dev/null") != 0) {
      return nullptr;
    }
    auto text = read_text_file(out, 64 << 20);
    return text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
  }
  std::uint64_t height_of(std::size_t i) {
    nlohmann::json s = get(i, "/v1/status");
    return s.is_object() && s.contains("height") ? s["height"].get<std::uint64_t>() : 0;
  }
  // Submits one record to node i (not waiting); its transaction id, or "" with err_ set. The
  // fifth node's doctors are hospital-d's (its node.json was made from hospital-d's).
  std::string submit(std::size_t i, int patient) {
    const fs::path token_file = state_.nodes[i == kJoiner ? 3 : i].doctor_token_file;
    const fs::path visit = dir_ / "visit.txt";
    HC_CHECK(write_text_file_atomic(visit, "name: Patient " + std::to_string(patient) + "\nid: " +
                                               std::to_string(200000 + patient) +
                                               "\ntime: 2026-11-30T10:30:00Z\ndiagnosis: flu\n")
                 .ok());
    if (hc("record submit --node " + url(i) + " --token-file " + token_file.string() + " --pseudonym-key " +
           (state_.manager_dir / "pseudonym.key").string() + " --genesis " + state_.genesis.string() +
           " --visit-file " + visit.string()) != 0) {
      return "";
    }
    const std::string marker = "transaction ";
    const auto at = out_.find(marker);
    return at == std::string::npos ? "" : out_.substr(at + marker.size(), 64);
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

  test::TempDir dir_;
  ClusterState state_;
  std::string out_, err_;
  std::string joiner_url_;
  fs::path joiner_config_;
  node::NodeConfig joiner_node_config_;
  std::int64_t joiner_pid_ = 0;
};

TEST_F(ConsortiumJoinE2E, AFifthHospitalJoinsCatchesUpAndCommitsUnderTheNewConfiguration) {
  ASSERT_EQ(hc("cluster up --nodes 4 --plain-http --dir " + cluster_dir().string()), 0) << out_ << err_;
  auto state = load_cluster_state(cluster_dir());
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  state_ = *state;
  ASSERT_EQ(state_.nodes.size(), 4u);

  std::vector<std::string> submitted;
  int patient = 0;
  for (std::size_t i = 0; i < 4; ++i, ++patient) {
    submitted.push_back(submit(i, patient));
    ASSERT_FALSE(submitted.back().empty()) << err_;
  }

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
  nlohmann::json consortium = get(0, "/v1/consortium");
  ASSERT_TRUE(consortium.is_object());
  ASSERT_EQ(consortium["changes"].size(), 1u) << consortium.dump();
  EXPECT_EQ(consortium["changes"][0]["members"], nlohmann::json::array({0, 1, 2, 3, 4}));
  const std::uint64_t accepted_at = consortium["changes"][0]["accepted_at_height"].get<std::uint64_t>();
  const std::uint64_t boundary = chain::membership_change_boundary(accepted_at);

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
    return status.is_object() && status.value("height", std::uint64_t{0}) >= accepted_at;
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
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  auto all_past = [&] {
    for (std::size_t i = 0; i <= kJoiner; ++i) {
      if (height_of(i) < boundary + 4) return false;
    }
    return true;
  };
  while (!all_past()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "heights " << height_of(0) << " and (joiner) " << height_of(kJoiner) << ", boundary " << boundary << "\n"
        << log_tail(joiner_dir() / "node.log", 30);
    const std::string id = submit(static_cast<std::size_t>(patient % 4), patient);
    ++patient;
    if (!id.empty()) submitted.push_back(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (std::size_t i = 0; i < 4; ++i, ++patient) submitted.push_back(submit(i, patient));
  // A member now, the fifth node takes records (sent along the stem cycle of the five).
  submitted.push_back(submit(kJoiner, patient++));
  ASSERT_FALSE(submitted.back().empty()) << err_;
  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::set<std::string> pending(submitted.begin(), submitted.end());
  while (!pending.empty() && std::chrono::steady_clock::now() < settle) {
    for (auto it = pending.begin(); it != pending.end();) {
      nlohmann::json tx = get(kJoiner, "/v1/tx/" + *it);
      it = tx.is_object() && tx.value("status", "") == "committed" ? pending.erase(it) : std::next(it);
    }
    if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
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
    const std::uint64_t tip = height_of(i);
    ASSERT_GT(tip, boundary) << "node " << i;
    std::map<std::string, int> seen;
    std::uint64_t blocks_after = 0;
    for (std::uint64_t h = 1; h <= tip; ++h) {
      nlohmann::json block = get(i, "/v1/blocks/" + std::to_string(h));
      ASSERT_TRUE(block.is_object()) << "node " << i << " height " << h;
      for (const auto& id : block["tx_ids"]) ++seen[id.get<std::string>()];
      if (h <= boundary) continue;
      ++blocks_after;
      auto bytes = from_base64(block["certificate"].get<std::string>());
      ASSERT_TRUE(bytes.ok());
      auto cert = consensus::decode_commit_certificate(*bytes, chain::kReplicaIdSpace);
      ASSERT_TRUE(cert.ok()) << cert.status().to_string();
      EXPECT_GE(cert->commits.size(), five.quorum()) << h;
      for (const consensus::SignedBy& s : cert->commits) {
        EXPECT_TRUE(five.contains(s.replica)) << "height " << h << " signed by " << s.replica;
        if (s.replica == kJoiner) joiner_signed = true;
      }
    }
    EXPECT_GT(blocks_after, 0u);
    if (i == 0) {
      std::printf("join accepted at height %llu, boundary %llu, tip %llu (%llu blocks after it), %zu records\n",
                  static_cast<unsigned long long>(accepted_at), static_cast<unsigned long long>(boundary),
                  static_cast<unsigned long long>(tip), static_cast<unsigned long long>(blocks_after), submitted.size());
    }
    for (const std::string& id : submitted) EXPECT_EQ(seen[id], 1) << "node " << i << " record " << id;
  }
  EXPECT_TRUE(joiner_signed) << "no certificate above the boundary holds the fifth replica's vote";
  // The fifth node's ledger verifies from the genesis, each block with its height's configuration.
  ASSERT_EQ(hc("chain verify --data " + joiner_node_config_.data_dir.string()), 0) << out_ << err_;
  EXPECT_NE(out_.find("checked"), std::string::npos) << out_;
}

}  // namespace
}  // namespace hc::cli
