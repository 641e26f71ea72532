// The fixture every end-to-end suite starts from: a fresh 4-hospital consortium
// (`hc cluster up`) in a temporary directory, stopped after the test (`hc cluster down`, then
// any leftover process killed); on failure the last lines of every node's log are printed.
// A suite that needs more set-up overrides SetUp, calls ClusterTest::SetUp() first and
// returns if it failed.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <memory>

#include "e2e/local_cluster.h"
#include "support/temp_dir.h"

namespace hc::e2e {

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = LocalCluster::up(dir_.path() / "c", 4);
    ASSERT_TRUE(cluster.ok()) << cluster.status().to_string();
    cluster_ = std::move(cluster).value();
  }
  void TearDown() override {
    if (HasFailure() && cluster_) std::cerr << cluster_->log_tails(20);
    cluster_.reset();  // hc cluster down, leftovers killed
  }

  test::TempDir dir_;
  std::unique_ptr<LocalCluster> cluster_;
};

}  // namespace hc::e2e
