// GT decoding and membership (Scott's test f^p == f^x within the cyclotomic subgroup) against
// the slow reference f^r == 1, on GT elements, on random Fp12 values, on cyclotomic elements
// outside GT (the easy part of the final exponentiation), on an element of small order 4513
// (a factor of the GT cofactor), and the small-exponent multi-exponentiation against GT::pow.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/bls12_381/points.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

using testing::Mpz;

const char* const kGtP =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
const char* const kGtR = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

Fp12 gt_test_random_fp12(std::mt19937_64& rng) {
  Fp12 f;
  Fp* c[12] = {&f.c0.c0.c0, &f.c0.c0.c1, &f.c0.c1.c0, &f.c0.c1.c1, &f.c0.c2.c0, &f.c0.c2.c1,
               &f.c1.c0.c0, &f.c1.c0.c1, &f.c1.c1.c0, &f.c1.c1.c1, &f.c1.c2.c0, &f.c1.c2.c1};
  for (Fp* x : c) *x = testing::random_fp(rng);
  return f;
}

Fp12 gt_test_pow(const Fp12& f, const mpz_t e) {
  Fp12 acc = fp12_one();
  for (long bit = static_cast<long>(mpz_sizeinbase(e, 2)) - 1; bit >= 0; --bit) {
    acc = fp12_sqr(acc);
    if (mpz_tstbit(e, static_cast<mp_bitcnt_t>(bit))) acc = acc * f;
  }
  return acc;
}

// f^((p^6 - 1)(p^2 + 1)): the easy part of the final exponentiation, landing in the
// cyclotomic subgroup of order Phi12(p) = r * h_T.
Fp12 gt_test_to_cyclotomic(const Fp12& f) {
  Fp12 g = fp12_conj(f) * fp12_inverse(f);
  return fp12_frobenius(g, 2) * g;
}

bool gt_test_decodes(const Fp12& f) {
  return GT::from_bytes(to_gt(f).to_bytes()).ok();
}

TEST(Bls12381GtMembership, PairingValuesAreInGtAndRoundTrip) {
  GT e = pairing(G1::generator(), G2::generator());
  for (int i = 0; i < 8; ++i) {
    GT g = e.pow(Fr::random());
    EXPECT_TRUE(gt_in_subgroup(to_fp12(g)));
    EXPECT_TRUE(gt_in_subgroup_slow(to_fp12(g)));
    auto back = GT::from_bytes(g.to_bytes());
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_TRUE(*back == g);
  }
  EXPECT_TRUE(GT::from_bytes(GT::one().to_bytes()).ok());
}

TEST(Bls12381GtMembership, FastCheckAgreesWithSlowOnRandomAndCyclotomicValues) {
  std::mt19937_64 rng(18);
  for (int i = 0; i < 6; ++i) {
    Fp12 f = gt_test_random_fp12(rng);
    EXPECT_FALSE(gt_in_subgroup_slow(f));
    EXPECT_FALSE(gt_in_subgroup(f));
    EXPECT_FALSE(gt_test_decodes(f));
    Fp12 c = gt_test_to_cyclotomic(f);  // in the cyclotomic subgroup, almost surely not in GT
    EXPECT_FALSE(gt_in_subgroup_slow(c));
    EXPECT_FALSE(gt_in_subgroup(c));
    EXPECT_FALSE(gt_test_decodes(c));
  }
  EXPECT_FALSE(gt_in_subgroup(Fp12{}));
  EXPECT_FALSE(gt_test_decodes(Fp12{}));
  // -1 is in the cyclotomic subgroup's superset (norm 1) but of order 2.
  Fp12 minus_one = fp12_one();
  minus_one.c0.c0.c0 = -minus_one.c0.c0.c0;
  EXPECT_FALSE(gt_in_subgroup(minus_one));
  EXPECT_FALSE(gt_in_subgroup_slow(minus_one));
}

TEST(Bls12381GtMembership, RefusesAnElementOfSmallOrderInTheCyclotomicSubgroup) {
  Mpz p(kGtP), r(kGtR), phi, cof, e;
  // Phi12(p) = p^4 - p^2 + 1 = r * h_T, and 4513 divides h_T.
  Mpz p2, p4;
  mpz_mul(p2.v, p.v, p.v);
  mpz_mul(p4.v, p2.v, p2.v);
  mpz_sub(phi.v, p4.v, p2.v);
  mpz_add_ui(phi.v, phi.v, 1);
  ASSERT_TRUE(mpz_divisible_p(phi.v, r.v));
  mpz_divexact(cof.v, phi.v, r.v);
  ASSERT_TRUE(mpz_divisible_ui_p(cof.v, 4513));
  mpz_divexact_ui(e.v, phi.v, 4513);  // raising to Phi12(p) / 4513 leaves order 1 or 4513
  std::mt19937_64 rng(4513);
  Fp12 small = fp12_one();
  for (int i = 0; i < 4 && fp12_eq(small, fp12_one()); ++i) {
    small = gt_test_pow(gt_test_to_cyclotomic(gt_test_random_fp12(rng)), e.v);
  }
  ASSERT_FALSE(fp12_eq(small, fp12_one()));
  EXPECT_FALSE(gt_in_subgroup(small));
  EXPECT_FALSE(gt_in_subgroup_slow(small));
  EXPECT_FALSE(gt_test_decodes(small));
  // Times a GT element: still outside GT.
  GT g = pairing(G1::generator(), G2::generator());
  EXPECT_FALSE(gt_in_subgroup(to_fp12(g) * small));
  EXPECT_FALSE(gt_test_decodes(to_fp12(g) * small));
}

TEST(Bls12381GtMembership, RefusesNonCanonicalCoefficients) {
  GT g = pairing(G1::generator(), G2::generator());
  auto bytes = g.to_bytes();
  // Add p to the first coefficient (its top byte is small, so p + c fits in 48 bytes only
  // when c < 2^384 - p; build p itself instead): a coefficient equal to p is refused.
  Mpz p(kGtP);
  std::vector<std::uint8_t> pb(48);
  std::size_t count = 0;
  mpz_export(pb.data(), &count, 1, 1, 1, 0, p.v);
  ASSERT_EQ(count, 48u);
  for (int coeff = 0; coeff < 12; ++coeff) {
    auto bad = bytes;
    std::copy(pb.begin(), pb.end(), bad.begin() + 48 * coeff);
    EXPECT_FALSE(GT::from_bytes(bad).ok()) << coeff;
  }
  EXPECT_FALSE(GT::from_bytes(ByteSpan(bytes.data(), 575)).ok());
}

TEST(Bls12381GtMembership, MultiPowWithSmallExponentsMatchesPow) {
  GT e = pairing(G1::generator(), G2::generator());
  std::mt19937_64 rng(64);
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
    std::vector<GT> bases;
    std::vector<std::uint64_t> exps;
    GT expect = GT::one();
    for (std::size_t i = 0; i < n; ++i) {
      bases.push_back(e.pow(Fr::random()));
      exps.push_back(i == 0 ? ~std::uint64_t{0} : rng() >> (i % 3 * 20));
      expect = expect * bases.back().pow(Fr::from_u64(exps.back()));
    }
    EXPECT_TRUE(gt_multi_pow_u64(bases, exps) == expect) << n;
  }
  std::vector<GT> one = {e};
  std::vector<std::uint64_t> zero = {0};
  EXPECT_TRUE(gt_multi_pow_u64(one, zero).is_one());
  EXPECT_TRUE(gt_multi_pow_u64({}, {}).is_one());
}

}  // namespace
}  // namespace hc::bls12_381
