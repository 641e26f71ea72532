// Fp2 / Fp6 / Fp12 tower: products against definitions, inverses, square roots,
// Frobenius against exponentiation by p, sparse and cyclotomic shortcuts against the
// general operations.
#include <gtest/gtest.h>

#include "crypto/bls12_381/fp12.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

struct Rng {
  std::mt19937_64 g{2024};
  Fp fp() { return testing::random_fp(g); }
  Fp2 fp2() { return Fp2{fp(), fp()}; }
  Fp6 fp6() { return Fp6{fp2(), fp2(), fp2()}; }
  Fp12 fp12() { return Fp12{fp6(), fp6()}; }
};

TEST(Bls12381Tower, Fp2MulMatchesDefinitionAndInverses) {
  Rng rng;
  for (int i = 0; i < 100; ++i) {
    Fp2 a = rng.fp2(), b = rng.fp2();
    Fp2 m = a * b;
    // (a0 + a1 u)(b0 + b1 u) = a0 b0 - a1 b1 + (a0 b1 + a1 b0) u.
    EXPECT_TRUE(fp_eq(m.c0, a.c0 * b.c0 - a.c1 * b.c1));
    EXPECT_TRUE(fp_eq(m.c1, a.c0 * b.c1 + a.c1 * b.c0));
    EXPECT_TRUE(fp2_eq(fp2_sqr(a), a * a));
    EXPECT_TRUE(fp2_eq(fp2_mul_by_xi(a), a * Fp2{fp_one(), fp_one()}));
    if (i < 20) {
      EXPECT_TRUE(fp2_eq(a * fp2_inverse(a), fp2_one()));
      EXPECT_TRUE(fp2_eq(a * fp2_inverse_vartime(a), fp2_one()));
    }
  }
  EXPECT_TRUE(fp2_is_zero(fp2_inverse(fp2_zero())));
}

TEST(Bls12381Tower, Fp2Sqrt) {
  Rng rng;
  int squares = 0;
  for (int i = 0; i < 30; ++i) {
    Fp2 a = rng.fp2();
    Fp2 sq = fp2_sqr(a);
    Fp2 s;
    ASSERT_TRUE(fp2_sqrt(sq, s));
    EXPECT_TRUE(fp2_eq(fp2_sqr(s), sq));
    if (fp2_sqrt(a, s)) {
      ++squares;
      EXPECT_TRUE(fp2_eq(fp2_sqr(s), a));
    }
  }
  EXPECT_GT(squares, 5);
  EXPECT_LT(squares, 25);
  // Elements of Fp embedded in Fp2 (c1 = 0) are all squares in Fp2, including non-squares of Fp.
  for (int i = 0; i < 10; ++i) {
    Fp2 a{rng.fp(), fp_zero()};
    Fp2 s;
    ASSERT_TRUE(fp2_sqrt(a, s));
    EXPECT_TRUE(fp2_eq(fp2_sqr(s), a));
  }
}

// fp2_sqrt takes one exponentiation for both candidates x0^2 = (c0 +- s)/2: on squares whose
// first candidate is a square in Fp and on squares whose first candidate is not (both kinds
// counted here with the same s), on pure imaginary squares, and with non-squares refused.
TEST(Bls12381Tower, Fp2SqrtBothCandidates) {
  Rng rng;
  const Fp half = fp_inverse(fp_from_u64(2));
  int first_square = 0, first_non_square = 0;
  for (int i = 0; i < 400; ++i) {
    const Fp2 root = i % 10 == 0 ? Fp2{fp_zero(), rng.fp()} : rng.fp2();
    const Fp2 a = fp2_sqr(root);
    Fp s;
    ASSERT_TRUE(fp_sqrt(fp_sqr(a.c0) + fp_sqr(a.c1), s));
    (fp_is_square((a.c0 + s) * half) ? first_square : first_non_square) += 1;
    Fp2 got;
    ASSERT_TRUE(fp2_sqrt(a, got)) << i;
    ASSERT_TRUE(fp2_eq(got, root) || fp2_eq(got, -root)) << i;
    // A non-square: a times a non-square of Fp2 (u + 1 is none: xi, the tower's non-residue).
    const Fp2 non_square = a * Fp2{fp_one(), fp_one()};
    if (!fp2_is_zero(a)) {
      EXPECT_FALSE(fp2_sqrt(non_square, got)) << i;
    }
  }
  EXPECT_GT(first_square, 100);
  EXPECT_GT(first_non_square, 100);
}

TEST(Bls12381Tower, Fp6AndFp12Inverses) {
  Rng rng;
  for (int i = 0; i < 10; ++i) {
    Fp6 a = rng.fp6();
    EXPECT_TRUE(fp6_eq(a * fp6_inverse(a), fp6_one()));
    EXPECT_TRUE(fp6_eq(fp6_sqr(a), a * a));
    Fp12 f = rng.fp12();
    EXPECT_TRUE(fp12_is_one(f * fp12_inverse(f)));
    EXPECT_TRUE(fp12_is_one(f * fp12_inverse_vartime(f)));
    EXPECT_TRUE(fp12_eq(fp12_sqr(f), f * f));
  }
}

TEST(Bls12381Tower, Fp6MulByVAndSparseProducts) {
  Rng rng;
  for (int i = 0; i < 20; ++i) {
    Fp6 a = rng.fp6();
    Fp2 b0 = rng.fp2(), b1 = rng.fp2();
    Fp6 v{fp2_zero(), fp2_one(), fp2_zero()};
    EXPECT_TRUE(fp6_eq(fp6_mul_by_v(a), a * v));
    EXPECT_TRUE(fp6_eq(fp6_mul_by_01(a, b0, b1), a * Fp6{b0, b1, fp2_zero()}));
    EXPECT_TRUE(fp6_eq(fp6_mul_by_1(a, b1), a * Fp6{fp2_zero(), b1, fp2_zero()}));
    Fp12 f = rng.fp12();
    Fp2 l0 = rng.fp2(), l1 = rng.fp2(), l4 = rng.fp2();
    Fp12 line{Fp6{l0, l1, fp2_zero()}, Fp6{fp2_zero(), l4, fp2_zero()}};
    EXPECT_TRUE(fp12_eq(fp12_mul_by_line(f, l0, l1, l4), f * line));
  }
  // w^2 = v and v^3 = xi.
  Fp12 w{fp6_zero(), fp6_one()};
  Fp12 vv{Fp6{fp2_zero(), fp2_one(), fp2_zero()}, fp6_zero()};
  EXPECT_TRUE(fp12_eq(w * w, vv));
  Fp12 xi{Fp6{Fp2{fp_one(), fp_one()}, fp2_zero(), fp2_zero()}, fp6_zero()};
  EXPECT_TRUE(fp12_eq(vv * vv * vv, xi));
}

Fp12 pow_limbs(const Fp12& a, const std::uint64_t* e, int n) {
  Fp12 r = fp12_one();
  for (int i = n - 1; i >= 0; --i) {
    for (int b = 63; b >= 0; --b) {
      r = fp12_sqr(r);
      if ((e[i] >> b) & 1) r = r * a;
    }
  }
  return r;
}

TEST(Bls12381Tower, FrobeniusIsPowerP) {
  Rng rng;
  Fp12 f = rng.fp12();
  Fp12 fp = pow_limbs(f, fp_modulus(), 6);
  EXPECT_TRUE(fp12_eq(fp12_frobenius(f, 1), fp));
  Fp12 fp2 = pow_limbs(fp, fp_modulus(), 6);
  EXPECT_TRUE(fp12_eq(fp12_frobenius(f, 2), fp2));
  EXPECT_TRUE(fp12_eq(fp12_frobenius(f, 3), fp12_frobenius(fp2, 1)));
  // p^6-th power is conjugation.
  Fp12 f6 = f;
  for (int i = 0; i < 2; ++i) f6 = fp12_frobenius(f6, 3);
  EXPECT_TRUE(fp12_eq(f6, fp12_conj(f)));
}

TEST(Bls12381Tower, CyclotomicSquaringOnCyclotomicElements) {
  Rng rng;
  for (int i = 0; i < 5; ++i) {
    Fp12 f = rng.fp12();
    // Map into the cyclotomic subgroup: f^((p^6 - 1)(p^2 + 1)).
    Fp12 g = fp12_conj(f) * fp12_inverse(f);
    g = fp12_frobenius(g, 2) * g;
    EXPECT_TRUE(fp12_eq(fp12_cyclotomic_sqr(g), fp12_sqr(g)));
    EXPECT_TRUE(fp12_is_one(g * fp12_conj(g)));
  }
}

}  // namespace
}  // namespace hc::bls12_381
