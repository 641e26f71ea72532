// The fixed-base tables agree with the pairing library's scalar multiplication.
#include <gtest/gtest.h>

#include "crypto/groupsig/fixed_base.h"
#include "group_fixture.h"

namespace hc::groupsig {
namespace {

TEST(FixedBaseG1, AgreesWithGenericMultiplication) {
  const G1 base = G1::generator().mul_public(Fr::random_nonzero());
  const FixedBaseG1 table(base);
  const Fr r_minus_one = -Fr::one();
  std::vector<Fr> scalars = {Fr::zero(), Fr::one(), Fr::from_u64(15), Fr::from_u64(16),
                             Fr::from_u64(0xffffffffffffffffULL), r_minus_one};
  for (std::size_t i = 0; i < testing::scaled(20, 5); ++i) scalars.push_back(Fr::random());
  for (const Fr& k : scalars) {
    const G1 expected = base.mul_public(k);
    EXPECT_TRUE(table.pow_secret(k) == expected);
    EXPECT_TRUE(table.pow_public(k) == expected);
  }
  EXPECT_TRUE(table.pow_secret(Fr::zero()).is_identity());
  EXPECT_TRUE(table.pow_secret(r_minus_one) == -base);
  const FixedBaseG1Public wide(base);
  for (const Fr& k : scalars) {
    EXPECT_TRUE(wide.pow_public(k) == base.mul_public(k));
    EXPECT_TRUE(wide.pow_secret(k) == base.mul_public(k));
  }
}

TEST(FixedBaseGT, AgreesWithGenericExponentiation) {
  const GT base = bls12_381::pairing(G1::generator(), G2::generator());
  const FixedBaseGT table(base);
  std::vector<Fr> scalars = {Fr::zero(), Fr::one(), Fr::from_u64(17), -Fr::one()};
  for (std::size_t i = 0; i < testing::scaled(4, 2); ++i) scalars.push_back(Fr::random());
  for (const Fr& k : scalars) {
    const GT expected = base.pow(k);
    EXPECT_TRUE(table.pow_secret(k) == expected);
    EXPECT_TRUE(table.pow_public(k) == expected);
  }
  EXPECT_TRUE(table.pow_secret(Fr::zero()).is_one());
  EXPECT_TRUE(table.pow_secret(-Fr::one()) == base.unitary_inverse());
}

}  // namespace
}  // namespace hc::groupsig
