// Fp and Fr arithmetic against GMP, on random and edge inputs.
#include <gtest/gtest.h>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fr_internal.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

using testing::Mpz;

const char* kPHex =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
const char* kRHex = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

TEST(Bls12381Params, ModuliDerivedFromCurveParameter) {
  // p = (x-1)^2 (x^4 - x^2 + 1)/3 + x and r = x^4 - x^2 + 1 for x = -0xd201000000010000.
  Mpz x("-d201000000010000"), r, p, t;
  mpz_pow_ui(r.v, x.v, 4);
  mpz_pow_ui(t.v, x.v, 2);
  mpz_sub(r.v, r.v, t.v);
  mpz_add_ui(r.v, r.v, 1);
  mpz_sub_ui(t.v, x.v, 1);
  mpz_mul(t.v, t.v, t.v);
  mpz_mul(p.v, t.v, r.v);
  mpz_divexact_ui(p.v, p.v, 3);
  mpz_add(p.v, p.v, x.v);
  Mpz p_lib, r_lib;
  testing::limbs_to_mpz(fp_modulus(), 6, p_lib.v);
  testing::limbs_to_mpz(fr_detail::kR, 4, r_lib.v);
  EXPECT_EQ(mpz_cmp(p.v, p_lib.v), 0);
  EXPECT_EQ(mpz_cmp(r.v, r_lib.v), 0);
  EXPECT_EQ(mpz_cmp(p.v, Mpz(kPHex).v), 0);
  EXPECT_EQ(mpz_cmp(r.v, Mpz(kRHex).v), 0);
  EXPECT_NE(mpz_probab_prime_p(p.v, 30), 0);
  EXPECT_NE(mpz_probab_prime_p(r.v, 30), 0);
}

std::vector<Fp> sample_fp() {
  std::mt19937_64 rng(12345);
  std::vector<Fp> v = {fp_zero(), fp_one(), fp_from_u64(2), -fp_one(), -fp_from_u64(2)};
  // Values near 2^381 and near p, and values with all-ones limbs (all reduced mod p first).
  Mpz p(kPHex), t;
  for (unsigned k : {380u, 379u}) {
    mpz_set_ui(t.v, 1);
    mpz_mul_2exp(t.v, t.v, k);
    mpz_sub_ui(t.v, t.v, 1);
    v.push_back(testing::fp_from_mpz(t.v));
  }
  mpz_sub_ui(t.v, p.v, 3);
  v.push_back(testing::fp_from_mpz(t.v));
  for (int i = 0; i < 400; ++i) v.push_back(testing::random_fp(rng));
  return v;
}

TEST(Bls12381Fp, ArithmeticMatchesGmp) {
  Mpz p(kPHex), a, b, want, got;
  auto vals = sample_fp();
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const Fp& x = vals[i];
    const Fp& y = vals[(i * 7 + 3) % vals.size()];
    testing::fp_to_mpz(x, a.v);
    testing::fp_to_mpz(y, b.v);
    mpz_mul(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, p.v);
    testing::fp_to_mpz(x * y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "mul " << i;
    mpz_add(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, p.v);
    testing::fp_to_mpz(x + y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "add " << i;
    mpz_sub(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, p.v);
    testing::fp_to_mpz(x - y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "sub " << i;
    mpz_mul(want.v, a.v, a.v);
    mpz_mod(want.v, want.v, p.v);
    testing::fp_to_mpz(fp_sqr(x), got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "sqr " << i;
    ASSERT_TRUE(fp_eq(fp_dbl(fp_half(x)), x)) << "half " << i;
  }
}

TEST(Bls12381Fp, InverseAndSqrtMatchGmp) {
  Mpz p(kPHex), a, want, got;
  auto vals = sample_fp();
  vals.resize(60);
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const Fp& x = vals[i];
    testing::fp_to_mpz(x, a.v);
    if (mpz_sgn(a.v) == 0) {
      EXPECT_TRUE(fp_is_zero(fp_inverse(x)));
      EXPECT_TRUE(fp_is_zero(fp_inverse_vartime(x)));
      continue;
    }
    ASSERT_NE(mpz_invert(want.v, a.v, p.v), 0);
    testing::fp_to_mpz(fp_inverse(x), got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "inverse " << i;
    testing::fp_to_mpz(fp_inverse_vartime(x), got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "inverse_vartime " << i;
    Fp s;
    bool is_qr = mpz_legendre(a.v, p.v) == 1;
    ASSERT_EQ(fp_sqrt(x, s), is_qr) << i;
    ASSERT_EQ(fp_is_square(x), is_qr) << i;
    if (is_qr) {
      ASSERT_TRUE(fp_eq(fp_sqr(s), x));
    }
  }
}

TEST(Bls12381Fp, PowMatchesGmpOnEdgeAndRandomExponents) {
  // fp_pow's sliding windows: exponents 0, 1, 2, 31, 32, 33 (one window, window boundary),
  // all ones (full windows all the way), single bits at every limb boundary, long zero runs
  // (|x|-like), windows that reach bit 0, and random exponents of 1 to 6 limbs.
  Mpz p(kPHex), a, e, want, got;
  std::vector<std::vector<std::uint64_t>> exps = {{0}, {1}, {2}, {31}, {32}, {33}, {0x1f0},
                                                  {0xd201000000010000ULL}, {~0ULL, ~0ULL},
                                                  {0, 0, 0, 0, 0, 1}, {1, 0, 0, 0, 0, 0}};
  for (int b = 0; b < 384; b += 61) {
    std::vector<std::uint64_t> one_bit(6, 0);
    one_bit[b / 64] = std::uint64_t{1} << (b % 64);
    exps.push_back(one_bit);
  }
  std::mt19937_64 rng(18007);
  for (int n = 1; n <= 6; ++n) {
    for (int k = 0; k < 4; ++k) {
      std::vector<std::uint64_t> r(n);
      for (auto& x : r) x = rng();
      exps.push_back(r);
    }
  }
  auto vals = sample_fp();
  vals.resize(12);
  for (const auto& ex : exps) {
    testing::limbs_to_mpz(ex.data(), static_cast<int>(ex.size()), e.v);
    for (std::size_t i = 0; i < vals.size(); ++i) {
      testing::fp_to_mpz(vals[i], a.v);
      mpz_powm(want.v, a.v, e.v, p.v);
      testing::fp_to_mpz(fp_pow(vals[i], ex.data(), static_cast<int>(ex.size())), got.v);
      ASSERT_EQ(mpz_cmp(want.v, got.v), 0) << "exponent limbs " << ex.size() << " value " << i;
    }
  }
}

TEST(Bls12381Fp, BytesRoundTripAndRejectNonCanonical) {
  std::uint8_t buf[48];
  Fp m = -fp_one();  // p - 1
  fp_to_bytes_be(m, buf);
  Fp back;
  ASSERT_TRUE(fp_from_bytes_be(buf, back));
  EXPECT_TRUE(fp_eq(back, m));
  buf[47] += 1;  // p itself
  EXPECT_FALSE(fp_from_bytes_be(buf, back));
  for (auto& b : buf) b = 0xff;
  EXPECT_FALSE(fp_from_bytes_be(buf, back));
}

TEST(Bls12381Fr, ArithmeticMatchesGmp) {
  Mpz r(kRHex), a, b, want, got;
  std::mt19937_64 rng(777);
  std::vector<Fr> vals = {Fr::zero(), Fr::one(), -Fr::one(), Fr::from_u64(2)};
  for (int i = 0; i < 200; ++i) vals.push_back(Fr::random());
  auto to_mpz = [](const Fr& f, mpz_t out) {
    std::uint64_t l[4];
    fr_detail::to_canonical(f, l);
    testing::limbs_to_mpz(l, 4, out);
  };
  for (std::size_t i = 0; i < vals.size(); ++i) {
    const Fr& x = vals[i];
    const Fr& y = vals[(i * 5 + 1) % vals.size()];
    to_mpz(x, a.v);
    to_mpz(y, b.v);
    ASSERT_LT(mpz_cmp(a.v, r.v), 0);
    mpz_mul(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, r.v);
    to_mpz(x * y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0);
    mpz_add(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, r.v);
    to_mpz(x + y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0);
    mpz_sub(want.v, a.v, b.v);
    mpz_mod(want.v, want.v, r.v);
    to_mpz(x - y, got.v);
    ASSERT_EQ(mpz_cmp(want.v, got.v), 0);
    if (!x.is_zero() && i < 40) {
      EXPECT_EQ(x * x.inverse(), Fr::one());
    }
  }
  EXPECT_TRUE(Fr::zero().inverse().is_zero());
}

TEST(Bls12381Fr, BytesEncodingAndWideReduction) {
  Mpz r(kRHex), v, got;
  // r - 1 round-trips; r and above are rejected; wrong lengths are rejected.
  auto rm1 = (-Fr::one()).to_bytes();
  auto back = Fr::from_bytes(rm1);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, -Fr::one());
  std::array<std::uint8_t, 32> rb{};
  std::uint64_t rl[4];
  for (int i = 0; i < 4; ++i) rl[i] = fr_detail::kR[i];
  for (int i = 0; i < 32; ++i) rb[i] = static_cast<std::uint8_t>(rl[(31 - i) / 8] >> (8 * ((31 - i) % 8)));
  EXPECT_FALSE(Fr::from_bytes(rb).ok());
  std::array<std::uint8_t, 32> ff;
  ff.fill(0xff);
  EXPECT_FALSE(Fr::from_bytes(ff).ok());
  EXPECT_FALSE(Fr::from_bytes(ByteSpan(ff.data(), 31)).ok());
  EXPECT_FALSE(Fr::from_bytes(Bytes(33, 0)).ok());
  // 64-byte reduction against GMP.
  std::mt19937_64 rng(99);
  for (int t = 0; t < 50; ++t) {
    std::array<std::uint8_t, 64> w;
    for (auto& b : w) b = static_cast<std::uint8_t>(rng());
    if (t == 0) w.fill(0xff);
    mpz_import(v.v, 64, 1, 1, 1, 0, w.data());
    mpz_mod(v.v, v.v, r.v);
    auto bytes = Fr::from_wide_bytes(w).to_bytes();
    mpz_import(got.v, 32, 1, 1, 1, 0, bytes.data());
    ASSERT_EQ(mpz_cmp(v.v, got.v), 0);
  }
}

}  // namespace
}  // namespace hc::bls12_381
