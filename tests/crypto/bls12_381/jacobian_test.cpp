// The variable-time Jacobian arithmetic of the G1 subgroup check (jacobian.h) against the
// complete projective formulas of curve.h, including the exceptional cases its addition
// branches on, and the check itself refusing decoded points outside G1 of every prime
// order the cofactor allows.
#include <gtest/gtest.h>

#include <random>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/jacobian.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

bool same_point(const Jac<Fp>& j, const Proj<Fp>& p) {
  const bool j_id = f_zero_mask(j.z) != 0;
  if (j_id || proj_is_identity(p)) return j_id && proj_is_identity(p);
  return jac_eq_proj_mask(j, p) != 0;
}

// Points on the curve with x = 0, 1, 2, ...: almost all outside G1 (cofactor components).
std::vector<Proj<Fp>> curve_points(int count) {
  std::vector<Proj<Fp>> out;
  for (std::uint64_t x = 0; static_cast<int>(out.size()) < count; ++x) {
    Fp xf = fp_from_u64(x), y;
    if (fp_sqrt(fp_sqr(xf) * xf + fp_from_u64(4), y)) out.push_back(Proj<Fp>{xf, y, fp_one()});
  }
  return out;
}

TEST(Bls12381Jacobian, MatchesProjectiveFormulas) {
  std::mt19937_64 rng(11);
  std::vector<Proj<Fp>> pts = curve_points(6);
  for (int i = 0; i < 6; ++i) pts.push_back(to_proj(G1::generator().mul_public(Fr::random())));
  for (const Proj<Fp>& p0 : pts) {
    const Fp z = testing::random_fp(rng);
    const Proj<Fp> p{p0.x * z, p0.y * z, p0.z * z};  // any Z
    const Jac<Fp> jp = jac_from_proj(p);
    ASSERT_TRUE(same_point(jp, p));
    Jac<Fp> d = jp;
    jac_dbl_in_place(d);
    EXPECT_TRUE(same_point(d, proj_dbl(p)));
    const Proj<Fp> q = proj_add(proj_dbl(p), p);  // 3P: not +-P, E(Fp) has odd order
    if (proj_is_identity(q)) continue;            // P of order 3
    std::uint64_t flag = 0;
    Jac<Fp> s = jp;
    jac_add_in_place_flagged(s, jac_from_proj(q), flag);
    EXPECT_EQ(flag, 0u);
    EXPECT_TRUE(same_point(s, proj_add(p, q)));
    // [|x|]P against the projective double-and-add (no exceptional case on these points).
    EXPECT_TRUE(same_point(jac_mul_by_abs_x(jp, flag), mul_by_abs_x(p)));
    EXPECT_EQ(flag, 0u);
    // The exceptional cases raise the flag, and it stays raised.
    const Jac<Fp> id = jac_from_proj(proj_identity<Fp>());
    for (const Jac<Fp>& other : {jp, jac_from_proj(proj_neg(p)), id}) {
      std::uint64_t f = 0;
      Jac<Fp> t = jp;
      jac_add_in_place_flagged(t, other, f);
      EXPECT_EQ(f, ~std::uint64_t{0});
      t = jp;
      jac_add_in_place_flagged(t, jac_from_proj(q), f);
      EXPECT_EQ(f, ~std::uint64_t{0});
    }
    std::uint64_t f = 0;
    Jac<Fp> t = id;
    jac_add_in_place_flagged(t, jp, f);
    EXPECT_EQ(f, ~std::uint64_t{0});
    jac_dbl_in_place(t = id);
    EXPECT_NE(f_zero_mask(t.z), 0u);
  }
}

// Points of prime order l for every prime l of the cofactor h1 = 3 11^2 10177^2 859267^2
// 52437899^2, each alone and added to a G1 point, as decoded input: the fast check and the
// decoder refuse them. [r h1 / l^e]P has order dividing l^e; when it is not the identity,
// the multiples of it of order exactly l are reached by further factors l.
TEST(Bls12381Jacobian, DecoderRefusesEveryCofactorPrime) {
  const std::uint64_t r_limbs[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                    0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
  testing::Mpz h1("396c8c005555e1568c00aaab0000aaab");
  const std::uint64_t primes[5] = {3, 11, 10177, 859267, 52437899};
  const std::vector<Proj<Fp>> pts = curve_points(12);
  for (std::uint64_t l : primes) {
    testing::Mpz cof;
    mpz_set(cof.v, h1.v);
    while (mpz_divisible_ui_p(cof.v, l)) mpz_divexact_ui(cof.v, cof.v, l);
    std::uint64_t cof_limbs[2];
    testing::mpz_to_limbs(cof.v, cof_limbs, 2);
    int found = 0;
    for (const Proj<Fp>& p : pts) {
      Proj<Fp> t = mul_vartime(mul_vartime(p, r_limbs, 4), cof_limbs, 2);  // order | l^2
      if (proj_is_identity(t)) continue;
      const std::uint64_t l_limb[1] = {l};
      const Proj<Fp> tl = mul_vartime(t, l_limb, 1);
      if (!proj_is_identity(tl)) t = tl;  // order exactly l
      ASSERT_TRUE(proj_is_identity(mul_vartime(t, l_limb, 1))) << l;
      ++found;
      const Proj<Fp> g = to_proj(G1::generator().mul_public(Fr::random()));
      for (const Proj<Fp>& bad : {t, proj_add(g, t)}) {
        EXPECT_FALSE(g1_in_subgroup_slow(bad)) << l;
        EXPECT_FALSE(g1_in_subgroup(bad)) << l;
        const Result<G1> decoded = G1::from_compressed(to_g1(bad).to_compressed());
        ASSERT_FALSE(decoded.ok()) << l;
        EXPECT_NE(decoded.status().message().find("not in the prime-order subgroup"),
                  std::string::npos);
      }
      EXPECT_TRUE(G1::from_compressed(to_g1(g).to_compressed()).ok());
      if (found == 2) break;
    }
    EXPECT_EQ(found, 2) << l;
  }
}

// Decoded points x = 0, 1, 2, ... on the curve: the decoder's verdict is [r]P == O, and so is
// the check's on the point with its cofactor cleared (always in G1).
TEST(Bls12381Jacobian, DecoderAgreesWithOrderR) {
  const std::uint64_t h1[2] = {0x8c00aaab0000aaabULL, 0x396c8c005555e156ULL};
  for (const Proj<Fp>& p : curve_points(60)) {
    const bool in_g1 = g1_in_subgroup_slow(p);
    EXPECT_EQ(G1::from_compressed(to_g1(p).to_compressed()).ok(), in_g1);
    EXPECT_EQ(G1::from_uncompressed(to_g1(p).to_uncompressed()).ok(), in_g1);
    const Proj<Fp> cleared = mul_vartime(p, h1, 2);
    EXPECT_TRUE(g1_in_subgroup(cleared));
    EXPECT_TRUE(G1::from_compressed(to_g1(cleared).to_compressed()).ok());
  }
}

}  // namespace
}  // namespace hc::bls12_381
