// The Fp product kernels (fp_kernels.h): the MULX/ADCX/ADOX kernel and the portable one agree
// with each other on many random inputs, and both agree with GMP (a * b / 2^384 mod p) on edge
// values of the Montgomery domain; the same for their Fp2 products (lazy reduction on ADX,
// plain Karatsuba on the portable kernel) and their Fp2 squares (unreduced operands on ADX);
// the kernel in use is the one requested.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "crypto/bls12_381/fp2.h"
#include "crypto/bls12_381/fp_kernels.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

using testing::Mpz;
using Limbs = std::array<std::uint64_t, 6>;

// A uniformly random raw value < p (rejection sampling on 381 random bits).
Limbs random_below_p(std::mt19937_64& rng) {
  Mpz p, v;
  testing::limbs_to_mpz(fp_modulus(), 6, p.v);
  Limbs l;
  do {
    for (auto& x : l) x = rng();
    l[5] &= (std::uint64_t{1} << 61) - 1;
    testing::limbs_to_mpz(l.data(), 6, v.v);
  } while (mpz_cmp(v.v, p.v) >= 0);
  return l;
}

// GMP reference for one kernel call: a * b * 2^-384 mod p.
Limbs montgomery_product_gmp(const Limbs& a, const Limbs& b) {
  Mpz p, x, y, r_inv;
  testing::limbs_to_mpz(fp_modulus(), 6, p.v);
  testing::limbs_to_mpz(a.data(), 6, x.v);
  testing::limbs_to_mpz(b.data(), 6, y.v);
  mpz_set_ui(r_inv.v, 1);
  mpz_mul_2exp(r_inv.v, r_inv.v, 384);
  EXPECT_NE(mpz_invert(r_inv.v, r_inv.v, p.v), 0);
  mpz_mul(x.v, x.v, y.v);
  mpz_mul(x.v, x.v, r_inv.v);
  mpz_mod(x.v, x.v, p.v);
  Limbs out;
  testing::mpz_to_limbs(x.v, out.data(), 6);
  return out;
}

// GMP reference for one Fp2 kernel call: ((a0 b0 - a1 b1) + (a0 b1 + a1 b0) u) / 2^384.
std::pair<Limbs, Limbs> fp2_product_gmp(const Limbs& a0, const Limbs& a1, const Limbs& b0,
                                        const Limbs& b1) {
  Limbs m00 = montgomery_product_gmp(a0, b0), m11 = montgomery_product_gmp(a1, b1);
  Limbs m01 = montgomery_product_gmp(a0, b1), m10 = montgomery_product_gmp(a1, b0);
  Mpz p, x, y;
  testing::limbs_to_mpz(fp_modulus(), 6, p.v);
  Limbs c0, c1;
  testing::limbs_to_mpz(m00.data(), 6, x.v);
  testing::limbs_to_mpz(m11.data(), 6, y.v);
  mpz_sub(x.v, x.v, y.v);
  mpz_mod(x.v, x.v, p.v);
  testing::mpz_to_limbs(x.v, c0.data(), 6);
  testing::limbs_to_mpz(m01.data(), 6, x.v);
  testing::limbs_to_mpz(m10.data(), 6, y.v);
  mpz_add(x.v, x.v, y.v);
  mpz_mod(x.v, x.v, p.v);
  testing::mpz_to_limbs(x.v, c1.data(), 6);
  return {c0, c1};
}

Limbs limbs_of(const mpz_t v) {
  Limbs l;
  testing::mpz_to_limbs(v, l.data(), 6);
  return l;
}

// Raw representatives at the edges: 0, 1, 2, p-1, p-2, p-3, R mod p (the Montgomery one),
// R mod p - 1 and + 1, R^2 mod p, 2^380 - 1, 2^380, the largest values with all-ones low
// limbs below p, and operands chosen so that the product lands on 0, 1, p - 1 and p - 2
// (so the final masked subtraction is exercised on both sides of its boundary).
std::vector<Limbs> edge_values() {
  Mpz p, t, r, r_inv;
  testing::limbs_to_mpz(fp_modulus(), 6, p.v);
  mpz_set_ui(r.v, 1);
  mpz_mul_2exp(r.v, r.v, 384);
  mpz_invert(r_inv.v, r.v, p.v);
  mpz_mod(r.v, r.v, p.v);
  std::vector<Limbs> v;
  auto add = [&](const mpz_t x) { v.push_back(limbs_of(x)); };
  for (long d : {0L, 1L, 2L}) {
    mpz_set_si(t.v, d);
    add(t.v);
  }
  for (long d : {1L, 2L, 3L}) {
    mpz_sub_ui(t.v, p.v, static_cast<unsigned long>(d));
    add(t.v);
  }
  add(r.v);
  mpz_sub_ui(t.v, r.v, 1);
  add(t.v);
  mpz_add_ui(t.v, r.v, 1);
  add(t.v);
  mpz_mul(t.v, r.v, r.v);
  mpz_mod(t.v, t.v, p.v);
  add(t.v);
  mpz_set_ui(t.v, 1);
  mpz_mul_2exp(t.v, t.v, 380);
  add(t.v);
  mpz_sub_ui(t.v, t.v, 1);
  add(t.v);
  for (unsigned low_bits : {64u, 128u, 192u, 256u, 320u}) {  // p - (p mod 2^k) - 1 + ...
    mpz_fdiv_q_2exp(t.v, p.v, low_bits);
    mpz_mul_2exp(t.v, t.v, low_bits);
    mpz_sub_ui(t.v, t.v, 1);  // top limbs of p minus one, low limbs all ones
    add(t.v);
  }
  // a = c * R / b mod p makes mont(a, b) = c; b = p - 1.
  Mpz b, b_inv;
  mpz_sub_ui(b.v, p.v, 1);
  mpz_invert(b_inv.v, b.v, p.v);
  for (long c : {0L, 1L, -1L, -2L}) {
    mpz_set_si(t.v, c);
    mpz_mod(t.v, t.v, p.v);
    mpz_mul(t.v, t.v, r.v);
    mpz_mul(t.v, t.v, b_inv.v);
    mpz_mod(t.v, t.v, p.v);
    add(t.v);
  }
  return v;
}

std::vector<const FpKernel*> all_kernels() {
  std::vector<const FpKernel*> ks = {&fp_kernel_portable()};
  if (fp_kernel_adx() != nullptr) ks.push_back(fp_kernel_adx());
  return ks;
}

TEST(Bls12381FpKernel, EveryKernelMatchesGmpOnEdgeValues) {
  const auto edges = edge_values();
  for (const FpKernel* k : all_kernels()) {
    for (const Limbs& a : edges) {
      for (const Limbs& b : edges) {
        Limbs got;
        k->mul(got.data(), a.data(), b.data());
        ASSERT_EQ(got, montgomery_product_gmp(a, b)) << k->name << " mul";
      }
      Limbs sq;
      k->sqr(sq.data(), a.data());
      ASSERT_EQ(sq, montgomery_product_gmp(a, a)) << k->name << " sqr";
    }
  }
}

TEST(Bls12381FpKernel, EveryFp2KernelMatchesGmpOnEdgeValues) {
  const auto edges = edge_values();
  const std::size_t n = edges.size();
  for (const FpKernel* k : all_kernels()) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        // a = (e_i, e_j), b = (e_j, e_(i+j)) and b = (e_(n-1-i), e_i): every edge value meets
        // every other in both coordinates.
        const Limbs &a0 = edges[i], &a1 = edges[j];
        for (auto [b0, b1] : {std::pair{edges[j], edges[(i + j) % n]},
                              std::pair{edges[n - 1 - i], edges[i]}}) {
          Limbs c0, c1;
          k->fp2_mul(c0.data(), c1.data(), a0.data(), a1.data(), b0.data(), b1.data());
          auto want = fp2_product_gmp(a0, a1, b0, b1);
          ASSERT_EQ(c0, want.first) << k->name << " fp2 c0 " << i << " " << j;
          ASSERT_EQ(c1, want.second) << k->name << " fp2 c1 " << i << " " << j;
        }
      }
    }
  }
}

TEST(Bls12381FpKernel, Fp2KernelsAgreeOnRandomInputsAndAliasing) {
  const FpKernel* adx = fp_kernel_adx();
  if (adx == nullptr) GTEST_SKIP() << "this CPU has no ADX/BMI2";
  const FpKernel& portable = fp_kernel_portable();
  std::mt19937_64 rng(18004);
  for (int i = 0; i < 30000; ++i) {
    Limbs a0 = random_below_p(rng), a1 = random_below_p(rng);
    Limbs b0 = random_below_p(rng), b1 = random_below_p(rng);
    Limbs w0, w1, g0, g1;
    portable.fp2_mul(w0.data(), w1.data(), a0.data(), a1.data(), b0.data(), b1.data());
    adx->fp2_mul(g0.data(), g1.data(), a0.data(), a1.data(), b0.data(), b1.data());
    ASSERT_EQ(g0, w0) << i;
    ASSERT_EQ(g1, w1) << i;
    if (i < 500) {
      auto want = fp2_product_gmp(a0, a1, b0, b1);
      ASSERT_EQ(g0, want.first) << "gmp " << i;
      ASSERT_EQ(g1, want.second) << "gmp " << i;
    }
    // In place, as in a *= b and a = a * a.
    for (const FpKernel* k : {&portable, adx}) {
      Limbs x0 = a0, x1 = a1;
      k->fp2_mul(x0.data(), x1.data(), x0.data(), x1.data(), b0.data(), b1.data());
      ASSERT_EQ(x0, w0) << k->name << " aliasing " << i;
      ASSERT_EQ(x1, w1) << k->name << " aliasing " << i;
      x0 = a0, x1 = a1;
      k->fp2_mul(x0.data(), x1.data(), x0.data(), x1.data(), x0.data(), x1.data());
      Limbs s0, s1;
      portable.fp2_mul(s0.data(), s1.data(), a0.data(), a1.data(), a0.data(), a1.data());
      ASSERT_EQ(x0, s0) << k->name << " square aliasing " << i;
      ASSERT_EQ(x1, s1) << k->name << " square aliasing " << i;
    }
  }
}

TEST(Bls12381FpKernel, EveryFp2SquareMatchesGmpOnEdgeValues) {
  // Every pair of edge values as (a0, a1): among them a0 = a1 = p - 1, where the unreduced
  // sum a0 + a1 and double 2 a0 of the ADX square are largest (2p - 2).
  const auto edges = edge_values();
  for (const FpKernel* k : all_kernels()) {
    for (const Limbs& a0 : edges) {
      for (const Limbs& a1 : edges) {
        Limbs c0, c1;
        k->fp2_sqr(c0.data(), c1.data(), a0.data(), a1.data());
        auto want = fp2_product_gmp(a0, a1, a0, a1);
        ASSERT_EQ(c0, want.first) << k->name << " fp2 square c0";
        ASSERT_EQ(c1, want.second) << k->name << " fp2 square c1";
      }
    }
  }
}

TEST(Bls12381FpKernel, Fp2SquaresAgreeWithProductsAndAliasing) {
  std::mt19937_64 rng(18005);
  for (int i = 0; i < 30000; ++i) {
    Limbs a0 = random_below_p(rng), a1 = random_below_p(rng);
    Limbs w0, w1;
    fp_kernel_portable().fp2_mul(w0.data(), w1.data(), a0.data(), a1.data(), a0.data(),
                                 a1.data());
    if (i < 300) {
      auto want = fp2_product_gmp(a0, a1, a0, a1);
      ASSERT_EQ(w0, want.first) << "gmp " << i;
      ASSERT_EQ(w1, want.second) << "gmp " << i;
    }
    for (const FpKernel* k : all_kernels()) {
      Limbs g0, g1;
      k->fp2_sqr(g0.data(), g1.data(), a0.data(), a1.data());
      ASSERT_EQ(g0, w0) << k->name << " " << i;
      ASSERT_EQ(g1, w1) << k->name << " " << i;
      // In place (a = a^2), and with the outputs swapped onto the inputs.
      Limbs x0 = a0, x1 = a1;
      k->fp2_sqr(x0.data(), x1.data(), x0.data(), x1.data());
      ASSERT_EQ(x0, w0) << k->name << " in place " << i;
      ASSERT_EQ(x1, w1) << k->name << " in place " << i;
      x0 = a0, x1 = a1;
      k->fp2_sqr(x1.data(), x0.data(), x0.data(), x1.data());
      ASSERT_EQ(x1, w0) << k->name << " swapped " << i;
      ASSERT_EQ(x0, w1) << k->name << " swapped " << i;
    }
  }
}

TEST(Bls12381FpKernel, AdxProductAcceptsAFirstOperandBelowTwoP) {
  // The ADX Fp2 square relies on it: a in [p, 2p) as the first operand still gives
  // a * b / 2^384 mod p, fully reduced.
  const FpKernel* adx = fp_kernel_adx();
  if (adx == nullptr) GTEST_SKIP() << "this CPU has no ADX/BMI2";
  Mpz p, t;
  testing::limbs_to_mpz(fp_modulus(), 6, p.v);
  std::vector<Limbs> firsts;
  for (long d : {0L, 1L, 2L}) {  // p, p + 1, p + 2 and 2p - 1, 2p - 2, 2p - 3
    mpz_add_ui(t.v, p.v, static_cast<unsigned long>(d));
    firsts.push_back(limbs_of(t.v));
    mpz_mul_2exp(t.v, p.v, 1);
    mpz_sub_ui(t.v, t.v, static_cast<unsigned long>(d + 1));
    firsts.push_back(limbs_of(t.v));
  }
  std::mt19937_64 rng(18006);
  for (int i = 0; i < 2000; ++i) {  // x + p for random x < p
    Limbs x = random_below_p(rng);
    testing::limbs_to_mpz(x.data(), 6, t.v);
    mpz_add(t.v, t.v, p.v);
    firsts.push_back(limbs_of(t.v));
  }
  const auto edges = edge_values();
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    const Limbs& a = firsts[i];
    for (const Limbs& b : i < 6 ? edges : std::vector<Limbs>{random_below_p(rng)}) {
      Limbs got;
      adx->mul(got.data(), a.data(), b.data());
      ASSERT_EQ(got, montgomery_product_gmp(a, b)) << i;
    }
  }
}

TEST(Bls12381FpKernel, AdxAndPortableAgreeOnRandomInputs) {
  const FpKernel* adx = fp_kernel_adx();
  if (adx == nullptr) GTEST_SKIP() << "this CPU has no ADX/BMI2";
  const FpKernel& portable = fp_kernel_portable();
  std::mt19937_64 rng(18001);
  for (int i = 0; i < 50000; ++i) {
    Limbs a = random_below_p(rng), b = random_below_p(rng);
    Limbs want, got;
    portable.mul(want.data(), a.data(), b.data());
    adx->mul(got.data(), a.data(), b.data());
    ASSERT_EQ(got, want) << "mul " << i;
    portable.sqr(want.data(), a.data());
    adx->sqr(got.data(), a.data());
    ASSERT_EQ(got, want) << "sqr " << i;
  }
  // A few thousand against GMP as well (slower), so agreement is not agreement in a bug.
  for (int i = 0; i < 2000; ++i) {
    Limbs a = random_below_p(rng), b = random_below_p(rng);
    Limbs got;
    adx->mul(got.data(), a.data(), b.data());
    ASSERT_EQ(got, montgomery_product_gmp(a, b)) << "gmp " << i;
  }
}

TEST(Bls12381FpKernel, LongChainsAgree) {
  // Results fed back as inputs for many steps: any value the kernels can produce is one
  // they accept, and the two stay equal along the way.
  const FpKernel* adx = fp_kernel_adx();
  if (adx == nullptr) GTEST_SKIP() << "this CPU has no ADX/BMI2";
  std::mt19937_64 rng(18002);
  Limbs x = random_below_p(rng), y = x, c = random_below_p(rng);
  for (int i = 0; i < 100000; ++i) {
    fp_kernel_portable().mul(x.data(), x.data(), c.data());
    adx->mul(y.data(), y.data(), c.data());
    if (i % 3 == 0) {
      fp_kernel_portable().sqr(x.data(), x.data());
      adx->sqr(y.data(), y.data());
    }
    ASSERT_EQ(x, y) << i;
  }
}

TEST(Bls12381FpKernel, ActiveKernelIsTheRequestedOne) {
  const char* forced = std::getenv("HC_BLS12_381_FP_KERNEL");
  const std::string active = fp_kernel_active().name;
  if (forced != nullptr && std::strcmp(forced, "portable") == 0) {
    EXPECT_EQ(active, "portable");
  } else if (fp_kernel_adx() != nullptr) {
    EXPECT_EQ(active, "adx");
  } else {
    EXPECT_EQ(active, "portable");
  }
  // The operators go through the active kernel.
  std::mt19937_64 rng(18003);
  Fp a = testing::random_fp(rng), b = testing::random_fp(rng);
  Limbs want;
  fp_kernel_active().mul(want.data(), a.l, b.l);
  Fp got = a * b;
  EXPECT_EQ(0, std::memcmp(got.l, want.data(), sizeof(got.l)));
  Fp2 x{a, b};
  Limbs want0, want1;
  fp_kernel_active().fp2_sqr(want0.data(), want1.data(), a.l, b.l);
  Fp2 sq = fp2_sqr(x);
  EXPECT_EQ(0, std::memcmp(sq.c0.l, want0.data(), sizeof(sq.c0.l)));
  EXPECT_EQ(0, std::memcmp(sq.c1.l, want1.data(), sizeof(sq.c1.l)));
}

}  // namespace
}  // namespace hc::bls12_381
