// The projection's CPU model for group signatures (sim/group_verify_cost.h): the batch cost
// curve, the per-block model against the per-transaction one, and the counters the
// projection reports (docs/consensus.md, "Projection of the paper's Figures 9 and 10").
#include <gtest/gtest.h>

#include "sim/group_verify_cost.h"
#include "sim/projection.h"

namespace hc::sim {
namespace {

TEST(BatchCostCurve, InterpolatesLinearlyAndIsFlatBeyondItsPoints) {
  auto curve = parse_batch_cost_curve("1:1400,10:500,100:300");
  ASSERT_TRUE(curve.ok()) << curve.status().message();
  EXPECT_DOUBLE_EQ(curve.value().per_signature_us(1), 1400);
  EXPECT_DOUBLE_EQ(curve.value().per_signature_us(10), 500);
  EXPECT_DOUBLE_EQ(curve.value().per_signature_us(55), 400);
  EXPECT_DOUBLE_EQ(curve.value().per_signature_us(400), 300);
  EXPECT_DOUBLE_EQ(curve.value().batch_us(100), 30000);
  EXPECT_DOUBLE_EQ(curve.value().batch_us(0), 0);
}

TEST(BatchCostCurve, RefusesMalformedCurvesWithAReason) {
  for (const char* bad : {"", "1400", "0:100", "1:0", "1:-5", "10:100,5:200", "10:100,10:90", "1:x", "a:1",
                          "1:100,"}) {
    auto curve = parse_batch_cost_curve(bad);
    ASSERT_FALSE(curve.ok()) << bad;
    EXPECT_FALSE(curve.status().message().empty()) << bad;
  }
}

ProjectionParams small_projection() {
  ProjectionParams p;
  p.cpu.sign_us = 24;
  p.cpu.verify_us = 60;
  p.cpu.group_verify_us = 1424;
  p.cpu.per_event_us = 2;
  p.cpu.per_byte_ns = 0.5;
  p.net.base_latency_us = 100;
  p.net.jitter_mean_us = 50;
  p.duration_ms = 1500;
  p.offered_tx_per_s = 1500;
  return p;
}

TEST(Projection, PerTransactionModelChargesEachReplicaOneVerificationPerTransaction) {
  const ProjectionRow row = project_one(small_projection(), 4);
  ASSERT_TRUE(row.ok);
  ASSERT_GT(row.throughput_tx_per_s, 0);
  // Every replica checks every submitted transaction once; a few are still pending at the end.
  EXPECT_NEAR(row.backup_per_tx.group_verify_us, 1424, 1424 * 0.1);
  EXPECT_NEAR(row.primary_per_tx.group_verify_us, 1424, 1424 * 0.1);
  // The group signatures are what saturates: the CPUs are nearly always busy, never above 1.
  EXPECT_GT(row.backup_busy, 0.8);
  EXPECT_LE(row.backup_busy, 1.0);
  EXPECT_LE(row.primary_busy, 1.0);
  // Ed25519: about 2n verifications and 2 signatures per block, shared by its transactions.
  EXPECT_GT(row.backup_per_tx.sign_us + row.backup_per_tx.verify_us, 0);
  // The primary sends every block to the n-1 others; a backup sends only votes.
  EXPECT_GT(row.primary_per_tx.send_us, row.backup_per_tx.send_us);
  EXPECT_GT(row.primary_queue_max_txs, 0u);
}

TEST(Projection, PerBlockModelChargesTheBatchCurve) {
  ProjectionParams flat = small_projection();
  flat.cpu.group_model = GroupVerifyModel::kPerBlock;
  flat.cpu.group_batch = parse_batch_cost_curve("1:350").value();
  const ProjectionRow row = project_one(flat, 4);
  ASSERT_TRUE(row.ok);
  // A flat curve: every committed transaction costs each replica 350 us, once.
  EXPECT_NEAR(row.backup_per_tx.group_verify_us, 350, 350 * 0.1);
  EXPECT_NEAR(row.primary_per_tx.group_verify_us, 350, 350 * 0.1);

  const ProjectionRow per_tx = project_one(small_projection(), 4);
  ASSERT_TRUE(per_tx.ok);
  EXPECT_GT(row.throughput_tx_per_s, per_tx.throughput_tx_per_s);
}

// The paper's range: the projection's configuration once failed config.validate() (an abort)
// from n = 30 on, whose NEW-VIEW budget outgrew the frame bound.
TEST(Projection, RegressionRunsAtThePapersLargestClusterSizes) {
  ProjectionParams p = small_projection();
  p.duration_ms = 150;
  for (std::uint32_t n : {30u, 120u}) {
    const ProjectionRow row = project_one(p, n);
    EXPECT_TRUE(row.ok) << n;
    EXPECT_GT(row.throughput_tx_per_s, 0) << n;
  }
}

TEST(Projection, SameParametersGiveTheSameRow) {
  ProjectionParams p = small_projection();
  p.cpu.group_model = GroupVerifyModel::kPerBlock;
  p.cpu.group_batch = parse_batch_cost_curve("1:1424,10:600,100:350").value();
  EXPECT_EQ(projection_csv_row(project_one(p, 4)), projection_csv_row(project_one(p, 4)));
}

}  // namespace
}  // namespace hc::sim
