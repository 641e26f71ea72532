// Issue 16, a hospital leaves a running consortium (multi-process): a 5-hospital local cluster
// (plain HTTP) commits records; hospital 4 announces its exit with `hc consortium leave`; records
// keep being submitted to the four others until the chain is past the change's boundary
// B = c(h) + L (chain/consensus_parameters.h). Then: every block above B was proposed by a
// member of the 4-member configuration and carries its certificate (signers among 0..3, at
// least its quorum of 3), none names the departed replica, every record commits exactly once on
// every remaining member, the departed node's engine reports that it is no member of
// configuration 1 (GET /v1/status), and `hc chain verify` passes on a remaining member's ledger
// (each block checked against its height's configuration); a remaining member restarted after
// the boundary is in configuration 1 again and its next record commits. Drives the built hc and
// hc-node; the cluster is always brought down.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/consensus_parameters.h"
#include "cli/cluster_state.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "consensus/certificates.h"
#include "node/config.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPassphrase = "e2e-consortium-exit-passphrase";
constexpr std::uint32_t kLeaver = 4;

class ConsortiumExitE2E : public ::testing::Test {
 protected:
  // Runs `hc <args>`; returns its exit code, stdout in out_ and stderr in err_.
  int hc(const std::string& args) {
    const fs::path out = dir_ / "last.out", err = dir_ / "last.err";
    const int code = test::run_shell("HC_PASSPHRASE=" + std::string(kPassphrase) + " " + std::string(HC_BINARY_DIR) +
                                     "/bin/hc " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null");
    auto o = read_text_file(out, 1 << 20);
    auto e = read_text_file(err, 1 << 20);
    out_ = o.ok() ? *o : "";
    err_ = e.ok() ? *e : "";
    return code;
  }
  void TearDown() override {
    if (fs::exists(cluster_dir() / "cluster.json")) hc("cluster down --dir " + cluster_dir().string());
  }
  fs::path cluster_dir() const { return dir_ / "c"; }
  // GET `path` from node i's API as JSON (null if it does not answer).
  nlohmann::json get(std::size_t i, const std::string& path) {
    const fs::path out = dir_ / "get.json";
    if (test::run_shell("curl -sf --max-time 10 " + state_.nodes[i].api_url + path + " >" + out.string() + " 2>/dev/null") != 0) {
      return nullptr;
    }
    auto text = read_text_file(out, 64 << 20);
    return text.ok() ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
  }
  std::uint64_t height_of(std::size_t i) {
    nlohmann::json s = get(i, "/v1/status");
    return s.is_object() && s.contains("height") ? s["height"].get<std::uint64_t>() : 0;
  }
  // Submits one record to node i (not waiting); its transaction id, or "" with err_ set.
  std::string submit(std::size_t i, int patient) {
    const fs::path visit = dir_ / "visit.txt";
    HC_CHECK(write_text_file_atomic(visit, "name: Patient " + std::to_string(patient) + "\nid: " +
                                               std::to_string(100000 + patient) +
                                               "\ntime: 2026-11-30T09:30:00Z\ndiagnosis: flu\n")
                 .ok());
    if (hc("record submit --node " + state_.nodes[i].api_url + " --token-file " +
           state_.nodes[i].doctor_token_file.string() + " --pseudonym-key " +
           (state_.manager_dir / "pseudonym.key").string() + " --genesis " + state_.genesis.string() +
           " --visit-file " + visit.string()) != 0) {
      return "";
    }
    const std::string marker = "transaction ";
    const auto at = out_.find(marker);
    return at == std::string::npos ? "" : out_.substr(at + marker.size(), 64);
  }

  test::TempDir dir_;
  ClusterState state_;
  std::string out_, err_;
};

TEST_F(ConsortiumExitE2E, AHospitalLeavesAndTheOtherFourCommitUnderTheNewConfiguration) {
  ASSERT_EQ(hc("cluster up --nodes 5 --plain-http --dir " + cluster_dir().string()), 0) << out_ << err_;
  auto state = load_cluster_state(cluster_dir());
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  state_ = *state;
  ASSERT_EQ(state_.nodes.size(), 5u);
  ASSERT_EQ(state_.nodes[kLeaver].id, kLeaver);

  std::vector<std::string> submitted;
  int patient = 0;
  for (std::size_t i = 0; i < 5; ++i, ++patient) {  // every hospital, the leaver too, before it leaves
    submitted.push_back(submit(i, patient));
    ASSERT_FALSE(submitted.back().empty()) << err_;
  }
  auto leaver_config = node::load_node_config(state_.nodes[kLeaver].config);
  ASSERT_TRUE(leaver_config.ok());
  ASSERT_EQ(hc("consortium leave --node " + state_.nodes[0].api_url + " --genesis " + state_.genesis.string() +
               " --key " + leaver_config->replica_key_file.string() + " --replica-id " + std::to_string(kLeaver)),
            0)
      << err_;
  nlohmann::json consortium = get(0, "/v1/consortium");
  ASSERT_TRUE(consortium.is_object());
  ASSERT_EQ(consortium["changes"].size(), 1u) << consortium.dump();
  EXPECT_EQ(consortium["changes"][0]["members"], nlohmann::json::array({0, 1, 2, 3}));
  const std::uint64_t accepted_at = consortium["changes"][0]["accepted_at_height"].get<std::uint64_t>();
  const std::uint64_t boundary = chain::membership_change_boundary(accepted_at);

  // Records to the remaining members until each of them is a few blocks past the boundary
  // (blocks are cut when records wait; the engine adds empty ones while a change waits too).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  auto all_past = [&] {
    for (std::size_t i = 0; i < 4; ++i) {
      if (height_of(i) < boundary + 4) return false;
    }
    return true;
  };
  while (!all_past()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "height " << height_of(0) << ", boundary " << boundary;
    const std::string id = submit(static_cast<std::size_t>(patient % 4), patient);
    ++patient;
    if (!id.empty()) submitted.push_back(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The last records commit too.
  for (std::size_t i = 0; i < 4; ++i, ++patient) submitted.push_back(submit(i, patient));
  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::set<std::string> pending(submitted.begin(), submitted.end());
  while (!pending.empty() && std::chrono::steady_clock::now() < settle) {
    for (auto it = pending.begin(); it != pending.end();) {
      nlohmann::json tx = get(0, "/v1/tx/" + *it);
      it = tx.is_object() && tx.value("status", "") == "committed" ? pending.erase(it) : std::next(it);
    }
    if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(pending.empty()) << pending.size() << " records not committed, e.g. " << *pending.begin();

  // Every remaining member's chain: records exactly once; above the boundary, blocks of the
  // 4-member configuration only.
  const consensus::Configuration four{1, {0, 1, 2, 3}};
  std::vector<std::string> tips;
  for (std::size_t i = 0; i < 4; ++i) {
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
      EXPECT_NE(block["header"]["proposer"].get<std::uint32_t>(), kLeaver) << h;
      auto bytes = from_base64(block["certificate"].get<std::string>());
      ASSERT_TRUE(bytes.ok());
      auto cert = consensus::decode_commit_certificate(*bytes, chain::kReplicaIdSpace);
      ASSERT_TRUE(cert.ok()) << cert.status().to_string();
      EXPECT_GE(cert->commits.size(), four.quorum()) << h;
      for (const consensus::SignedBy& s : cert->commits) {
        EXPECT_TRUE(four.contains(s.replica)) << "height " << h << " signed by " << s.replica;
      }
    }
    EXPECT_GT(blocks_after, 0u);
    if (i == 0) {
      std::printf("exit accepted at height %llu, boundary %llu, tip %llu (%llu blocks after it), %zu records\n",
                  static_cast<unsigned long long>(accepted_at), static_cast<unsigned long long>(boundary),
                  static_cast<unsigned long long>(tip), static_cast<unsigned long long>(blocks_after), submitted.size());
    }
    for (const std::string& id : submitted) EXPECT_EQ(seen[id], 1) << "node " << i << " record " << id;
  }
  // The remaining members' engines are in configuration 1; the departed node's engine is no
  // member of it (no block above the boundary was proposed by it or counts its vote, above).
  for (std::size_t i = 0; i < 4; ++i) {
    nlohmann::json s = get(i, "/v1/status");
    EXPECT_EQ(s["configuration"], 1) << i;
    EXPECT_EQ(s["member"], true) << i;
  }
  const auto leaver_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  nlohmann::json leaver = get(kLeaver, "/v1/status");
  while (!(leaver.is_object() && leaver["configuration"] == 1) && std::chrono::steady_clock::now() < leaver_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    leaver = get(kLeaver, "/v1/status");
  }
  ASSERT_TRUE(leaver.is_object());
  EXPECT_EQ(leaver["configuration"], 1) << leaver.dump();
  EXPECT_EQ(leaver["member"], false) << leaver.dump();
  // The whole chain verifies, each block with its height's configuration.
  ASSERT_EQ(hc("chain verify --data " + state_.nodes[1].data_dir.string()), 0) << out_ << err_;
  EXPECT_NE(out_.find("checked"), std::string::npos) << out_;

  // A remaining member restarted after the boundary learns the configuration again from its
  // ledger (not from its own records) and commits with the others.
  ASSERT_EQ(hc("cluster stop-node --dir " + cluster_dir().string() + " " + state_.nodes[2].name), 0) << err_;
  ASSERT_EQ(hc("cluster start-node --dir " + cluster_dir().string() + " " + state_.nodes[2].name), 0) << err_;
  const std::string after_restart = submit(2, ++patient);
  ASSERT_FALSE(after_restart.empty()) << err_;
  const auto restart_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  nlohmann::json committed = get(2, "/v1/tx/" + after_restart);
  while (!(committed.is_object() && committed.value("status", "") == "committed") &&
         std::chrono::steady_clock::now() < restart_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    committed = get(2, "/v1/tx/" + after_restart);
  }
  ASSERT_TRUE(committed.is_object());
  EXPECT_EQ(committed.value("status", ""), "committed") << committed.dump();
  nlohmann::json restarted = get(2, "/v1/status");
  EXPECT_EQ(restarted["configuration"], 1) << restarted.dump();
  EXPECT_EQ(restarted["member"], true) << restarted.dump();
}

}  // namespace
}  // namespace hc::cli
