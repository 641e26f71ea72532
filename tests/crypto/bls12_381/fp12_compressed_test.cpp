// Compressed cyclotomic squarings (fp12_compressed.h) against the Granger-Scott squaring and
// the plain f^|x|: on GT elements, on cyclotomic elements outside GT, on an element of small
// order, and the fallback when recovery is impossible (f = 1); the comparison refuses wrong
// values. Also checks, with GMP,
// the number-theoretic fact the GT membership test rests on: gcd(p - x, Phi12(p)) = r.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/bls12_381/fp12_compressed.h"
#include "crypto/bls12_381/points.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

using testing::Mpz;

Fp12 compressed_test_random_fp12(std::mt19937_64& rng) {
  Fp12 f;
  Fp* c[12] = {&f.c0.c0.c0, &f.c0.c0.c1, &f.c0.c1.c0, &f.c0.c1.c1, &f.c0.c2.c0, &f.c0.c2.c1,
               &f.c1.c0.c0, &f.c1.c0.c1, &f.c1.c1.c0, &f.c1.c1.c1, &f.c1.c2.c0, &f.c1.c2.c1};
  for (Fp* x : c) *x = testing::random_fp(rng);
  return f;
}

// f^((p^6 - 1)(p^2 + 1)): in the cyclotomic subgroup, almost surely not in GT.
Fp12 compressed_test_cyclotomic(const Fp12& f) {
  Fp12 g = fp12_conj(f) * fp12_inverse(f);
  return fp12_frobenius(g, 2) * g;
}

// Cyclotomic test inputs: GT elements and cyclotomic elements outside GT.
std::vector<Fp12> compressed_test_inputs() {
  std::vector<Fp12> out;
  const GT e = pairing(G1::generator(), G2::generator());
  for (int i = 0; i < 4; ++i) out.push_back(to_fp12(e.pow(Fr::random())));
  std::mt19937_64 rng(1130);
  for (int i = 0; i < 4; ++i) out.push_back(compressed_test_cyclotomic(compressed_test_random_fp12(rng)));
  return out;
}

TEST(Bls12381CompressedCyclotomic, SquaringMatchesGrangerScottAlongAChain) {
  for (const Fp12& f : compressed_test_inputs()) {
    Fp12 plain = f;
    CyclotomicCompressed z = cyclotomic_compress(f);
    for (int step = 1; step <= 70; ++step) {
      plain = fp12_cyclotomic_sqr(plain);
      z = cyclotomic_compressed_sqr(z);
      const CyclotomicCompressed expect = cyclotomic_compress(plain);
      ASSERT_TRUE(fp2_eq(z.b0, expect.b0) && fp2_eq(z.b1, expect.b1) && fp2_eq(z.c0, expect.c0) &&
                  fp2_eq(z.c1, expect.c1))
          << "step " << step;
    }
  }
}

Fp12 compressed_test_scale(const Fp12& f, const Fp2& k) {
  return Fp12{Fp6{f.c0.c0 * k, f.c0.c1 * k, f.c0.c2 * k}, Fp6{f.c1.c0 * k, f.c1.c1 * k, f.c1.c2 * k}};
}

TEST(Bls12381CompressedCyclotomic, DecompressionRecoversTheElementUpToItsFactor) {
  for (const Fp12& f : compressed_test_inputs()) {
    const Fp12 sq = fp12_cyclotomic_sqr(f);
    Fp12 scaled;
    Fp2 lambda;
    ASSERT_TRUE(cyclotomic_decompress_scaled(cyclotomic_compress(sq), scaled, lambda));
    EXPECT_FALSE(fp2_is_zero(lambda));
    EXPECT_TRUE(fp12_eq(scaled, compressed_test_scale(sq, lambda)));
    // The factor is exactly what it takes: dividing it out gives the element itself.
    EXPECT_TRUE(fp12_eq(compressed_test_scale(scaled, fp2_inverse_vartime(lambda)), sq));
  }
}

TEST(Bls12381CompressedCyclotomic, DecompressionRefusesWhatItCannotRecover) {
  // 1 = A with B = C = 0: E = 0, so A is not determined by B and C.
  Fp12 scaled;
  Fp2 lambda;
  EXPECT_FALSE(cyclotomic_decompress_scaled(cyclotomic_compress(fp12_one()), scaled, lambda));
}

TEST(Bls12381CompressedCyclotomic, PowAbsXComparisonAgreesWithThePlainExponentiation) {
  std::vector<Fp12> inputs = compressed_test_inputs();
  inputs.push_back(fp12_one());  // the fallback path: decompression impossible
  // An element of order 4513 (a factor of Phi12(p) / r) and its product with a GT element.
  Mpz p("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
  Mpz phi, p2, e;
  mpz_mul(p2.v, p.v, p.v);
  mpz_mul(phi.v, p2.v, p2.v);
  mpz_sub(phi.v, phi.v, p2.v);
  mpz_add_ui(phi.v, phi.v, 1);
  ASSERT_TRUE(mpz_divisible_ui_p(phi.v, 4513));
  mpz_divexact_ui(e.v, phi.v, 4513);
  std::mt19937_64 rng(4513);
  Fp12 small = fp12_one();
  for (int i = 0; i < 4 && fp12_is_one(small); ++i) {
    const Fp12 c = compressed_test_cyclotomic(compressed_test_random_fp12(rng));
    small = fp12_one();
    for (long bit = static_cast<long>(mpz_sizeinbase(e.v, 2)) - 1; bit >= 0; --bit) {
      small = fp12_cyclotomic_sqr(small);
      if (mpz_tstbit(e.v, static_cast<mp_bitcnt_t>(bit))) small = small * c;
    }
  }
  ASSERT_FALSE(fp12_is_one(small));
  inputs.push_back(small);
  inputs.push_back(small * inputs[0]);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Fp12 expect = fp12_cyclotomic_pow_abs_x(inputs[i]);
    EXPECT_TRUE(fp12_cyclotomic_pow_abs_x_equals_vartime(inputs[i], expect)) << i;
    // Any other value is refused: another power, the conjugate (f^x), a scalar multiple (for
    // f = 1 the first two are 1 as well).
    if (!fp12_is_one(expect)) {
      EXPECT_FALSE(
          fp12_cyclotomic_pow_abs_x_equals_vartime(inputs[i], fp12_cyclotomic_sqr(expect)))
          << i;
      EXPECT_FALSE(fp12_cyclotomic_pow_abs_x_equals_vartime(inputs[i], fp12_conj(expect))) << i;
    }
    EXPECT_FALSE(fp12_cyclotomic_pow_abs_x_equals_vartime(
        inputs[i], compressed_test_scale(expect, Fp2{fp_from_u64(2), fp_zero()})))
        << i;
  }
}

TEST(Bls12381CompressedCyclotomic, FrobeniusMinusXMeetsPhi12InExactlyR) {
  // The GT test f^p == f^x inside the cyclotomic subgroup (cyclic, of order Phi12(p)) has
  // the kernel of f -> f^(p - x), of order gcd(p - x, Phi12(p)); it is GT iff that is r.
  Mpz p("1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab");
  Mpz r("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");
  Mpz x("d201000000010000");  // |x|; x = -|x|, so p - x = p + |x|
  Mpz p_minus_x, p2, phi, g;
  mpz_add(p_minus_x.v, p.v, x.v);
  mpz_mul(p2.v, p.v, p.v);
  mpz_mul(phi.v, p2.v, p2.v);
  mpz_sub(phi.v, phi.v, p2.v);
  mpz_add_ui(phi.v, phi.v, 1);
  mpz_gcd(g.v, p_minus_x.v, phi.v);
  EXPECT_EQ(mpz_cmp(g.v, r.v), 0);
}

}  // namespace
}  // namespace hc::bls12_381
