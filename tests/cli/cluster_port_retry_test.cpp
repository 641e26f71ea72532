// `hc cluster up` moving a local cluster to new ports when a node's port was taken between the
// pick and its bind (cli/cluster_port_retry.h): the node.json files rewritten consistently and
// nothing else in them changed, a bounded number of attempts with a clear message, and any
// other exit reported at once. hc-node is a stand-in script here that exits with a chosen code
// (tests/cli/cluster_e2e_test.cpp has the real race, with real nodes).
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "cli/cluster_port_retry.h"
#include "cli/cluster_setup.h"
#include "common/file_io.h"
#include "node/config.h"
#include "node/exit_codes.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

const SecureBytes& retry_passphrase() {
  static const SecureBytes kPass{std::string_view("port-retry-passphrase")};
  return kPass;
}

// One cluster generated for the suite (generation costs seconds); each test reads its
// node.json files as they are when it starts.
class PortRetry : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    ClusterOptions o;
    o.dir = dir_->path() / "c";
    o.nodes = 4;
    o.plain_http = true;
    o.key_scrypt.log2_n = groupsig::kMinScryptLog2N;
    auto plan = generate_cluster(o, retry_passphrase());
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();
    plan_ = new ClusterPlan(std::move(*plan));
  }
  static void TearDownTestSuite() {
    delete plan_;
    delete dir_;
    plan_ = nullptr;
    dir_ = nullptr;
  }

  // A stand-in hc-node in `dir`: started as st-mary, it copies its config to
  // dir/seen-<pid>.json and exits with `exit_code`; started as any other node, it waits (up to
  // 30 s) to be stopped, as a node that came up would.
  static fs::path write_exiting_node(const fs::path& dir, int exit_code) {
    fs::path script = dir / "hc-node";
    std::ofstream out(script);
    out << "#!/bin/sh\n"
           "case \"$2\" in */st-mary/*)\n"
           "  cp \"$2\" '" << dir.string() << "'/seen-$$.json\n"
           "  exit " << exit_code << ";;\n"
           "esac\n"
           "i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n";
    out.close();
    fs::permissions(script, fs::perms::owner_all);
    return script;
  }

  // The configs st-mary was started with, one per start.
  static std::vector<node::NodeConfig> seen_configs(const fs::path& dir) {
    std::vector<node::NodeConfig> seen;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename().string().rfind("seen-", 0) != 0) continue;
      auto config = node::load_node_config(entry.path());
      EXPECT_TRUE(config.ok()) << config.status().to_string();
      if (config.ok()) seen.push_back(std::move(*config));
    }
    return seen;
  }

  static std::vector<node::NodeConfig> load_configs() {
    std::vector<node::NodeConfig> configs;
    for (const ClusterNodePlan& n : plan_->nodes) {
      auto config = node::load_node_config(n.config_file);
      EXPECT_TRUE(config.ok()) << config.status().to_string();
      if (config.ok()) configs.push_back(std::move(*config));
    }
    return configs;
  }

  static test::TempDir* dir_;
  static ClusterPlan* plan_;
};
test::TempDir* PortRetry::dir_ = nullptr;
ClusterPlan* PortRetry::plan_ = nullptr;

TEST_F(PortRetry, MovingPortsRewritesEveryConfigAndNothingElse) {
  std::vector<node::NodeConfig> before = load_configs();
  ASSERT_EQ(before.size(), 4u);
  std::set<std::uint16_t> old_ports;
  for (const ClusterNodePlan& n : plan_->nodes) old_ports.insert({n.listen_port, n.api_port});
  ASSERT_TRUE(move_cluster_ports(*plan_, 0).ok());
  std::vector<node::NodeConfig> after = load_configs();
  ASSERT_EQ(after.size(), 4u);
  std::set<std::uint16_t> new_ports;
  for (std::size_t i = 0; i < after.size(); ++i) {
    const ClusterNodePlan& n = plan_->nodes[i];
    EXPECT_EQ(after[i].listen_port, n.listen_port);
    EXPECT_EQ(after[i].api_port, n.api_port);
    for (const node::PeerConfig& peer : after[i].peers) {
      EXPECT_EQ(peer.port, plan_->nodes[peer.id].listen_port) << n.name << " peer " << peer.id;
    }
    new_ports.insert({n.listen_port, n.api_port});
    // Everything but the ports is as generate_cluster wrote it (paths resolve to the same files).
    node::NodeConfig expected = before[i];
    expected.listen_port = n.listen_port;
    expected.api_port = n.api_port;
    for (node::PeerConfig& peer : expected.peers) peer.port = plan_->nodes[peer.id].listen_port;
    EXPECT_EQ(node::node_config_to_json(after[i]), node::node_config_to_json(expected)) << n.name;
  }
  EXPECT_EQ(new_ports.size(), 8u);
  EXPECT_NE(new_ports, old_ports);
  // The paths stay relative in the file, as generate_cluster writes them.
  auto text = read_text_file(plan_->nodes[0].config_file, 1 << 20);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("\"../../genesis.json\""), std::string::npos) << *text;
}

TEST_F(PortRetry, TakenPortsMoveTheClusterAtMostMaxAttemptsTimes) {
  test::TempDir fake;
  fs::path binary = write_exiting_node(fake.path(), node::kExitPortInUse);
  ClusterState state = new_cluster_state(*plan_);
  std::vector<std::string> said;
  Status s = start_new_cluster(*plan_, state, binary, retry_passphrase(), 0, std::chrono::seconds(20),
                               ClusterStartReport{[&](const std::string& line) { said.push_back(line); }, [] {},
                                                  [](std::size_t, std::size_t, long) {}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("taken by other processes on " + std::to_string(kMaxPortAttempts) + " attempts"),
            std::string::npos)
      << s.message();
  // st-mary was started once per attempt, each time with that attempt's node.json: new ports,
  // its peers' addresses following them.
  const std::vector<node::NodeConfig> seen = seen_configs(fake.path());
  ASSERT_EQ(seen.size(), kMaxPortAttempts);
  std::set<std::uint16_t> st_mary_api_ports;
  for (const node::NodeConfig& config : seen) {
    st_mary_api_ports.insert(config.api_port);
    for (const node::PeerConfig& peer : config.peers) {
      if (peer.id == config.node_id) {
        EXPECT_EQ(peer.port, config.listen_port);
      }
    }
  }
  EXPECT_EQ(st_mary_api_ports.size(), kMaxPortAttempts) << "a new port on every attempt";
  std::size_t moves = 0;
  for (const std::string& line : said) moves += line.find("moving the cluster to new ports") != std::string::npos;
  EXPECT_EQ(moves, kMaxPortAttempts - 1);
  // cluster.json follows the last move.
  auto saved = load_cluster_state(plan_->dir);
  ASSERT_TRUE(saved.ok());
  for (std::size_t i = 0; i < saved->nodes.size(); ++i) EXPECT_EQ(saved->nodes[i].api_url, plan_->nodes[i].api_url());
}

TEST_F(PortRetry, AnyOtherExitIsReportedAtOnceWithoutMovingPorts) {
  test::TempDir fake;
  fs::path binary = write_exiting_node(fake.path(), node::kExitLocalFailure);
  std::vector<node::NodeConfig> before = load_configs();
  ClusterState state = new_cluster_state(*plan_);
  Status s = start_new_cluster(*plan_, state, binary, retry_passphrase(), 0, std::chrono::seconds(20),
                               ClusterStartReport{[](const std::string&) {}, [] {}, [](std::size_t, std::size_t, long) {}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("exited during startup"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("taken"), std::string::npos) << s.message();
  EXPECT_EQ(seen_configs(fake.path()).size(), 1u) << "one attempt only";
  std::vector<node::NodeConfig> after = load_configs();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(node::node_config_to_json(after[i]), node::node_config_to_json(before[i]));
  }
}

}  // namespace
}  // namespace hc::cli
