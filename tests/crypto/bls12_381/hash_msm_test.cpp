// expand_message_xmd against the RFC 9380 vectors, hash_to_fr, and multi-scalar
// multiplication against the naive sum.
#include <gtest/gtest.h>

#include <random>
#include <nlohmann/json.hpp>

#include "crypto/bls12_381/bls12_381.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

void check_xmd_file(const std::string& file) {
  auto j = nlohmann::json::parse(testing::read_text_file(file));
  ASSERT_EQ(j["tests"].size(), 10u);
  for (const auto& t : j["tests"]) {
    // DST_prime = DST' || len(DST'); for the 256-byte DST the RFC first hashes it
    // (section 5.3.3), so DST' is taken from DST_prime in both files.
    Bytes dst_prime = from_hex(t["DST_prime"].get<std::string>()).value();
    ASSERT_EQ(dst_prime.back(), dst_prime.size() - 1);
    Bytes dst(dst_prime.begin(), dst_prime.end() - 1);
    std::string msg = t["msg"].get<std::string>();
    std::size_t len = std::stoul(t["len_in_bytes"].get<std::string>(), nullptr, 16);
    auto out = expand_message_xmd_sha256(as_bytes(msg), dst, len);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(to_hex(*out), t["uniform_bytes"].get<std::string>()) << file << " msg=" << msg;
  }
}

TEST(Bls12381Hash, ExpandMessageXmdRfc9380Vectors) {
  check_xmd_file("rfc9380/expand_message_xmd_SHA256_38.json");
  check_xmd_file("rfc9380/expand_message_xmd_SHA256_256.json");
}

TEST(Bls12381Hash, ExpandMessageXmdRejections) {
  const Bytes dst = {'D'};
  EXPECT_FALSE(expand_message_xmd_sha256(as_bytes("m"), Bytes{}, 32).ok());
  EXPECT_FALSE(expand_message_xmd_sha256(as_bytes("m"), Bytes(256, 'a'), 32).ok());
  EXPECT_FALSE(expand_message_xmd_sha256(as_bytes("m"), dst, 8161).ok());
  auto longest = expand_message_xmd_sha256(as_bytes("m"), dst, 8160);
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->size(), 8160u);
}

TEST(Bls12381Hash, HashToFrIsXmdReducedModR) {
  const std::string dst = "HC-TEST-V01";
  auto u = expand_message_xmd_sha256(as_bytes("hello"), as_bytes(dst), 48);
  ASSERT_TRUE(u.ok());
  testing::Mpz v, r("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"), got;
  mpz_import(v.v, 48, 1, 1, 1, 0, u->data());
  mpz_mod(v.v, v.v, r.v);
  auto h = hash_to_fr(as_bytes("hello"), as_bytes(dst));
  ASSERT_TRUE(h.ok());
  auto bytes = h->to_bytes();
  mpz_import(got.v, 32, 1, 1, 1, 0, bytes.data());
  EXPECT_EQ(mpz_cmp(v.v, got.v), 0);
  EXPECT_FALSE(*h == *hash_to_fr(as_bytes("hellp"), as_bytes(dst)));
  EXPECT_FALSE(hash_to_fr(as_bytes("hello"), Bytes{}).ok());
}

template <class G>
void check_msm() {
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 40u, 300u}) {
    std::vector<G> pts;
    std::vector<Fr> ks;
    for (std::size_t i = 0; i < n; ++i) {
      pts.push_back(G::generator().mul_public(Fr::random()));
      ks.push_back(i == 1 ? Fr::zero() : (i == 2 ? -Fr::one() : Fr::random()));
    }
    if (n > 3) pts[3] = G::identity();
    G expect = G::identity();
    for (std::size_t i = 0; i < n; ++i) expect = expect + pts[i].mul_public(ks[i]);
    EXPECT_TRUE(msm(std::span<const G>(pts), std::span<const Fr>(ks)) == expect) << n;  // 300 > 256: Pippenger
  }
}

TEST(Bls12381Msm, G1AgreesWithNaiveSum) { check_msm<G1>(); }
TEST(Bls12381Msm, G2AgreesWithNaiveSum) { check_msm<G2>(); }

// Pippenger on the batch verifier's shape (full scalars mixed with 64-bit ones, so the window
// width comes from the lengths), and on scalars whose signed digits carry through every
// window (r - 1, 2^64 - 1, all-ones 2^k - 1 of several lengths, powers of two).
TEST(Bls12381Msm, PippengerWithMixedScalarLengthsAgreesWithNaiveSum) {
  std::mt19937_64 rng(400);
  for (std::size_t n : {260u, 400u}) {
    std::vector<G1> pts;
    std::vector<Fr> ks;
    for (std::size_t i = 0; i < n; ++i) {
      pts.push_back(G1::generator().mul_public(Fr::random()));
      const std::uint64_t small = rng();
      switch (i % 8) {
        case 0: case 1: ks.push_back(Fr::random()); break;
        case 2: ks.push_back(Fr::from_u64(small)); break;
        case 3: ks.push_back(Fr::from_u64(small >> (i % 60))); break;
        case 4: ks.push_back(-Fr::one()); break;
        case 5: ks.push_back(Fr::from_u64(~std::uint64_t{0} >> (i % 64))); break;
        case 6: ks.push_back(Fr::from_u64(std::uint64_t{1} << (i % 64))); break;
        default: ks.push_back(Fr::from_u64(~std::uint64_t{0}) * Fr::from_u64(~std::uint64_t{0}));
      }
    }
    G1 expect = G1::identity();
    for (std::size_t i = 0; i < n; ++i) expect = expect + pts[i].mul_public(ks[i]);
    EXPECT_TRUE(msm(std::span<const G1>(pts), std::span<const Fr>(ks)) == expect) << n;
    // Only 64-bit scalars (a narrower window still).
    for (std::size_t i = 0; i < n; ++i) ks[i] = Fr::from_u64(rng() >> (i % 3));
    expect = G1::identity();
    for (std::size_t i = 0; i < n; ++i) expect = expect + pts[i].mul_public(ks[i]);
    EXPECT_TRUE(msm(std::span<const G1>(pts), std::span<const Fr>(ks)) == expect) << n;
  }
}

}  // namespace
}  // namespace hc::bls12_381
