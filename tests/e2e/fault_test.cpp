// Crash faults on a real 4-hospital consortium (f = 1): a backup SIGKILLed mid-stream while
// the others keep committing, restarted, and caught up; then the primary SIGKILLed
// mid-stream: a view change follows and commits continue. At the end every node holds the
// same chain, every transaction acknowledged as committed is still in it, and nothing is in
// it twice.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "e2e/chain_checks.h"
#include "e2e/cluster_test.h"
#include "e2e/local_cluster.h"

namespace hc::e2e {
namespace {

constexpr std::size_t kPerPhase = kSanitized ? 6 : 24;
constexpr std::uint32_t kCommitTimeoutMs = kSanitized ? 180000 : 60000;
constexpr int kSubmitAttempts = 100;  // 200 ms apart: rides out a view change

class Faults : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    if (HasFatalFailure()) return;
    for (std::size_t p = 0; p < 4; ++p) {
      auto patient = cluster_->patient("Fault Patient " + std::to_string(p), "F-" + std::to_string(p));
      ASSERT_TRUE(patient.ok()) << patient.status().to_string();
      patients_.push_back(*patient);
    }
  }

  // Submits `count` records round-robin over `targets`; returns their transaction ids.
  std::vector<std::string> submit(std::size_t count, const std::vector<std::uint32_t>& targets) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < count; ++i) {
      std::uint32_t node = targets[i % targets.size()];
      auto sealed = cluster_->seal(patients_[next_ % patients_.size()], "fault visit " + std::to_string(next_));
      ++next_;
      EXPECT_TRUE(sealed.ok()) << sealed.status().to_string();
      if (!sealed.ok()) return ids;
      auto id = submit_with_retry(cluster_->doctor(node), *sealed, kSubmitAttempts);
      EXPECT_TRUE(id.ok()) << cluster_->nodes()[node].name << ": " << id.status().to_string();
      if (!id.ok()) return ids;
      ids.push_back(*id);
    }
    return ids;
  }

  // Waits until `via` reports every id committed, then counts them as acknowledged.
  void commit(std::uint32_t via, const std::vector<std::string>& ids) {
    Status s = wait_all_committed(cluster_->anonymous(via), ids, kCommitTimeoutMs);
    ASSERT_TRUE(s.ok()) << "via " << cluster_->nodes()[via].name << ": " << s.to_string();
    acknowledged_.insert(acknowledged_.end(), ids.begin(), ids.end());
  }

  std::uint64_t height_of(std::uint32_t node) {
    auto st = node_status(cluster_->nodes()[node].api_url);
    EXPECT_TRUE(st.ok()) << st.status().to_string();
    return st.ok() ? st->at("height").get<std::uint64_t>() : 0;
  }

  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const ClusterNode& n : cluster_->nodes()) out.push_back(n.api_url);
    return out;
  }

  std::vector<Patient> patients_;
  std::size_t next_ = 0;
  std::vector<std::string> acknowledged_;
};

std::vector<std::uint32_t> all_but(std::uint32_t skip) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < 4; ++i) {
    if (i != skip) out.push_back(i);
  }
  return out;
}

// True once the node's API stops answering (SIGKILL is asynchronous), within timeout_ms.
bool stops_answering(const std::string& api_url, std::uint32_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (node_status(api_url).ok()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Waits (bounded) until every listed node reports a view above `view`; returns the lowest seen.
std::uint64_t wait_view_above(const LocalCluster& cluster, const std::vector<std::uint32_t>& nodes,
                              std::uint64_t view, std::uint32_t timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::uint64_t lowest = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    lowest = UINT64_MAX;
    for (std::uint32_t n : nodes) {
      auto st = node_status(cluster.nodes()[n].api_url);
      lowest = std::min<std::uint64_t>(lowest, st.ok() ? st->at("view").get<std::uint64_t>() : 0);
    }
    if (lowest > view) return lowest;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return lowest;
}

TEST_F(Faults, BackupAndPrimaryCrashesLoseNothingAndDuplicateNothing) {
  const auto& nodes = cluster_->nodes();
  auto st = node_status(nodes[0].api_url);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const std::uint32_t primary = st->at("primary").get<std::uint32_t>();
  const std::uint64_t view0 = st->at("view").get<std::uint64_t>();
  const std::uint32_t backup = (primary + 2) % 4;

  // A backup crashes mid-stream; the other three keep committing.
  std::vector<std::uint32_t> live = all_but(backup);
  std::vector<std::string> before = submit(kPerPhase / 2, live);
  ASSERT_TRUE(cluster_->stop_node(nodes[backup].name).ok());
  std::vector<std::string> after = submit(kPerPhase / 2, live);
  ASSERT_NO_FATAL_FAILURE(commit(primary, before));
  ASSERT_NO_FATAL_FAILURE(commit(primary, after));
  EXPECT_TRUE(stops_answering(nodes[backup].api_url, 5000)) << "the stopped backup still answers";

  // It restarts and catches up while records keep coming, some through it.
  ASSERT_TRUE(cluster_->start_node(nodes[backup].name).ok());
  ASSERT_NO_FATAL_FAILURE(commit(primary, submit(kPerPhase / 2, {0, 1, 2, 3})));
  auto caught_up = wait_converged(urls(), height_of(primary), 60000);
  ASSERT_TRUE(caught_up.ok()) << caught_up.status().to_string();
  std::cerr << "backup " << nodes[backup].name << " restarted and caught up at height " << *caught_up << "\n";

  // The primary crashes mid-stream: a view change follows and commits continue.
  st = node_status(nodes[backup].api_url);
  ASSERT_TRUE(st.ok());
  const std::uint32_t old_primary = st->at("primary").get<std::uint32_t>();
  std::vector<std::uint32_t> backups = all_but(old_primary);
  before = submit(kPerPhase / 2, backups);
  ASSERT_TRUE(cluster_->stop_node(nodes[old_primary].name).ok());
  EXPECT_TRUE(stops_answering(nodes[old_primary].api_url, 5000)) << "the stopped primary still answers";
  after = submit(kPerPhase / 2, backups);
  std::uint64_t view = wait_view_above(*cluster_, backups, view0, 60000);
  EXPECT_GT(view, view0) << "no view change after the primary crashed";
  std::cerr << "primary " << nodes[old_primary].name << " killed; backups moved to view " << view << "\n";
  ASSERT_NO_FATAL_FAILURE(commit(backups[0], before));
  ASSERT_NO_FATAL_FAILURE(commit(backups[0], after));
  for (std::uint32_t n : backups) {
    auto s = node_status(nodes[n].api_url);
    ASSERT_TRUE(s.ok());
    EXPECT_NE(s->at("primary").get<std::uint32_t>(), old_primary) << nodes[n].name;
  }

  // The old primary returns; all four converge on one chain holding everything once.
  ASSERT_TRUE(cluster_->start_node(nodes[old_primary].name).ok());
  ASSERT_NO_FATAL_FAILURE(commit(backups[0], submit(kPerPhase / 2, {0, 1, 2, 3})));
  auto height = wait_converged(urls(), height_of(backups[0]), 60000);
  ASSERT_TRUE(height.ok()) << height.status().to_string();
  std::vector<ChainBlock> chain = read_identical_chains(*cluster_, *height);
  ASSERT_EQ(chain.size(), *height);
  EXPECT_EQ(acknowledged_.size(), 6 * (kPerPhase / 2));  // six batches
  expect_each_once(chain, acknowledged_);
  for (std::uint32_t n = 0; n < 4; ++n) {
    auto s = cluster_->anonymous(n).tx_status(acknowledged_.front());
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->status, "committed") << nodes[n].name;
  }
}

}  // namespace
}  // namespace hc::e2e
