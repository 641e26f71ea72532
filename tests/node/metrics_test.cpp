#include "node/metrics.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

TEST(MetricsTest, RendersPrometheusText) {
  Metrics m;
  m.add_counter("hc_blocks_committed_total", "Committed blocks");
  m.add_counter("hc_blocks_committed_total", "Committed blocks", 2);
  m.set_gauge("hc_mempool_txs", "Pending transactions", 7);
  m.observe_seconds("hc_groupsig_verify_seconds", "Group signature verification", 0.0015);
  std::string text = m.render();
  EXPECT_NE(text.find("# TYPE hc_blocks_committed_total counter\nhc_blocks_committed_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE hc_mempool_txs gauge\nhc_mempool_txs 7\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_bucket{le=\"0.001\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_bucket{le=\"0.01\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_count 1\n"), std::string::npos);
}

}  // namespace
}  // namespace hc::node
