// Issue 12, item 3: a node must never be a zombie (up, looking healthy, out of consensus).
//  - A replica whose write-ahead-log snapshot fails halts: it reports itself unhealthy and
//    exits, instead of staying up with consensus dead (`fatal_` used to be checked only at
//    the next delivery, which never came).
//  - A node started with a low descriptor limit, flooded with connections that never finish
//    the peer handshake or an HTTP request, keeps committing (or, failing that, reports
//    itself unhealthy and exits): pending handshakes and API connections are bounded under
//    its RLIMIT_NOFILE, and the acceptors back off instead of spinning.
// Real hc-node processes on 127.0.0.1; every loop is bounded in count and time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "e2e/attack_support.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"
#include "net/http_client.h"
#include "node/config.h"

namespace hc::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kVictim = 3;
constexpr std::uint64_t kBlocksPastTwoCheckpoints = 2 * 16 + 4;  // checkpoint interval K = 16
constexpr std::size_t kMaxRecords = 120;
constexpr auto kGrowthDeadline = std::chrono::seconds(kSanitized ? 400 : 150);

class Zombie : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    if (HasFatalFailure()) return;
    auto patient = cluster_->patient("Zombie Patient", "Z-1");
    ASSERT_TRUE(patient.ok()) << patient.status().to_string();
    patient_ = *patient;
  }

  // Submits records to nodes 0..2 until node 0's chain grew by `blocks` (bounded by
  // kMaxRecords and kGrowthDeadline); `between` runs after each record. Returns the growth.
  template <typename Between>
  std::uint64_t grow_chain(std::uint64_t blocks, Between between) {
    const std::string url0 = cluster_->nodes()[0].api_url;
    const std::uint64_t start = height_of(url0).value_or(0);
    const auto deadline = Clock::now() + kGrowthDeadline;
    std::uint64_t now = start;
    for (std::size_t i = 0; i < kMaxRecords && now < start + blocks && Clock::now() < deadline; ++i) {
      auto sealed = cluster_->seal(patient_, "zombie visit " + std::to_string(next_++));
      EXPECT_TRUE(sealed.ok()) << sealed.status().to_string();
      if (!sealed.ok()) break;
      auto id = submit_with_retry(cluster_->doctor(static_cast<std::uint32_t>(i % 3)), *sealed, 50);
      EXPECT_TRUE(id.ok()) << id.status().to_string();
      if (!id.ok()) break;
      Status committed = wait_all_committed(cluster_->anonymous(0), {*id}, 60000);
      EXPECT_TRUE(committed.ok()) << committed.to_string();
      if (!committed.ok()) break;
      between();
      now = height_of(url0).value_or(now);
    }
    return now - start;
  }

  fs::path data_dir(std::uint32_t node) const {
    auto config = node::load_node_config(cluster_->nodes()[node].config_file);
    EXPECT_TRUE(config.ok()) << config.status().to_string();
    return config.ok() ? config->data_dir : fs::path();
  }

  // Waits (bounded) until the process is gone.
  static bool exits_within(std::int64_t pid, std::chrono::seconds limit) {
    auto deadline = Clock::now() + limit;
    while (process_running(pid) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return !process_running(pid);
  }

  Patient patient_;
  std::size_t next_ = 0;
};

// Regression: a failed WAL snapshot latched the driver's fatal status, which was only looked
// at when a block was delivered, and none ever was again: the process stayed up, answered
// /v1/status as before, and took no part in consensus.
TEST_F(Zombie, ReplicaWhoseLogSnapshotFailsReportsUnhealthyAndExits) {
  const ClusterNode& victim = cluster_->nodes()[kVictim];
  auto pid = cluster_->node_pid(victim.name);
  ASSERT_TRUE(pid.has_value());
  // Appends still go to the open log; the next snapshot cannot rename over a directory.
  const fs::path wal = data_dir(kVictim) / "consensus.wal";
  ASSERT_TRUE(fs::exists(wal));
  fs::rename(wal, wal.string() + ".moved");
  fs::create_directories(wal);
  std::ofstream(wal / "blocker") << "x";

  bool saw_unhealthy = false;
  std::uint64_t grown = grow_chain(kBlocksPastTwoCheckpoints, [&] {
    if (saw_unhealthy) return;
    auto health = http(victim.api_url, "GET", "/v1/health");
    saw_unhealthy = health.ok() && health->status == 503;
  });
  EXPECT_GE(grown, kBlocksPastTwoCheckpoints) << "the three other replicas must keep committing";
  EXPECT_TRUE(exits_within(*pid, std::chrono::seconds(30))) << "the halted replica is still running";
  const std::string log = cluster_->node_log(victim.name);
  EXPECT_NE(log.find("node unhealthy"), std::string::npos);
  EXPECT_NE(log.find("stopped on a local failure"), std::string::npos);
  std::cout << "halted replica seen answering /v1/health 503 before it exited: " << (saw_unhealthy ? "yes" : "no")
            << "\n";
}

// Regression: with the descriptor limit lowered and 60 silent sockets, the node spun on
// EMFILE, its WAL snapshot failed, and it stayed up as a zombie.
TEST_F(Zombie, DescriptorFloodNeitherStopsCommitsNorLeavesAZombie) {
  const ClusterNode& victim = cluster_->nodes()[kVictim];
  auto old_pid = cluster_->node_pid(victim.name);
  ASSERT_TRUE(old_pid.has_value());
  const std::size_t in_use = descriptors_of(*old_pid);
  ASSERT_GT(in_use, 0u);
  // Room for what the node had open plus a little: far fewer than the flood below.
  const std::uint64_t limit = in_use + 150;
  ASSERT_TRUE(cluster_->stop_node(victim.name).ok());
  bool started = false;
  ASSERT_TRUE(with_descriptor_limit(limit, [&] { started = cluster_->start_node(victim.name).ok(); }));
  ASSERT_TRUE(started) << cluster_->node_log(victim.name);
  auto pid = cluster_->node_pid(victim.name);
  ASSERT_TRUE(pid.has_value());
  auto config = node::load_node_config(victim.config_file);
  ASSERT_TRUE(config.ok());
  auto api = net::parse_http_url(victim.api_url);
  ASSERT_TRUE(api.ok());
  // The flood comes from 127.0.0.1 like the peers: let them connect first (bounded wait).
  auto all_peers_connected = [&] {
    auto st = node_status(victim.api_url);
    if (!st.ok()) return false;
    for (const auto& p : st->at("peers")) {
      if (!p.at("connected").get<bool>()) return false;
    }
    return true;
  };
  for (auto until = Clock::now() + std::chrono::seconds(30); !all_peers_connected() && Clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  // The flood: up to 400 silent connections on each port, renewed every round so that
  // handshake and request timeouts do not relieve the node; bounded in rounds and time.
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> opened{0};
  std::thread flood([&] {
    SilentSockets peer_port(config->listen_port, 400), api_port(api->port, 400);
    for (int round = 0; round < 600 && !stop; ++round) {
      opened += peer_port.open(50);
      opened += api_port.open(50);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  std::uint64_t grown = grow_chain(kBlocksPastTwoCheckpoints, [] {});
  const std::size_t victim_descriptors = descriptors_of(*pid);
  stop = true;
  flood.join();
  EXPECT_GE(grown, kBlocksPastTwoCheckpoints);
  EXPECT_GT(opened.load(), 2 * limit) << "the flood must exceed the node's descriptor limit";

  // Either the node kept up (it converges with the others) or it halted visibly and exited.
  std::vector<std::string> urls;
  for (const ClusterNode& n : cluster_->nodes()) urls.push_back(n.api_url);
  auto converged = wait_converged(urls, 1, 60000);
  if (converged.ok()) {
    auto health = http(victim.api_url, "GET", "/v1/health");
    ASSERT_TRUE(health.ok());
    EXPECT_EQ(health->status, 200);
    std::cout << "flooded node kept committing; " << victim_descriptors << " descriptors open under a limit of "
              << limit << "; " << opened.load() << " silent connections opened\n";
  } else {
    EXPECT_TRUE(exits_within(*pid, std::chrono::seconds(30)))
        << "the flooded node neither keeps up nor exits: " << converged.status().to_string();
    EXPECT_NE(cluster_->node_log(victim.name).find("node unhealthy"), std::string::npos);
  }
}

}  // namespace
}  // namespace hc::e2e
