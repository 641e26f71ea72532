#include "common/status.h"

#include <gtest/gtest.h>

namespace hc {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_input("not positive");
  return v;
}

Result<int> doubled(int v) {
  HC_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

Status check_positive(int v) {
  HC_RETURN_IF_ERROR(parse_positive(v));
  return Status::ok_status();
}

TEST(StatusTest, OkAndError) {
  EXPECT_TRUE(Status().ok());
  Status s = Status::error(ErrorCode::kNotFound, "no key 12");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_EQ(s.to_string(), "not found: no key 12");
  EXPECT_EQ(s.with_context("open").message(), "open: no key 12");
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*doubled(4), 8);
  auto r = doubled(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "not positive");
  EXPECT_TRUE(check_positive(1).ok());
  EXPECT_FALSE(check_positive(0).ok());
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  auto r = parse_positive(0);
  EXPECT_DEATH((void)r.value(), "internal invariant violated");
}

}  // namespace
}  // namespace hc
