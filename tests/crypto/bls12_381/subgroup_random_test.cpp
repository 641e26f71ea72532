// The endomorphism subgroup checks (g1_in_subgroup: [x^2]P == -phi^2(P); g2_in_subgroup:
// [|x|]Q == -psi(Q)) against the definition [r]P == O on many pseudo-random points of each
// curve: points of the whole curve group (almost never in the subgroup), subgroup points,
// and subgroup points plus a component of cofactor order ([r]R for a random curve point R),
// each with a random projective Z.
#include <gtest/gtest.h>

#include <random>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

template <class F>
Proj<F> rescale(const Proj<F>& p, const F& z) {
  return Proj<F>{p.x * z, p.y * z, p.z * z};
}

Fp2 random_fp2(std::mt19937_64& rng) {
  return Fp2{testing::random_fp(rng), testing::random_fp(rng)};
}

// A point of the whole curve E(Fp) with a pseudo-random x.
Proj<Fp> random_curve_point_g1(std::mt19937_64& rng) {
  for (;;) {
    const Fp x = testing::random_fp(rng);
    Fp y;
    if (fp_sqrt(fp_sqr(x) * x + curve_b(x), y)) return Proj<Fp>{x, y, fp_one()};
  }
}

// A point of the whole twist E'(Fp2) with a pseudo-random x.
Proj<Fp2> random_curve_point_g2(std::mt19937_64& rng) {
  for (;;) {
    const Fp2 x = random_fp2(rng);
    Fp2 y;
    if (fp2_sqrt(fp2_sqr(x) * x + curve_b(x), y)) return Proj<Fp2>{x, y, fp2_one()};
  }
}

TEST(Bls12381SubgroupRandom, G2CheckAgreesWithOrderROnRandomPoints) {
  std::mt19937_64 rng(1802);
  int outside = 0, inside = 0;
  for (int i = 0; i < 60; ++i) {
    const Proj<Fp2> r_point = random_curve_point_g2(rng);
    ASSERT_TRUE(proj_on_curve(r_point));
    const Proj<Fp2> member = to_proj(G2::generator().mul_public(Fr::random()));
    // [r]R has order dividing the cofactor: added to a member it leaves the subgroup.
    const Proj<Fp2> cofactor_part = mul_vartime(r_point, fr_detail::kR, 4);
    const Proj<Fp2> mixed = proj_add(member, cofactor_part);
    for (const Proj<Fp2>& p : {r_point, member, mixed, cofactor_part}) {
      const bool want = g2_in_subgroup_slow(p);
      ASSERT_EQ(g2_in_subgroup(rescale(p, random_fp2(rng))), want) << i;
      ASSERT_EQ(g2_in_subgroup(p), want) << i;
      (want ? inside : outside) += 1;
    }
    ASSERT_TRUE(g2_in_subgroup(member));
    ASSERT_FALSE(g2_in_subgroup(r_point));
    ASSERT_FALSE(g2_in_subgroup(mixed));
  }
  EXPECT_EQ(inside, 60);  // the members only
  EXPECT_EQ(outside, 180);
}

TEST(Bls12381SubgroupRandom, G1CheckAgreesWithOrderROnRandomPoints) {
  std::mt19937_64 rng(1801);
  int outside = 0, inside = 0;
  for (int i = 0; i < 100; ++i) {
    const Proj<Fp> r_point = random_curve_point_g1(rng);
    const Proj<Fp> member = to_proj(G1::generator().mul_public(Fr::random()));
    const Proj<Fp> cofactor_part = mul_vartime(r_point, fr_detail::kR, 4);
    const Proj<Fp> mixed = proj_add(member, cofactor_part);
    for (const Proj<Fp>& p : {r_point, member, mixed, cofactor_part}) {
      const bool want = g1_in_subgroup_slow(p);
      ASSERT_EQ(g1_in_subgroup(rescale(p, testing::random_fp(rng))), want) << i;
      (want ? inside : outside) += 1;
    }
  }
  // A random point of E(Fp) lies in G1 with probability 1/h1 and [r]R is O with the same
  // probability: neither happens among these, so exactly the members are accepted.
  EXPECT_EQ(inside, 100);
  EXPECT_EQ(outside, 300);
}

}  // namespace
}  // namespace hc::bls12_381
