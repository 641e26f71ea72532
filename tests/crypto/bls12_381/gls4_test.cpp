// The four-dimensional GLS multiplication on G2 (scalar_mul_gls4.h): the base-|x| split and
// the signed recoding against GMP, and the multiplication against the previous constant-time
// path (two-dimensional GLS with psi^2), the plain 256-bit ladder and the zkcrypto vectors
// [i]G2, on random scalars and on scalars at the split's boundaries.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/fr_internal.h"
#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "crypto/bls12_381/scalar_mul_gls4.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

constexpr std::uint64_t kAbsXValue = 0xd201000000010000ULL;

// The canonical limbs of a GMP value reduced mod r.
std::array<std::uint64_t, 4> limbs_mod_r(const mpz_t v) {
  testing::Mpz r, red;
  testing::limbs_to_mpz(fr_detail::kR, 4, r.v);
  mpz_mod(red.v, v, r.v);
  std::array<std::uint64_t, 4> out{};
  testing::mpz_to_limbs(red.v, out.data(), 4);
  return out;
}

// Scalars at the edges: 0, 1, r - 1, r - 2 and, for m = 1..3, |x|^m - 1, |x|^m, |x|^m + 1,
// (|x| - 1) |x|^m and |x|^(m+1) - 1 (every lower part at its maximum), reduced mod r.
std::vector<std::array<std::uint64_t, 4>> edge_scalars() {
  std::vector<std::array<std::uint64_t, 4>> out;
  testing::Mpz x, v, pw;
  mpz_set_ui(x.v, 0);
  mpz_import(x.v, 1, -1, sizeof(std::uint64_t), 0, 0, &kAbsXValue);
  for (long c : {0L, 1L, -1L, -2L}) {
    mpz_set_si(v.v, c);
    out.push_back(limbs_mod_r(v.v));
  }
  mpz_set_ui(pw.v, 1);
  for (int m = 1; m <= 3; ++m) {
    mpz_mul(pw.v, pw.v, x.v);
    for (long c : {-1L, 0L, 1L}) {
      mpz_set_si(v.v, c);
      mpz_add(v.v, v.v, pw.v);
      out.push_back(limbs_mod_r(v.v));
    }
    mpz_sub_ui(v.v, x.v, 1);
    mpz_mul(v.v, v.v, pw.v);
    out.push_back(limbs_mod_r(v.v));
    mpz_mul(v.v, pw.v, x.v);
    mpz_sub_ui(v.v, v.v, 1);
    out.push_back(limbs_mod_r(v.v));
  }
  return out;
}

std::vector<std::array<std::uint64_t, 4>> random_scalars(int count) {
  std::vector<std::array<std::uint64_t, 4>> out;
  for (int i = 0; i < count; ++i) {
    std::array<std::uint64_t, 4> k{};
    fr_detail::to_canonical(Fr::random(), k.data());
    out.push_back(k);
  }
  return out;
}

TEST(Bls12381Gls4, SplitIsTheBaseAbsXExpansion) {
  auto scalars = edge_scalars();
  auto more = random_scalars(200);
  scalars.insert(scalars.end(), more.begin(), more.end());
  testing::Mpz k, x, rem, got;
  mpz_import(x.v, 1, -1, sizeof(std::uint64_t), 0, 0, &kAbsXValue);
  for (const auto& s : scalars) {
    std::uint64_t parts[4];
    gls4_split_scalar(s.data(), parts);
    testing::limbs_to_mpz(s.data(), 4, k.v);
    for (int m = 0; m < 4; ++m) {
      mpz_fdiv_qr(k.v, rem.v, k.v, x.v);
      ASSERT_EQ(mpz_get_ui(rem.v), parts[m]) << "part " << m;
      ASSERT_LT(parts[m], kAbsXValue);
    }
    ASSERT_EQ(mpz_sgn(k.v), 0) << "k >= |x|^4";
  }
}

TEST(Bls12381Gls4, SignedDigitsSumToThePart) {
  std::mt19937_64 rng(18);
  std::vector<std::uint64_t> parts = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33,
                                      kAbsXValue - 1, kAbsXValue - 2, 0xd1ffffffffffffffULL,
                                      0x8888888888888888ULL, 0x7777777777777777ULL,
                                      0xcfffffffffffffffULL};
  for (int i = 0; i < 500; ++i) parts.push_back(rng() % kAbsXValue);
  for (int w = 3; w <= 6; ++w) {
    const int count = (65 + w - 1) / w;
    const std::int64_t half = std::int64_t{1} << (w - 1);
    for (std::uint64_t part : parts) {
      std::int64_t digits[22];
      gls4_recode_signed(part, w, count, digits);
      unsigned __int128 sum = 0;
      for (int j = count - 1; j >= 0; --j) {
        ASSERT_LE(digits[j], half) << w << " " << part;
        ASSERT_GT(digits[j], -half) << w << " " << part;
        sum = (sum << w) + static_cast<unsigned __int128>(static_cast<__int128>(digits[j]));
      }
      ASSERT_TRUE(sum == part) << "w=" << w << " part=" << part;
    }
  }
}

Proj<Fp2> old_gls2(const Proj<Fp2>& q, const std::array<std::uint64_t, 4>& k) {
  return mul_ct_endo(q, k.data(), kXSquared, g2_psi2);
}

TEST(Bls12381Gls4, MatchesThePreviousConstantTimePaths) {
  auto scalars = edge_scalars();
  auto more = random_scalars(24);
  scalars.insert(scalars.end(), more.begin(), more.end());
  const Proj<Fp2> q = to_proj(G2::generator().mul_public(Fr::random()));
  const G2 qg = to_g2(q);
  int i = 0;
  for (const auto& s : scalars) {
    const Proj<Fp2> want = old_gls2(q, s);
    ASSERT_TRUE(proj_eq(mul_ct_gls4<4>(q, s.data(), g2_psi, g2_psi2), want)) << i;
    ASSERT_TRUE(proj_eq(mul_ct_gls4<5>(q, s.data(), g2_psi, g2_psi2), want)) << i;
    ASSERT_TRUE(qg.mul_secret(fr_detail::from_canonical(s.data())) == to_g2(want)) << i;
    if (i % 4 == 0) {  // the plain 256-bit ladder
      ASSERT_TRUE(proj_eq(mul_ct(q, s.data()), want)) << i;
    }
    ++i;
  }
  // The identity times anything, and the generator itself.
  const auto k = random_scalars(1)[0];
  EXPECT_TRUE(proj_is_identity(mul_ct_gls4<5>(proj_identity<Fp2>(), k.data(), g2_psi, g2_psi2)));
  EXPECT_TRUE(G2::generator().mul_secret(fr_detail::from_canonical(k.data())) ==
              to_g2(old_gls2(to_proj(G2::generator()), k)));
}

// [i]G2 for i = 0..999 from the zkcrypto vectors, every one through the new path (and every
// 37th through the previous one).
TEST(Bls12381Gls4, ZkcryptoMultiplesOfTheGenerator) {
  const auto comp = testing::read_vector_file("zkcrypto/g2_compressed_valid_test_vectors.dat");
  ASSERT_EQ(comp.size(), 1000u * 96u);
  const G2 g = G2::generator();
  for (std::size_t i = 0; i < 1000; ++i) {
    auto want = G2::from_compressed(ByteSpan(comp.data() + i * 96, 96));
    ASSERT_TRUE(want.ok()) << i;
    ASSERT_TRUE(g.mul_secret(Fr::from_u64(i)) == *want) << i;
    if (i % 37 == 0) {  // the previous path, kept for comparison, on the same vectors
      const std::array<std::uint64_t, 4> k{i, 0, 0, 0};
      ASSERT_TRUE(to_g2(old_gls2(to_proj(g), k)) == *want) << i;
    }
  }
  // -[i]G2 = [r - i]G2: the top parts at their largest.
  for (std::size_t i = 1; i < 1000; i += 111) {
    auto want = G2::from_compressed(ByteSpan(comp.data() + i * 96, 96));
    ASSERT_TRUE(want.ok()) << i;
    ASSERT_TRUE(g.mul_secret(-Fr::from_u64(i)) == -*want) << i;
  }
}

}  // namespace
}  // namespace hc::bls12_381
