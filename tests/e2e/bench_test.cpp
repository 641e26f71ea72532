// `hc bench` against a real 4-hospital consortium: a short, slow run must commit every record
// it offers, write one CSV row per committed record (unique transaction ids, submission before
// commit, latency = commit - submission) and report throughput and the verification bound (its
// cost timed on a node's ledger after the run);
// every id in the CSV is committed on another node too. It checks the tool's accounting, not
// the machine's speed (speed is what the tool itself reports: README, Benchmarks).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/local_cluster.h"
#include "support/temp_dir.h"

namespace hc::e2e {
namespace {

constexpr int kRate = 10;
constexpr int kSeconds = 2;

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, sep)) out.push_back(field);
  return out;
}

TEST(BenchEndToEnd, ShortRunCommitsEveryRecordAndAccountsForEach) {
  test::TempDir dir;
  auto cluster = LocalCluster::up(dir.path() / "c", 4);
  ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
  const std::string csv = (dir.path() / "bench.csv").string();
  auto out = (*cluster)->hc_output("bench --dir " + shell_quoted((*cluster)->dir().string()) + " --rate " +
                                   std::to_string(kRate) + " --duration " + std::to_string(kSeconds) +
                                   " --csv " + shell_quoted(csv));
  ASSERT_TRUE(out.ok()) << out.status().to_string() << (*cluster)->log_tails(20);
  EXPECT_NE(out->find(std::to_string(kRate * kSeconds) + " committed, 0 rejected, 0 not committed"),
            std::string::npos) << *out;
  EXPECT_NE(out->find("throughput "), std::string::npos) << *out;
  // The bound's verification cost is timed on node 0's ledger after the run: every record the
  // run committed is among the signatures timed, and the cost is a positive figure.
  const std::size_t bound_at = out->find("group-signature verification bound: ");
  ASSERT_NE(bound_at, std::string::npos) << *out;
  const std::size_t ms_at = out->find("replicas x ", bound_at);
  const std::size_t timed_at = out->find("measured in this run: ", bound_at);
  ASSERT_NE(ms_at, std::string::npos) << *out;
  ASSERT_NE(timed_at, std::string::npos) << *out;
  EXPECT_GT(std::stod(out->substr(ms_at + 11)), 0.0) << *out;
  EXPECT_GE(std::stoul(out->substr(timed_at + 22)), static_cast<unsigned long>(kRate * kSeconds)) << *out;

  std::ifstream in(csv);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line, "tx_id,node,submitted_ms,committed_ms,latency_ms");
  std::set<std::string> ids, nodes;
  while (std::getline(in, line)) {
    auto f = split(line, ',');
    ASSERT_EQ(f.size(), 5u) << line;
    EXPECT_EQ(f[0].size(), 64u) << line;
    EXPECT_TRUE(ids.insert(f[0]).second) << "duplicate " << f[0];
    nodes.insert(f[1]);
    double submitted = std::stod(f[2]), committed = std::stod(f[3]), latency = std::stod(f[4]);
    EXPECT_GE(submitted, 0.0);
    EXPECT_GT(committed, submitted) << line;
    EXPECT_NEAR(latency, committed - submitted, 0.01) << line;
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kRate * kSeconds));
  EXPECT_EQ(nodes.size(), 4u);  // round-robin over every hospital

  client::NodeClient other = (*cluster)->anonymous(3);
  for (const auto& id : ids) {
    auto st = other.tx_status(id);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    EXPECT_EQ(st->status, "committed") << id;
  }
}

}  // namespace
}  // namespace hc::e2e
