// The fixed-base tables agree with the pairing library's scalar multiplication.
#include <gtest/gtest.h>

#include "crypto/groupsig/double_mul.h"
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

TEST(Mul2Public, AgreesWithGenericMultiplication) {
  const G1 base = G1::generator().mul_public(Fr::random_nonzero());
  // Edge scalars around chunk boundaries (2^64, 2^127, 2^192) and the top of the range.
  Fr two127 = Fr::one();
  for (int i = 0; i < 127; ++i) two127 = two127 + two127;
  std::vector<Fr> scalars = {Fr::zero(),   Fr::one(),   -Fr::one(),       two127,
                             two127 - Fr::one(), two127 + Fr::one(), -two127,
                             Fr::from_u64(31), Fr::from_u64(16)};
  const Fr two64 = Fr::from_u64(1ULL << 32) * Fr::from_u64(1ULL << 32);
  for (const Fr& e : {two64, two64 - Fr::one(), two64 * two64 * two64, -two64}) scalars.push_back(e);
  for (std::size_t i = 0; i < testing::scaled(20, 6); ++i) scalars.push_back(Fr::random());
  for (std::size_t i = 0; i + 1 < scalars.size(); ++i) {
    const auto [pa, pb] = mul2_public(base, scalars[i], scalars[i + 1]);
    EXPECT_TRUE(pa == base.mul_public(scalars[i])) << i;
    EXPECT_TRUE(pb == base.mul_public(scalars[i + 1])) << i;
  }
  const auto [zero, id] = mul2_public(G1::identity(), Fr::random(), Fr::random());
  EXPECT_TRUE(zero.is_identity() && id.is_identity());
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
