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

}  // namespace
}  // namespace hc::node
