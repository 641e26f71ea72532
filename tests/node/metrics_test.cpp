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
  std::string text = m.render(MetricsAudience::kOperator);
  EXPECT_NE(text.find("# TYPE hc_blocks_committed_total counter\nhc_blocks_committed_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE hc_mempool_txs gauge\nhc_mempool_txs 7\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_bucket{le=\"0.001\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_bucket{le=\"0.01\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hc_groupsig_verify_seconds_count 1\n"), std::string::npos);
}

}  // namespace
}  // namespace hc::node

namespace hc::node {
namespace {

TEST(MetricsTest, LabelledSamplesShareOneFamilyHeader) {
  Metrics m;
  m.add_counter("hc_api_requests_total{status=\"200\"}", "API requests by status");
  m.add_counter("hc_api_requests_total{status=\"404\"}", "API requests by status", 2);
  std::string text = m.render(MetricsAudience::kOperator);
  EXPECT_EQ(text,
            "# HELP hc_api_requests_total API requests by status\n# TYPE hc_api_requests_total counter\n"
            "hc_api_requests_total{status=\"200\"} 1\nhc_api_requests_total{status=\"404\"} 2\n");
}

}  // namespace
}  // namespace hc::node

namespace hc::node {
namespace {

TEST(MetricsTest, LabelledHistogramsRenderLabelsInsideEverySample) {
  Metrics m;
  m.observe_seconds("hc_api_request_seconds{route=\"GET /v1/status\"}", "API latency by route", 0.003);
  m.observe_seconds("hc_api_request_seconds{route=\"GET /v1/health\"}", "API latency by route", 2.0);
  std::string text = m.render(MetricsAudience::kOperator);
  EXPECT_EQ(text.find("# TYPE hc_api_request_seconds histogram"), text.rfind("# TYPE hc_api_request_seconds histogram"));
  EXPECT_NE(text.find("hc_api_request_seconds_bucket{route=\"GET /v1/status\",le=\"0.005\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("hc_api_request_seconds_bucket{route=\"GET /v1/health\",le=\"1\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("hc_api_request_seconds_bucket{route=\"GET /v1/health\",le=\"2.5\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hc_api_request_seconds_count{route=\"GET /v1/health\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("hc_api_request_seconds_sum{route=\"GET /v1/status\"} 0.003"), std::string::npos);
}

}  // namespace
}  // namespace hc::node

namespace hc::node {
namespace {

// Issue 14, item 3: what only the node a record was submitted to counts (its API's answers,
// hc_records_submitted_total, the commit latency from acceptance, relayed transactions it
// checked) is left out of the public rendering and kept for the operator.
TEST(MetricsTest, PublicRenderingLeavesOutWhatOnlyTheSubmittingNodeCounts) {
  Metrics m;
  m.add_counter("hc_records_submitted_total", "Records accepted from doctors");
  m.add_counter("hc_api_requests_total{status=\"202\"}", "API requests by status");
  m.observe_seconds("hc_api_request_seconds{route=\"POST /v1/records\"}", "API latency by route", 0.01);
  m.observe_seconds("hc_commit_latency_seconds", "From acceptance to commit", 0.2);
  m.set_counter("hc_relayed_txs_checked_total", "Relayed transactions checked", 3);
  m.add_counter("hc_transactions_committed_total", "Transactions committed");
  m.set_gauge("hc_height", "Height", 4);
  const std::string shown = m.render(MetricsAudience::kPublic);
  for (const char* hidden : {"hc_records_submitted", "hc_api_", "hc_commit_latency", "hc_relayed_txs_checked"}) {
    EXPECT_EQ(shown.find(hidden), std::string::npos) << hidden << " in\n" << shown;
  }
  EXPECT_NE(shown.find("\nhc_transactions_committed_total 1\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\nhc_height 4\n"), std::string::npos) << shown;
  const std::string operator_view = m.render(MetricsAudience::kOperator);
  for (const char* kept : {"\nhc_records_submitted_total 1\n", "hc_api_requests_total{status=\"202\"} 1\n",
                           "hc_commit_latency_seconds_count 1\n", "\nhc_relayed_txs_checked_total 3\n"}) {
    EXPECT_NE(operator_view.find(kept), std::string::npos) << kept << " missing from\n" << operator_view;
  }
}

// The explorer's latency chart (docs/web.md, "The public explorer") reads the block commit
// latency without a token: every replica moves it alike (proposal to commit, whichever node
// the block's records came from), so it is public, unlike the latency from acceptance.
TEST(MetricsTest, BlockCommitLatencyIsPublic) {
  EXPECT_FALSE(metric_is_operator_only("hc_block_commit_latency_seconds"));
  EXPECT_TRUE(metric_is_operator_only("hc_commit_latency_seconds"));
  // The origin checks none of its own stem records: these would name it (issue 18 item 4).
  EXPECT_TRUE(metric_is_operator_only("hc_stem_records_checked_total"));
  EXPECT_TRUE(metric_is_operator_only("hc_stem_check_batches_total"));
  EXPECT_TRUE(metric_is_operator_only("hc_records_resigned_total")) << "it counts this node's own records";
  EXPECT_TRUE(metric_is_operator_only("hc_records_resign_dropped_total"));
  Metrics m;
  m.observe_seconds("hc_block_commit_latency_seconds", "From proposal to commit", 0.05);
  const std::string shown = m.render(MetricsAudience::kPublic);
  EXPECT_NE(shown.find("\nhc_block_commit_latency_seconds_count 1\n"), std::string::npos) << shown;
}

// A declared histogram is rendered before its first observation (zero counts), and declaring
// it again keeps what it observed.
TEST(MetricsTest, DeclaredHistogramIsRenderedEmptyAndKeepsItsCounts) {
  Metrics m;
  m.declare_histogram("hc_block_commit_latency_seconds", "From proposal to commit");
  std::string shown = m.render(MetricsAudience::kPublic);
  EXPECT_NE(shown.find("# TYPE hc_block_commit_latency_seconds histogram\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find("\nhc_block_commit_latency_seconds_count 0\n"), std::string::npos) << shown;
  m.observe_seconds("hc_block_commit_latency_seconds", "From proposal to commit", 0.02);
  m.declare_histogram("hc_block_commit_latency_seconds", "From proposal to commit");
  shown = m.render(MetricsAudience::kPublic);
  EXPECT_NE(shown.find("\nhc_block_commit_latency_seconds_count 1\n"), std::string::npos) << shown;
}

}  // namespace
}  // namespace hc::node
