// `hc cluster add-node` / `remove-node` without processes: the cluster file's "left" field, the new hospital's name, the replica id space, the choice of approvers,
// which removals are refused (not in the cluster, already left, below 4 members), the --node
// argument, and the commands' refusals before anything is written or sent.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cluster_membership.h"
#include "cli/cluster_reconfigure.h"
#include "cli/cluster_setup.h"
#include "cli/cluster_state.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

ClusterState four_node_state(const fs::path& dir) {
  ClusterState s;
  for (std::uint32_t i = 0; i < 4; ++i) {
    const fs::path node_dir = dir / "nodes" / hospital_name(i);
    s.nodes.push_back(ClusterNodeState{hospital_name(i), i, "http://127.0.0.1:" + std::to_string(1 + i),
                                       node_dir / "data", node_dir / "node.json", node_dir / "node.log", 0,
                                       node_dir / "doctor.token", false});
  }
  s.manager_dir = dir / "manager";
  s.group_dir = dir / "manager/group";
  s.genesis = dir / "genesis.json";
  return s;
}

std::vector<std::uint32_t> ids_of(const std::vector<const ClusterNodeState*>& nodes) {
  std::vector<std::uint32_t> ids;
  for (const ClusterNodeState* n : nodes) ids.push_back(n->id);
  return ids;
}

TEST(ClusterMembershipStateTest, AJoinedAndALeftNodeRoundTripThroughTheClusterFile) {
  test::TempDir dir;
  ClusterState s = four_node_state(dir.path());
  s.nodes[1].left = true;
  ClusterNodeState joined = s.nodes[3];
  joined.name = "lakeside";
  joined.id = 4;
  s.nodes.push_back(joined);
  ASSERT_TRUE(save_cluster_state(dir.path(), s).ok());
  auto loaded = load_cluster_state(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(cluster_state_to_json(*loaded), cluster_state_to_json(s));
  EXPECT_TRUE(loaded->nodes[1].left);
  EXPECT_FALSE(loaded->nodes[0].left);
  EXPECT_EQ(ids_of(current_cluster_nodes(*loaded)), (std::vector<std::uint32_t>{0, 2, 3, 4}));
  // A file written before these fields existed has neither: every node current.
  const std::string text = cluster_state_to_json(four_node_state(dir.path()));
  EXPECT_EQ(text.find("\"left\""), std::string::npos);
  auto old = parse_cluster_state(text);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(current_cluster_nodes(*old).size(), 4u);
  // "left" must be a boolean.
  std::string bad = cluster_state_to_json(s);
  bad.replace(bad.find("\"left\": true"), 12, "\"left\": \"yes\"");
  auto refused = parse_cluster_state(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("\"left\""), std::string::npos) << refused.status().message();
}

TEST(ClusterMembershipTest, ANewHospitalGetsTheNextFreeNameAndABadNameIsRefused) {
  test::TempDir dir;
  ClusterState s = four_node_state(dir.path());
  EXPECT_EQ(default_new_node_name(s, 4), hospital_name(4));
  ClusterNodeState taken = s.nodes[0];
  taken.name = hospital_name(4);
  s.nodes.push_back(taken);
  const std::string next = default_new_node_name(s, 4);
  EXPECT_NE(next, hospital_name(4));
  EXPECT_TRUE(check_new_node_name(s, next).ok()) << next;
  EXPECT_TRUE(check_new_node_name(s, "hospital-e").ok());
  EXPECT_EQ(check_new_node_name(s, "st-mary").code(), ErrorCode::kAlreadyExists);
  for (const std::string& bad : {std::string(), std::string(65, 'a'), std::string("../up"), std::string(".hidden"),
                                std::string("with space"), std::string("a/b")}) {
    Status st = check_new_node_name(s, bad);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidInput) << bad;
    EXPECT_EQ(st.message().find('\n'), std::string::npos);
  }
}

TEST(ClusterMembershipTest, AJoinIsRefusedWhenTheIdSpaceIsFull) {
  EXPECT_TRUE(check_replica_id_available(4, 64).ok());
  EXPECT_TRUE(check_replica_id_available(63, 64).ok());
  Status full = check_replica_id_available(64, 64);
  EXPECT_EQ(full.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(full.message().find("every replica id below 64"), std::string::npos) << full.message();
}

TEST(ClusterMembershipTest, ApproversAreCurrentLocalMembersLowestIdsFirst) {
  test::TempDir dir;
  ClusterState s = four_node_state(dir.path());
  auto three = choose_approvers(s, {0, 1, 2, 3}, 3);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(ids_of(*three), (std::vector<std::uint32_t>{0, 1, 2}));
  s.nodes[0].left = true;  // a node that left never approves, even if the chain lists it
  auto without_left = choose_approvers(s, {0, 1, 2, 3}, 3);
  ASSERT_TRUE(without_left.ok());
  EXPECT_EQ(ids_of(*without_left), (std::vector<std::uint32_t>{1, 2, 3}));
  // Node 2 is no member of the chain (it left there): it cannot approve either.
  auto too_few = choose_approvers(s, {1, 3, 9}, 3);
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.status().message().find("needs 3 approvals but only 2"), std::string::npos)
      << too_few.status().message();
}

TEST(ClusterMembershipTest, RemovalNeedsACurrentMemberAndLeavesAtLeastFour) {
  test::TempDir dir;
  ClusterState s = four_node_state(dir.path());
  ClusterNodeState fifth = s.nodes[3];
  fifth.name = "lakeside";
  fifth.id = 4;
  s.nodes.push_back(fifth);
  EXPECT_TRUE(check_removal(s, 4, {0, 1, 2, 3, 4}).ok());
  EXPECT_TRUE(check_removal(s, 0, {0, 1, 2, 3, 4}).ok());
  Status below = check_removal(s, 4, {1, 2, 3, 4});
  EXPECT_EQ(below.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(below.message().find("fewer than 4"), std::string::npos) << below.message();
  Status unknown = check_removal(s, 7, {0, 1, 2, 3, 4});
  EXPECT_NE(unknown.message().find("no node with id 7 in this cluster (ids: 0, 1, 2, 3, 4)"), std::string::npos)
      << unknown.message();
  Status not_member = check_removal(s, 2, {0, 1, 3, 4, 5});
  EXPECT_NE(not_member.message().find("is not a member"), std::string::npos) << not_member.message();
  s.nodes[4].left = true;
  EXPECT_EQ(check_removal(s, 4, {0, 1, 2, 3, 4}).code(), ErrorCode::kInvalidInput);
  auto found = find_cluster_node_by_id(s, 4);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ((*found)->name, "lakeside");
  EXPECT_EQ(find_cluster_node_by_id(s, 9).status().code(), ErrorCode::kNotFound);
}

TEST(ClusterMembershipTest, NodeIdArgumentIsADecimalReplicaId) {
  auto four = parse_node_id("4");
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(*four, 4u);
  EXPECT_EQ(*parse_node_id("255"), 255u);
  for (const char* bad : {"", "abc", "-1", "256", "1000", "4 ", "0x4"}) {
    auto r = parse_node_id(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--node must be a replica id"), std::string::npos);
  }
}

TEST(ClusterReconfigureTest, CommandsRefuseAMissingClusterOrAnUnknownNodeBeforeActing) {
  test::TempDir dir;
  const SecureBytes pass(std::string("cluster-membership-test"));
  std::vector<std::string> lines;
  auto progress = [&](const std::string& line) { lines.push_back(line); };
  AddNodeRequest add;
  add.dir = dir / "nothing-here";
  Status no_cluster = add_cluster_node(add, pass, progress);
  EXPECT_EQ(no_cluster.code(), ErrorCode::kNotFound);
  EXPECT_NE(no_cluster.message().find("no cluster in"), std::string::npos) << no_cluster.message();
  // A cluster file whose nodes do not run: an unknown id is refused before any node is asked,
  // and the file is left as it was.
  ClusterState s = four_node_state(dir.path());
  ASSERT_TRUE(save_cluster_state(dir.path(), s).ok());
  const std::string before = cluster_state_to_json(s);
  RemoveNodeRequest remove;
  remove.dir = dir.path();
  remove.node_id = 9;
  Status unknown = remove_cluster_node(remove, pass, progress);
  EXPECT_EQ(unknown.code(), ErrorCode::kNotFound);
  EXPECT_NE(unknown.message().find("no node with id 9"), std::string::npos) << unknown.message();
  // A known id, but no node answers: kUnavailable, nothing written.
  remove.node_id = 3;
  Status unreachable = remove_cluster_node(remove, pass, progress);
  EXPECT_EQ(unreachable.code(), ErrorCode::kUnavailable) << unreachable.to_string();
  auto after = load_cluster_state(dir.path());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(cluster_state_to_json(*after), before);
  // An HTTPS cluster is no longer refused as such (a joined node serves HTTPS with the CA of its
  // join request); this one's nodes and genesis are missing, so nothing is written either.
  ClusterState https = s;
  for (ClusterNodeState& n : https.nodes) n.api_url.replace(0, 4, "https");
  ASSERT_TRUE(save_cluster_state(dir.path(), https).ok());
  add.dir = dir.path();
  Status refused = add_cluster_node(add, pass, progress);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.message().find("--plain-http"), std::string::npos) << refused.message();
  EXPECT_FALSE(fs::exists(dir / "nodes"));
  EXPECT_TRUE(lines.empty());
}

}  // namespace
}  // namespace hc::cli
