#include "node/descriptor_budget.h"

#include <gtest/gtest.h>

namespace hc::node {
namespace {

TEST(DescriptorBudgetTest, DefaultsWhenTheLimitIsAmple) {
  auto b = plan_descriptors(65536, 40, 3);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  DescriptorBudget defaults;
  EXPECT_EQ(b->pending_handshakes, defaults.pending_handshakes);
  EXPECT_EQ(b->api_connections, defaults.api_connections);
}

TEST(DescriptorBudgetTest, ConnectionBoundsFitUnderALowLimit) {
  const std::size_t in_use = 40, peers = 3, limit = 160;
  auto b = plan_descriptors(limit, in_use, peers);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_LE(in_use + kStorageDescriptorReserve + 2 * peers + b->pending_handshakes + b->api_connections, limit);
  EXPECT_GE(b->pending_handshakes, 4u);
  EXPECT_LE(b->pending_handshakes_per_address, b->pending_handshakes);
  EXPECT_LE(b->api_connections_per_address, b->api_connections);
}

TEST(DescriptorBudgetTest, TooLowALimitIsRefusedWithTheMinimum) {
  auto b = plan_descriptors(64, 40, 3);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(b.status().message().find("at least"), std::string::npos);
}

TEST(DescriptorBudgetTest, ConfiguredCapsAreCeilingsWhenTheLimitIsAmple) {
  DescriptorBudget wanted;
  wanted.pending_handshakes = 100;
  wanted.pending_handshakes_per_address = 3;
  wanted.api_connections = 4096;
  wanted.api_connections_per_address = 2;
  auto b = plan_descriptors(65536, 40, 3, wanted);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(b->pending_handshakes, 100u);
  EXPECT_EQ(b->pending_handshakes_per_address, 3u);
  EXPECT_EQ(b->api_connections, 4096u);
  EXPECT_EQ(b->api_connections_per_address, 2u);
}

TEST(DescriptorBudgetTest, LargeConfiguredCapsAreLoweredToFit) {
  DescriptorBudget wanted;
  wanted.pending_handshakes = 60000;
  wanted.pending_handshakes_per_address = 60000;
  wanted.api_connections = 60000;
  wanted.api_connections_per_address = 60000;
  const std::size_t in_use = 40, peers = 3, limit = 1024;
  auto b = plan_descriptors(limit, in_use, peers, wanted);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_LE(in_use + kStorageDescriptorReserve + 2 * peers + b->pending_handshakes + b->api_connections, limit);
  EXPECT_LE(b->pending_handshakes_per_address, b->pending_handshakes);
  EXPECT_LE(b->api_connections_per_address, b->api_connections);
  EXPECT_GT(b->api_connections, b->pending_handshakes);
}

TEST(DescriptorBudgetTest, CapsBelowTheFloorsAreKept) {
  DescriptorBudget wanted;
  wanted.pending_handshakes = 1;
  wanted.pending_handshakes_per_address = 1;
  wanted.api_connections = 2;
  wanted.api_connections_per_address = 1;
  auto b = plan_descriptors(200, 40, 3, wanted);
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(b->pending_handshakes, 1u);
  EXPECT_EQ(b->api_connections, 2u);
  EXPECT_EQ(b->api_connections_per_address, 1u);
}

}  // namespace
}  // namespace hc::node
