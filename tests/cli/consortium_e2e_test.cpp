// `hc consortium` for real (issue 16 items 1 and 5): on a 4-node local consortium (plain HTTP),
// a candidate with its own encrypted key asks to join, members approve with their nodes'
// replica key files, a non-member's and a repeated approval are refused with their reasons,
// the third approval accepts the join (5 members, one change on the chain), and a member
// leaves. Drives the built hc and hc-node; the cluster is always brought down.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/consortium_cluster_fixture.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

class ConsortiumE2E : public testing::ConsortiumCluster {
 protected:
  ConsortiumE2E() : ConsortiumCluster({"e2e-consortium-passphrase", 0, ""}) {}
  nlohmann::json status_json() {
    EXPECT_EQ(hc("consortium status --json" + common()), 0) << err_;
    return nlohmann::json::parse(out_, nullptr, false);
  }
};

TEST_F(ConsortiumE2E, AHospitalJoinsWithTheMembersApprovalAndAMemberLeaves) {
  ASSERT_NO_FATAL_FAILURE(start_cluster(4));
  const fs::path candidate_key = dir_ / "candidate.pem";
  ASSERT_EQ(hc("access reader-key create --out " + candidate_key.string()), 0) << err_;

  ASSERT_EQ(hc("consortium propose-join" + common() + " --key " + candidate_key.string() +
               " --name hospital-e --api-address 127.0.0.1:18443"),
            0)
      << err_;
  const std::string marker = "join request ";
  const auto at = out_.find(marker);
  ASSERT_NE(at, std::string::npos) << out_;
  const std::string proposal = out_.substr(at + marker.size(), 64);

  ASSERT_EQ(hc("consortium approve" + as_member(0) + " --proposal " + proposal), 0) << err_;
  EXPECT_NE(out_.find("open (1 of 3 member approvals"), std::string::npos) << out_;
  // The candidate is no member: its approval is refused with the reason, in one line.
  EXPECT_EQ(hc("consortium approve" + common() + " --key " + candidate_key.string() + " --replica-id 7 --proposal " +
               proposal),
            2);
  EXPECT_NE(err_.find("replica 7 is not a member"), std::string::npos) << err_;
  // The admin key's approval does not count on this chain (default genesis rules).
  EXPECT_EQ(hc("consortium approve" + common() + " --key " + (state_.manager_dir / "admin.key.pem").string() +
               " --admin --proposal " + proposal),
            2);
  EXPECT_NE(err_.find("does not let the admin approve"), std::string::npos) << err_;
  EXPECT_EQ(hc("consortium approve" + as_member(1) + " --admin --proposal " + proposal), 2);
  EXPECT_NE(err_.find("not both"), std::string::npos) << err_;
  // The same approval again.
  EXPECT_NE(hc("consortium approve" + as_member(0) + " --proposal " + proposal), 0);
  EXPECT_NE(err_.find("already"), std::string::npos) << err_;

  nlohmann::json s = status_json();
  ASSERT_TRUE(s.is_object()) << out_;
  ASSERT_EQ(s["proposals"].size(), 1u);
  EXPECT_EQ(s["proposals"][0]["approvers"], nlohmann::json::array({0}));
  EXPECT_EQ(s["members"].size(), 4u);

  ASSERT_EQ(hc("consortium approve" + as_member(1) + " --proposal " + proposal), 0) << err_;
  ASSERT_EQ(hc("consortium approve" + as_member(2) + " --proposal " + proposal), 0) << err_;
  EXPECT_NE(out_.find("accepted (replica id 4)"), std::string::npos) << out_;
  s = status_json();
  EXPECT_EQ(s["members"].size(), 5u);
  EXPECT_EQ(s["members"][4]["name"], "hospital-e");
  ASSERT_EQ(s["changes"].size(), 1u);
  EXPECT_EQ(s["changes"][0]["members"], nlohmann::json::array({0, 1, 2, 3, 4}));
  EXPECT_TRUE(s["proposals"].empty());

  ASSERT_EQ(hc("consortium leave" + as_member(3)), 0) << err_;
  s = status_json();
  EXPECT_EQ(s["members"].size(), 4u);
  EXPECT_EQ(s["changes"].size(), 2u);
  ASSERT_EQ(hc("consortium status" + common()), 0);
  EXPECT_NE(out_.find("4 members, a change needs 3 approvals"), std::string::npos) << out_;
  // Now at 4: a further exit is refused.
  EXPECT_EQ(hc("consortium leave" + as_member(0)), 2);
  EXPECT_NE(err_.find("at least 4 needed"), std::string::npos) << err_;
}

}  // namespace
}  // namespace hc::cli
