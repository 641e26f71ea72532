// Every decode rejection of the G1 / G2 encodings, and the infinity encodings.
#include <gtest/gtest.h>

#include "crypto/bls12_381/bls12_381.h"
#include "crypto/bls12_381/points.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

template <class T>
void expect_reject(const Result<T>& r, const std::string& fragment) {
  ASSERT_FALSE(r.ok()) << "expected rejection containing: " << fragment;
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

Bytes p_bytes() {
  Bytes b(48);
  for (int i = 0; i < 48; ++i) {
    b[i] = static_cast<std::uint8_t>(fp_modulus()[(47 - i) / 8] >> (8 * ((47 - i) % 8)));
  }
  return b;
}

Proj<Fp> g1_off_subgroup() {
  for (std::uint64_t x = 1;; ++x) {
    Fp xf = fp_from_u64(x), y;
    if (fp_sqrt(fp_sqr(xf) * xf + fp_from_u64(4), y)) return Proj<Fp>{xf, y, fp_one()};
  }
}

Fp g1_x_off_curve() {
  for (std::uint64_t x = 1;; ++x) {
    Fp xf = fp_from_u64(x);
    if (!fp_is_square(fp_sqr(xf) * xf + fp_from_u64(4))) return xf;
  }
}

Proj<Fp2> g2_off_subgroup() {
  for (std::uint64_t x = 1;; ++x) {
    Fp2 xf{fp_from_u64(x), fp_one()}, y;
    if (fp2_sqrt(fp2_sqr(xf) * xf + curve_b(xf), y)) return Proj<Fp2>{xf, y, fp2_one()};
  }
}

TEST(Bls12381Encoding, InfinityEncodings) {
  auto c = G1::identity().to_compressed();
  EXPECT_EQ(c[0], 0xc0);
  auto u = G1::identity().to_uncompressed();
  EXPECT_EQ(u[0], 0x40);
  EXPECT_TRUE(G1::from_compressed(c)->is_identity());
  EXPECT_TRUE(G1::from_uncompressed(u)->is_identity());
  auto c2 = G2::identity().to_compressed();
  EXPECT_EQ(c2[0], 0xc0);
  EXPECT_TRUE(G2::from_compressed(c2)->is_identity());
  EXPECT_TRUE(G2::from_uncompressed(G2::identity().to_uncompressed())->is_identity());
}

TEST(Bls12381Encoding, ConstantTimeAffineMatchesVartime) {
  // Points straight out of a scalar multiplication have Z != 1; the identity has Z = 0.
  const Proj<Fp> p1 = to_proj(G1::generator().mul_secret(Fr::random_nonzero()));
  const Proj<Fp2> p2 = to_proj(G2::generator().mul_secret(Fr::random_nonzero()));
  const Affine<Fp> a1 = proj_to_affine(p1), v1 = proj_to_affine_vartime(p1);
  const Affine<Fp2> a2 = proj_to_affine(p2), v2 = proj_to_affine_vartime(p2);
  EXPECT_FALSE(a1.infinity);
  EXPECT_TRUE(fp_eq(a1.x, v1.x) && fp_eq(a1.y, v1.y));
  EXPECT_FALSE(a2.infinity);
  EXPECT_TRUE(fp2_eq(a2.x, v2.x) && fp2_eq(a2.y, v2.y));
  EXPECT_TRUE(proj_to_affine(to_proj(G1::identity())).infinity);
  EXPECT_TRUE(proj_to_affine(to_proj(G2::identity())).infinity);
}

TEST(Bls12381Encoding, BatchCompressionMatchesOnePointAtATime) {
  std::vector<G1> points;
  for (int i = 0; i < 6; ++i) points.push_back(G1::generator().mul_secret(Fr::random_nonzero()));
  points.insert(points.begin() + 2, G1::identity());
  points.push_back(G1::identity());
  points.push_back(G1::generator());  // Z = 1
  const auto batch = to_compressed_batch(points);
  ASSERT_EQ(batch.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(to_hex(batch[i]), to_hex(points[i].to_compressed())) << "point " << i;
  }
  EXPECT_TRUE(to_compressed_batch(std::span<const G1>()).empty());
  const std::array<G1, 1> one = {G1::identity()};
  EXPECT_EQ(to_compressed_batch(one)[0][0], 0xc0);
}

TEST(Bls12381Encoding, G1CompressedRejections) {
  auto good = G1::generator().to_compressed();
  expect_reject(G1::from_compressed(ByteSpan(good.data(), 47)), "expected 48 bytes");
  expect_reject(G1::from_compressed(Bytes(49, 0x80)), "expected 48 bytes");
  expect_reject(G1::from_compressed(Bytes{}), "expected 48 bytes");
  Bytes b(good.begin(), good.end());
  b[0] &= 0x7f;
  expect_reject(G1::from_compressed(b), "compression flag not set");
  Bytes inf(48, 0);
  inf[0] = 0xe0;
  expect_reject(G1::from_compressed(inf), "sign flag set on the point at infinity");
  inf[0] = 0xc0;
  inf[47] = 1;
  expect_reject(G1::from_compressed(inf), "nonzero coordinate bytes");
  inf[47] = 0;
  inf[0] = 0xc1;
  expect_reject(G1::from_compressed(inf), "nonzero coordinate bytes");
  Bytes xp = p_bytes();
  xp[0] |= 0x80;
  expect_reject(G1::from_compressed(xp), "x >= p");
  Bytes ones(48, 0xff);
  ones[0] = 0x9f;
  expect_reject(G1::from_compressed(ones), "x >= p");
  Bytes off(48);
  fp_to_bytes_be(g1_x_off_curve(), off.data());
  off[0] |= 0x80;
  expect_reject(G1::from_compressed(off), "not on the curve");
  auto sub = to_g1(g1_off_subgroup()).to_compressed();
  expect_reject(G1::from_compressed(sub), "not in the prime-order subgroup");
}

TEST(Bls12381Encoding, G1UncompressedRejections) {
  auto good = G1::generator().to_uncompressed();
  expect_reject(G1::from_uncompressed(ByteSpan(good.data(), 95)), "expected 96 bytes");
  Bytes b(good.begin(), good.end());
  b[0] |= 0x80;
  expect_reject(G1::from_uncompressed(b), "compression flag set");
  b = Bytes(good.begin(), good.end());
  b[0] |= 0x20;
  expect_reject(G1::from_uncompressed(b), "sign flag set");
  Bytes inf(96, 0);
  inf[0] = 0x40;
  inf[95] = 1;
  expect_reject(G1::from_uncompressed(inf), "nonzero coordinate bytes");
  b = Bytes(good.begin(), good.end());
  Bytes pb = p_bytes();
  std::copy(pb.begin(), pb.end(), b.begin() + 48);
  expect_reject(G1::from_uncompressed(b), "y >= p");
  b = Bytes(good.begin(), good.end());
  std::copy(pb.begin(), pb.end(), b.begin());
  expect_reject(G1::from_uncompressed(b), "x >= p");
  b = Bytes(good.begin(), good.end());
  b[95] ^= 1;
  expect_reject(G1::from_uncompressed(b), "not on the curve");
  auto sub = to_g1(g1_off_subgroup()).to_uncompressed();
  expect_reject(G1::from_uncompressed(sub), "not in the prime-order subgroup");
}

TEST(Bls12381Encoding, G2Rejections) {
  auto good = G2::generator().to_compressed();
  expect_reject(G2::from_compressed(ByteSpan(good.data(), 95)), "expected 96 bytes");
  expect_reject(G2::from_compressed(Bytes(48, 0xc0)), "expected 96 bytes");
  Bytes b(good.begin(), good.end());
  b[0] &= 0x7f;
  expect_reject(G2::from_compressed(b), "compression flag not set");
  Bytes inf(96, 0);
  inf[0] = 0xc0;
  inf[60] = 1;
  expect_reject(G2::from_compressed(inf), "nonzero coordinate bytes");
  inf[60] = 0;
  inf[0] = 0xe0;
  expect_reject(G2::from_compressed(inf), "sign flag set on the point at infinity");
  Bytes pb = p_bytes();
  b = Bytes(good.begin(), good.end());
  std::copy(pb.begin(), pb.end(), b.begin() + 48);  // x.c0 = p
  expect_reject(G2::from_compressed(b), "x >= p");
  b = Bytes(good.begin(), good.end());
  std::copy(pb.begin(), pb.end(), b.begin());  // x.c1 = p
  b[0] |= 0x80;
  expect_reject(G2::from_compressed(b), "x >= p");
  // An x with no matching y: perturb the generator's x until x^3 + b' is a non-square.
  Affine<Fp2> ga = proj_to_affine(to_proj(G2::generator()));
  for (std::uint64_t k = 1;; ++k) {
    Fp2 x{ga.x.c0 + fp_from_u64(k), ga.x.c1}, y;
    if (!fp2_sqrt(fp2_sqr(x) * x + curve_b(x), y)) {
      Bytes off(96);
      fp_to_bytes_be(x.c1, off.data());
      fp_to_bytes_be(x.c0, off.data() + 48);
      off[0] |= 0x80;
      expect_reject(G2::from_compressed(off), "not on the curve");
      break;
    }
  }
  expect_reject(G2::from_compressed(to_g2(g2_off_subgroup()).to_compressed()),
                "not in the prime-order subgroup");
  auto ug = G2::generator().to_uncompressed();
  Bytes u(ug.begin(), ug.end());
  u[191] ^= 1;
  expect_reject(G2::from_uncompressed(u), "not on the curve");
  u = Bytes(ug.begin(), ug.end());
  u[0] |= 0xa0;
  expect_reject(G2::from_uncompressed(u), "compression flag set");
  u = Bytes(ug.begin(), ug.end());
  std::copy(pb.begin(), pb.end(), u.begin() + 96);  // y.c1 = p
  expect_reject(G2::from_uncompressed(u), "y >= p");
  expect_reject(G2::from_uncompressed(to_g2(g2_off_subgroup()).to_uncompressed()),
                "not in the prime-order subgroup");
  expect_reject(G2::from_uncompressed(ByteSpan(ug.data(), 191)), "expected 192 bytes");
}

TEST(Bls12381Encoding, SignFlagSelectsTheRoot) {
  G1 p = G1::generator().mul_public(Fr::random());
  auto c = p.to_compressed();
  auto n = (-p).to_compressed();
  EXPECT_EQ(c[0] ^ n[0], 0x20);
  EXPECT_TRUE(*G1::from_compressed(n) == -p);
  G2 q = G2::generator().mul_public(Fr::random());
  auto qc = q.to_compressed();
  auto qn = (-q).to_compressed();
  EXPECT_EQ(qc[0] ^ qn[0], 0x20);
  EXPECT_TRUE(*G2::from_compressed(qn) == -q);
}

// Random inputs with every flag combination: each decoder either accepts (and then the point
// re-encodes to the same bytes) or rejects with kInvalidInput; it never crashes.
template <class G>
void fuzz_decoder(std::size_t size, bool compressed, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  int accepted = 0;
  for (int i = 0; i < 300; ++i) {
    Bytes b(size);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    b[0] = static_cast<std::uint8_t>((b[0] & 0x1f) | ((i % 8) << 5));
    if (i % 3 == 0) b[0] &= 0xe0;  // small x: more likely on the curve
    auto r = compressed ? G::from_compressed(b) : G::from_uncompressed(b);
    if (r.ok()) {
      ++accepted;
      if (compressed) {
        auto e = r->to_compressed();
        EXPECT_TRUE(std::equal(e.begin(), e.end(), b.begin()));
      }
    } else {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
    }
  }
  EXPECT_LT(accepted, 300);
}

TEST(Bls12381Encoding, RandomInputsNeverCrash) {
  fuzz_decoder<G1>(48, true, 1);
  fuzz_decoder<G1>(96, false, 2);
  fuzz_decoder<G2>(96, true, 3);
  fuzz_decoder<G2>(192, false, 4);
}

}  // namespace
}  // namespace hc::bls12_381
