// Issue 16, a hospital leaves a running consortium (multi-process): a 5-hospital local cluster
// (plain HTTP) commits records; hospital 4 announces its exit with `hc consortium leave`; records
// keep being submitted to the four others until the chain is past the change's boundary
// B = c(h) + L (chain/consensus_parameters.h). Then: every block above B was proposed by a
// member of the 4-member configuration and carries its certificate (signers among 0..3, at
// least its quorum of 3), none names the departed replica, every record commits exactly once on
// every remaining member, the departed node's engine reports that it is no member of
// configuration 1 (GET /v1/status), and `hc chain verify` passes on a remaining member's ledger
// (each block checked against its height's configuration); a remaining member restarted after
// the boundary is in configuration 1 again and its next record commits, and `hc manager audit`
// reads that record with its certificate verified against the change hc verified from the
// genesis (GET /v1/consortium/changes; before, hc refused it). Drives the built hc and
// hc-node; the cluster is always brought down.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/consortium_cluster_fixture.h"
#include "consensus/configuration.h"
#include "node/config.h"

namespace hc::cli {
namespace {

constexpr std::uint32_t kLeaver = 4;

class ConsortiumExitE2E : public testing::ConsortiumCluster {
 protected:
  ConsortiumExitE2E() : ConsortiumCluster({"e2e-consortium-exit-passphrase", 100000, "2026-11-30T09:30:00Z"}) {}
};

TEST_F(ConsortiumExitE2E, AHospitalLeavesAndTheOtherFourCommitUnderTheNewConfiguration) {
  ASSERT_NO_FATAL_FAILURE(start_cluster(5));
  ASSERT_EQ(state_.nodes[kLeaver].id, kLeaver);

  std::vector<std::string> submitted;
  int patient = 0;
  // Every hospital, the leaver too, before it leaves.
  ASSERT_NO_FATAL_FAILURE(submit_to_each(5, submitted, patient));
  auto leaver_config = node::load_node_config(state_.nodes[kLeaver].config);
  ASSERT_TRUE(leaver_config.ok());
  ASSERT_EQ(hc("consortium leave --node " + state_.nodes[0].api_url + " --genesis " + state_.genesis.string() +
               " --key " + leaver_config->replica_key_file.string() + " --replica-id " + std::to_string(kLeaver)),
            0)
      << err_;
  testing::AcceptedChange change;
  ASSERT_NO_FATAL_FAILURE(read_accepted_change(nlohmann::json::array({0, 1, 2, 3}), &change));
  const std::uint64_t boundary = change.boundary;

  // Records to the remaining members until each of them is a few blocks past the boundary.
  ASSERT_NO_FATAL_FAILURE(submit_until_past(
      boundary, 4, 4, 240,
      [&] { return "height " + std::to_string(height_of(0)) + ", boundary " + std::to_string(boundary); }, submitted,
      patient));
  const std::set<std::string> pending = wait_until_committed(0, submitted, 60);
  ASSERT_TRUE(pending.empty()) << pending.size() << " records not committed, e.g. " << *pending.begin();

  // Every remaining member's chain: records exactly once; above the boundary, blocks of the
  // 4-member configuration only, none proposed by the departed replica.
  const consensus::Configuration four{1, {0, 1, 2, 3}};
  for (std::size_t i = 0; i < 4; ++i) {
    testing::ChainWalk walk;
    ASSERT_NO_FATAL_FAILURE(walk_chain(i, four, boundary, submitted, &walk));
    for (const testing::BlockAboveBoundary& block : walk.above_boundary) {
      EXPECT_NE(block.proposer, kLeaver) << block.height;
    }
    if (i == 0) print_change_summary("exit", change, walk, submitted.size());
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
  ASSERT_NO_FATAL_FAILURE(verify_chain(state_.nodes[1].data_dir));

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
  // A client reads the record committed above the boundary with its certificate verified,
  // following the exit from the genesis (before, hc refused it as not certified).
  ASSERT_NO_FATAL_FAILURE(read_above_boundary(1, patient, after_restart, boundary));
}

}  // namespace
}  // namespace hc::cli
