// G1 / G2: known answers from the zkcrypto vectors ([i]G for i = 0..999), group laws,
// scalar multiplication (constant-time and wNAF agree), and subgroup membership.
#include <gtest/gtest.h>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

template <class G, std::size_t kComp, std::size_t kUncomp>
void check_vectors(const char* comp_file, const char* uncomp_file) {
  auto comp = testing::read_vector_file(comp_file);
  auto uncomp = testing::read_vector_file(uncomp_file);
  ASSERT_EQ(comp.size(), 1000 * kComp) << comp_file;
  ASSERT_EQ(uncomp.size(), 1000 * kUncomp) << uncomp_file;
  G acc = G::identity();
  for (std::size_t i = 0; i < 1000; ++i) {
    ByteSpan c(comp.data() + i * kComp, kComp);
    ByteSpan u(uncomp.data() + i * kUncomp, kUncomp);
    auto dc = G::from_compressed(c);
    ASSERT_TRUE(dc.ok()) << i << ": " << dc.status().to_string();
    auto du = G::from_uncompressed(u);
    ASSERT_TRUE(du.ok()) << i << ": " << du.status().to_string();
    ASSERT_TRUE(*dc == acc) << i;
    ASSERT_TRUE(*du == acc) << i;
    auto ec = acc.to_compressed();
    auto eu = acc.to_uncompressed();
    ASSERT_TRUE(std::equal(ec.begin(), ec.end(), c.begin())) << i;
    ASSERT_TRUE(std::equal(eu.begin(), eu.end(), u.begin())) << i;
    if (i % 97 == 0) {
      Fr k = Fr::from_u64(i);
      ASSERT_TRUE(G::generator().mul_secret(k) == acc) << i;
      ASSERT_TRUE(G::generator().mul_public(k) == acc) << i;
    }
    acc = acc + G::generator();
  }
}

TEST(Bls12381G1, ZkcryptoVectors) {
  check_vectors<G1, 48, 96>("zkcrypto/g1_compressed_valid_test_vectors.dat",
                            "zkcrypto/g1_uncompressed_valid_test_vectors.dat");
}

TEST(Bls12381G2, ZkcryptoVectors) {
  check_vectors<G2, 96, 192>("zkcrypto/g2_compressed_valid_test_vectors.dat",
                             "zkcrypto/g2_uncompressed_valid_test_vectors.dat");
}

template <class G>
void check_group_laws() {
  const G g = G::generator();
  const G o = G::identity();
  const Fr a = Fr::random(), b = Fr::random();
  const G p = g.mul_public(a), q = g.mul_public(b);
  EXPECT_TRUE(p + o == p);
  EXPECT_TRUE(o + p == p);
  EXPECT_TRUE((p - p).is_identity());
  EXPECT_TRUE((p + (-p)).is_identity());
  EXPECT_TRUE(p + p == p.dbl());
  EXPECT_TRUE(p + q == q + p);
  EXPECT_TRUE((p + q) + g == p + (q + g));
  EXPECT_TRUE(o.dbl().is_identity());
  EXPECT_FALSE(p == q);
  EXPECT_FALSE(p == o);
  EXPECT_FALSE(o == p);
  // Scalar multiplication: homomorphic in the scalar; both algorithms agree.
  EXPECT_TRUE(g.mul_public(a + b) == p + q);
  EXPECT_TRUE(g.mul_secret(a * b) == p.mul_secret(b));
  EXPECT_TRUE(p.mul_secret(b) == p.mul_public(b));
  EXPECT_TRUE(g.mul_secret(-Fr::one()) == -g);
  EXPECT_TRUE(g.mul_public(-Fr::one()) == -g);
  EXPECT_TRUE(g.mul_secret(Fr::zero()).is_identity());
  EXPECT_TRUE(g.mul_public(Fr::zero()).is_identity());
  EXPECT_TRUE(o.mul_secret(a).is_identity());
  EXPECT_TRUE(o.mul_public(a).is_identity());
  EXPECT_FALSE(g.is_identity());
}

TEST(Bls12381G1, GroupLawsAndScalarMultiplication) { check_group_laws<G1>(); }
TEST(Bls12381G2, GroupLawsAndScalarMultiplication) { check_group_laws<G2>(); }

TEST(Bls12381G1, OrderIsR) {
  // [r]P = O: r - 1 times P plus P.
  G1 p = G1::generator().mul_public(Fr::random());
  EXPECT_TRUE((p.mul_public(-Fr::one()) + p).is_identity());
  EXPECT_TRUE(g1_in_subgroup_slow(to_proj(p)));
}

TEST(Bls12381G2, OrderIsR) {
  G2 p = G2::generator().mul_public(Fr::random());
  EXPECT_TRUE((p.mul_secret(-Fr::one()) + p).is_identity());
  EXPECT_TRUE(g2_in_subgroup_slow(to_proj(p)));
}

// Points on the curves that are not in the prime-order subgroups.
std::vector<Proj<Fp>> g1_non_subgroup_points(int count) {
  std::vector<Proj<Fp>> out;
  for (std::uint64_t x = 0; static_cast<int>(out.size()) < count; ++x) {
    Fp xf = fp_from_u64(x), y;
    if (fp_sqrt(fp_sqr(xf) * xf + fp_from_u64(4), y)) out.push_back(Proj<Fp>{xf, y, fp_one()});
  }
  return out;
}

std::vector<Proj<Fp2>> g2_non_subgroup_points(int count) {
  std::vector<Proj<Fp2>> out;
  for (std::uint64_t x = 0; static_cast<int>(out.size()) < count; ++x) {
    Fp2 xf{fp_from_u64(x), fp_one()}, y;
    if (fp2_sqrt(fp2_sqr(xf) * xf + curve_b(xf), y)) out.push_back(Proj<Fp2>{xf, y, fp2_one()});
  }
  return out;
}

// Adversarial G1 inputs for the fast check: points of small order (dividing 3, 11^2, 10177^2:
// factors of the cofactor), G1 points plus such a point, and every point given with a random Z.
TEST(Bls12381Subgroup, FastG1CheckRefusesSmallOrderComponents) {
  std::mt19937_64 rng(3);
  auto rescale = [&rng](const Proj<Fp>& p) {
    const Fp z = testing::random_fp(rng);
    return Proj<Fp>{p.x * z, p.y * z, p.z * z};
  };
  // [r] P for P on the curve has order dividing the cofactor; times h1 / q it has order 1 or q.
  const std::uint64_t r_limbs[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                    0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
  testing::Mpz h1("396c8c005555e1568c00aaab0000aaab");
  int small_found = 0;
  // The exact powers of 3, 11 and 10177 in h1: the result has order 1 or a divisor of it.
  for (std::uint64_t q : {3u, 11u * 11u, 10177u * 10177u}) {
    testing::Mpz cof;
    mpz_divexact_ui(cof.v, h1.v, q);
    std::uint64_t cof_limbs[2];
    testing::mpz_to_limbs(cof.v, cof_limbs, 2);
    for (const auto& p : g1_non_subgroup_points(8)) {
      const Proj<Fp> small = mul_vartime(mul_vartime(p, r_limbs, 4), cof_limbs, 2);
      if (proj_is_identity(small)) continue;
      ++small_found;
      EXPECT_FALSE(g1_in_subgroup_slow(small)) << q;
      EXPECT_FALSE(g1_in_subgroup(small)) << q;
      EXPECT_FALSE(g1_in_subgroup(rescale(small))) << q;
      const Proj<Fp> g = to_proj(G1::generator().mul_public(Fr::random()));
      const Proj<Fp> mixed = proj_add(g, small);
      EXPECT_FALSE(g1_in_subgroup_slow(mixed)) << q;
      EXPECT_FALSE(g1_in_subgroup(mixed)) << q;
      EXPECT_FALSE(g1_in_subgroup(rescale(mixed))) << q;
      EXPECT_TRUE(g1_in_subgroup(rescale(g))) << q;
      break;
    }
  }
  EXPECT_EQ(small_found, 3);
  for (const auto& p : g1_non_subgroup_points(40)) {
    EXPECT_EQ(g1_in_subgroup(rescale(p)), g1_in_subgroup_slow(p));
  }
}

TEST(Bls12381Subgroup, FastChecksAgreeWithOrderR) {
  for (const auto& p : g1_non_subgroup_points(6)) {
    ASSERT_TRUE(proj_on_curve(p));
    EXPECT_FALSE(g1_in_subgroup_slow(p));
    EXPECT_FALSE(g1_in_subgroup(p));
    // Clearing the cofactor h1 = (x - 1)^2 / 3 lands in G1; both checks accept it.
    Proj<Fp> c = mul_vartime(p, std::array<std::uint64_t, 2>{0x8c00aaab0000aaabULL,
                                                               0x396c8c005555e156ULL}.data(), 2);
    EXPECT_TRUE(g1_in_subgroup_slow(c));
    EXPECT_TRUE(g1_in_subgroup(c));
  }
  for (const auto& q : g2_non_subgroup_points(4)) {
    ASSERT_TRUE(proj_on_curve(q));
    EXPECT_FALSE(g2_in_subgroup_slow(q));
    EXPECT_FALSE(g2_in_subgroup(q));
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(g1_in_subgroup(to_proj(G1::generator().mul_public(Fr::random()))));
    EXPECT_TRUE(g2_in_subgroup(to_proj(G2::generator().mul_public(Fr::random()))));
  }
  EXPECT_TRUE(g1_in_subgroup(proj_identity<Fp>()));
  EXPECT_TRUE(g2_in_subgroup(proj_identity<Fp2>()));
}

TEST(Bls12381ScalarMul, SplitScalarMatchesGmp) {
  testing::Mpz k, d, q, rem, got;
  std::vector<Fr> scalars = {Fr::zero(), Fr::one(), -Fr::one(), Fr::from_u64(0xffffffffULL)};
  for (int i = 0; i < 50; ++i) scalars.push_back(Fr::random());
  for (const auto* dl : {kLambda, kXSquared}) {
    testing::limbs_to_mpz(dl, 2, d.v);
    for (const Fr& s : scalars) {
      std::uint64_t kl[4], k0[2], k1[2];
      fr_detail::to_canonical(s, kl);
      testing::limbs_to_mpz(kl, 4, k.v);
      mpz_fdiv_qr(q.v, rem.v, k.v, d.v);
      split_scalar(kl, dl, k0, k1);
      testing::limbs_to_mpz(k0, 2, got.v);
      ASSERT_EQ(mpz_cmp(got.v, rem.v), 0);
      testing::limbs_to_mpz(k1, 2, got.v);
      ASSERT_EQ(mpz_cmp(got.v, q.v), 0);
    }
  }
}

TEST(Bls12381ScalarMul, EndomorphismMethodsMatchPlainLadder) {
  // mul_secret / mul_public (GLV on G1, GLS with psi^2 on G2) against the plain 256-bit
  // fixed-window ladder, on random and edge scalars.
  std::vector<Fr> scalars = {Fr::one(), -Fr::one(), Fr::from_u64(2), -Fr::from_u64(2)};
  for (int i = 0; i < 6; ++i) scalars.push_back(Fr::random());
  const G1 p = G1::generator().mul_public(Fr::random());
  const G2 q = G2::generator().mul_public(Fr::random());
  for (const Fr& s : scalars) {
    std::uint64_t kl[4];
    fr_detail::to_canonical(s, kl);
    G1 want1 = to_g1(mul_ct(to_proj(p), kl));
    EXPECT_TRUE(p.mul_secret(s) == want1);
    EXPECT_TRUE(p.mul_public(s) == want1);
    G2 want2 = to_g2(mul_ct(to_proj(q), kl));
    EXPECT_TRUE(q.mul_secret(s) == want2);
    EXPECT_TRUE(q.mul_public(s) == want2);
  }
}

TEST(Bls12381Subgroup, EndomorphismEigenvalues) {
  // phi acts as x^2 - 1 on G1 and psi as x on G2 (x = -0xd201000000010000).
  Proj<Fp> p = to_proj(G1::generator().mul_public(Fr::random()));
  Proj<Fp> x2 = mul_by_abs_x(mul_by_abs_x(p));
  EXPECT_TRUE(proj_eq(g1_phi(p), proj_add(x2, proj_neg(p))));
  Proj<Fp2> q = to_proj(G2::generator().mul_public(Fr::random()));
  EXPECT_TRUE(proj_eq(g2_psi(q), proj_neg(mul_by_abs_x(q))));
  // psi^2 by its norm constants is psi applied twice, on G2 and on any twist point (random Z).
  EXPECT_TRUE(proj_eq(g2_psi2(q), g2_psi(g2_psi(q))));
  EXPECT_TRUE(proj_eq(g2_psi2(q), mul_by_abs_x(mul_by_abs_x(q))));
  std::mt19937_64 rng(22);
  for (std::uint64_t x = 0, found = 0; found < 4; ++x) {
    Fp2 xf{fp_from_u64(x), fp_one()}, y;
    if (!fp2_sqrt(fp2_sqr(xf) * xf + curve_b(xf), y)) continue;
    ++found;
    const Fp2 z{testing::random_fp(rng), testing::random_fp(rng)};
    const Proj<Fp2> t{xf * z, y * z, z};
    EXPECT_TRUE(proj_eq(g2_psi2(t), g2_psi(g2_psi(t))));
  }
}

}  // namespace
}  // namespace hc::bls12_381
