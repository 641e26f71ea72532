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

namespace hc::node {
namespace {

TEST(MetricsTest, LabelledSamplesShareOneFamilyHeader) {
  Metrics m;
  m.add_counter("hc_api_requests_total{status=\"200\"}", "API requests by status");
  m.add_counter("hc_api_requests_total{status=\"404\"}", "API requests by status", 2);
  std::string text = m.render();
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
  std::string text = m.render();
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
