// g1_from_compressed_batch_vartime: many points decoded with one randomized subgroup test.
// Valid points come back as from_compressed gives them; a point outside G1 (a G1 point plus a
// point of order 3, 11 or 10177), a malformed encoding, and a pair whose components outside
// G1 cancel each get exactly from_compressed's status; masks that are not random (all ones)
// let such a pair through, which is why the caller must draw them at random; sums that are
// the identity are not mistaken for points outside G1.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/bls12_381/points.h"
#include "crypto/bls12_381/scalar_mul.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

// A point of order exactly q (q = 3, 11 or 10177, primes dividing the cofactor h1).
Proj<Fp> batch_test_point_of_order(std::uint64_t q) {
  const std::uint64_t r_limbs[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL,
                                    0x3339d80809a1d805ULL, 0x73eda753299d7d48ULL};
  testing::Mpz h1("396c8c005555e1568c00aaab0000aaab"), cof;
  mpz_divexact_ui(cof.v, h1.v, q);
  while (mpz_divisible_ui_p(cof.v, q)) mpz_divexact_ui(cof.v, cof.v, q);
  std::uint64_t cof_limbs[2] = {0, 0};
  testing::mpz_to_limbs(cof.v, cof_limbs, 2);
  for (std::uint64_t x = 0;; ++x) {
    Fp xf = fp_from_u64(x), y;
    if (!fp_sqrt(fp_sqr(xf) * xf + fp_from_u64(4), y)) continue;
    // [r cof] P has order dividing q^k; multiply by q until one more step gives the identity.
    Proj<Fp> t = mul_vartime(mul_vartime(Proj<Fp>{xf, y, fp_one()}, r_limbs, 4), cof_limbs, 2);
    if (proj_is_identity(t)) continue;
    const std::uint64_t q_limb[1] = {q};
    for (Proj<Fp> next = mul_vartime(t, q_limb, 1); !proj_is_identity(next);
         next = mul_vartime(t, q_limb, 1)) {
      t = next;
    }
    return t;
  }
}

std::array<std::uint8_t, 48> batch_test_encode(const Proj<Fp>& p) {
  const Affine<Fp> a = proj_to_affine_vartime(p);
  std::array<std::uint8_t, 48> out{};
  fp_to_bytes_be(a.x, out.data());
  out[0] |= 0x80;
  if (fp_is_lexicographically_largest(a.y)) out[0] |= 0x20;
  return out;
}

struct BatchTestInput {
  std::vector<std::array<std::uint8_t, 48>> bytes;
  std::vector<std::uint64_t> masks;
  std::vector<Result<G1>> run() const {
    std::vector<ByteSpan> spans;
    for (const auto& b : bytes) spans.emplace_back(b.data(), b.size());
    return g1_from_compressed_batch_vartime(spans, masks);
  }
  void expect_like_from_compressed(const std::vector<Result<G1>>& got) const {
    ASSERT_EQ(got.size(), bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      const Result<G1> single = G1::from_compressed(bytes[i]);
      ASSERT_EQ(got[i].ok(), single.ok()) << i;
      if (single.ok()) {
        EXPECT_TRUE(*got[i] == *single) << i;
      } else {
        EXPECT_EQ(got[i].status().to_string(), single.status().to_string()) << i;
      }
    }
  }
};

BatchTestInput batch_test_valid(std::size_t n, std::uint64_t seed) {
  BatchTestInput in;
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    in.bytes.push_back(G1::generator().mul_public(Fr::random()).to_compressed());
    in.masks.push_back(rng());
  }
  return in;
}

TEST(Bls12381G1BatchDecode, ValidPointsDecodeAsFromCompressed) {
  for (std::size_t n : {0u, 1u, 5u, 150u}) {
    const BatchTestInput in = batch_test_valid(n, n);
    const auto got = in.run();
    in.expect_like_from_compressed(got);
    for (const auto& r : got) EXPECT_TRUE(r.ok());
  }
}

TEST(Bls12381G1BatchDecode, APointOutsideG1GetsFromCompressedsStatus) {
  for (std::uint64_t q : {3u, 11u, 10177u}) {
    BatchTestInput in = batch_test_valid(130, q);
    const Proj<Fp> small = batch_test_point_of_order(q);
    const Proj<Fp> g = to_proj(G1::generator().mul_public(Fr::random()));
    in.bytes[77] = batch_test_encode(proj_add(g, small));
    const auto got = in.run();
    in.expect_like_from_compressed(got);
    EXPECT_FALSE(got[77].ok()) << q;
    EXPECT_NE(got[77].status().message().find("not in the prime-order subgroup"), std::string::npos);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].ok(), i != 77) << q << " " << i;
  }
}

TEST(Bls12381G1BatchDecode, AMalformedEncodingGetsFromCompressedsStatus) {
  BatchTestInput in = batch_test_valid(40, 7);
  in.bytes[3][0] &= 0x7f;  // compression flag cleared
  in.bytes[9].fill(0xff);  // x >= p
  const auto got = in.run();
  in.expect_like_from_compressed(got);
  EXPECT_FALSE(got[3].ok());
  EXPECT_FALSE(got[9].ok());
  EXPECT_TRUE(got[4].ok());
}

TEST(Bls12381G1BatchDecode, ComponentsThatCancelAreCaughtWithRandomMasksOnly) {
  BatchTestInput in = batch_test_valid(64, 9);
  const Proj<Fp> t = batch_test_point_of_order(3);
  const Proj<Fp> g0 = to_proj(G1::generator().mul_public(Fr::random()));
  const Proj<Fp> g1 = to_proj(G1::generator().mul_public(Fr::random()));
  in.bytes[10] = batch_test_encode(proj_add(g0, t));
  in.bytes[20] = batch_test_encode(proj_add(g1, proj_neg(t)));
  // Random masks: both refused, as from_compressed refuses them.
  const auto got = in.run();
  in.expect_like_from_compressed(got);
  EXPECT_FALSE(got[10].ok());
  EXPECT_FALSE(got[20].ok());
  // Every point in every round: the two components cancel in each sum and both pass. This is
  // the failure random masks exist to prevent (their contract in bls12_381.h).
  std::fill(in.masks.begin(), in.masks.end(), ~std::uint64_t{0});
  const auto fooled = in.run();
  EXPECT_TRUE(fooled[10].ok());
  EXPECT_TRUE(fooled[20].ok());
}

TEST(Bls12381G1BatchDecode, SumsThatAreTheIdentityAreInG1) {
  BatchTestInput in;
  const G1 p = G1::generator().mul_public(Fr::random());
  in.bytes = {p.to_compressed(), (-p).to_compressed(), G1::identity().to_compressed()};
  in.masks = {~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}};
  const auto got = in.run();
  in.expect_like_from_compressed(got);
  for (const auto& r : got) EXPECT_TRUE(r.ok());
}

}  // namespace
}  // namespace hc::bls12_381
