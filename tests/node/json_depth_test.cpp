#include "crypto/bounded_json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace hc::node {
namespace {

TEST(JsonDepthTest, CountsArraysAndObjects) {
  EXPECT_TRUE(crypto::json_depth_within("", 0));
  EXPECT_TRUE(crypto::json_depth_within(R"({"a": [1, {"b": 2}]})", 3));
  EXPECT_FALSE(crypto::json_depth_within(R"({"a": [1, {"b": 2}]})", 2));
  EXPECT_TRUE(crypto::json_depth_within("[[]][[]][[]]", 2));  // siblings do not add up
}

TEST(JsonDepthTest, BracketsInsideStringsDoNotCount) {
  EXPECT_TRUE(crypto::json_depth_within(R"({"t": "[[[[{{{{"})", 1));
  EXPECT_TRUE(crypto::json_depth_within(R"({"t": "\"[[[[\\"})", 1));  // escaped quote, escaped backslash
  EXPECT_FALSE(crypto::json_depth_within(R"({"t": "\\"} [[[)", 2));   // the string ended at \\"
}

// Regression (issue 12, item 5): a 2 MiB deeply nested body took 0.34 s to parse on the
// consensus thread; the scan refuses it at the first level past the bound.
TEST(JsonDepthTest, DeepBodyIsRefusedCheaply) {
  const std::string body(2 * 1024 * 1024, '[');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(crypto::json_depth_within(body, std::size_t{32}));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), 5);
}

}  // namespace
}  // namespace hc::node
