// Pairing: the known value e(G1, G2), bilinearity, non-degeneracy, order r in GT,
// multi-pairing and precomputed lines against single pairings, and GT arithmetic.
#include <gtest/gtest.h>

#include <sstream>

#include "crypto/bls12_381/bls12_381.h"
#include "test_util.h"

namespace hc::bls12_381 {
namespace {

TEST(Bls12381Pairing, GeneratorsMatchKnownValue) {
  std::istringstream in(testing::read_text_file("pairing/e_G1_G2.txt"));
  std::string line, hex;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') hex += line;
  }
  ASSERT_EQ(hex.size(), 12u * 96u);
  GT e = pairing(G1::generator(), G2::generator());
  EXPECT_EQ(to_hex(e.to_bytes()), hex);
}

TEST(Bls12381Pairing, Bilinearity) {
  const Fr a = Fr::random_nonzero(), b = Fr::random_nonzero();
  const G1 p = G1::generator();
  const G2 q = G2::generator();
  GT e = pairing(p, q);
  GT lhs = pairing(p.mul_public(a), q.mul_public(b));
  EXPECT_TRUE(lhs == e.pow(a * b));
  EXPECT_TRUE(pairing(p.mul_public(a), q) == pairing(p, q.mul_public(a)));
  // e(P1 + P2, Q) = e(P1, Q) e(P2, Q)
  const G1 p2 = p.mul_public(b);
  EXPECT_TRUE(pairing(p + p2, q) == e * pairing(p2, q));
}

TEST(Bls12381Pairing, NonDegenerateAndOrderR) {
  GT e = pairing(G1::generator(), G2::generator());
  EXPECT_FALSE(e.is_one());
  EXPECT_TRUE(e.pow(-Fr::one()) == e.unitary_inverse());  // e^(r-1) = e^-1, so e^r = 1
  EXPECT_TRUE((e.pow(-Fr::one()) * e).is_one());
  EXPECT_TRUE(pairing(G1::identity(), G2::generator()).is_one());
  EXPECT_TRUE(pairing(G1::generator(), G2::identity()).is_one());
}

TEST(Bls12381Pairing, MultiPairingAndPreparedLines) {
  std::vector<G1> ps;
  std::vector<G2> qs;
  GT product;
  for (int i = 0; i < 3; ++i) {
    ps.push_back(G1::generator().mul_public(Fr::random()));
    qs.push_back(G2::generator().mul_public(Fr::random()));
    product = product * pairing(ps.back(), qs.back());
  }
  ps.push_back(G1::identity());
  qs.push_back(G2::generator());
  EXPECT_TRUE(multi_pairing(ps, qs) == product);
  std::vector<G2Prepared> prepared;
  for (const auto& q : qs) prepared.emplace_back(q);
  std::vector<const G2Prepared*> ptrs;
  for (const auto& pr : prepared) ptrs.push_back(&pr);
  EXPECT_TRUE(multi_pairing(ps, ptrs) == product);
  EXPECT_TRUE(multi_pairing_vartime(ps, ptrs) == product);
  EXPECT_TRUE(G2Prepared(G2::identity()).lines().empty());
  // The product e(aP, Q) e(-P, aQ) is one; a tampered pair is not.
  const Fr a = Fr::random_nonzero();
  std::vector<G1> cp = {G1::generator().mul_public(a), -G1::generator()};
  std::vector<G2> cq = {G2::generator(), G2::generator().mul_public(a)};
  EXPECT_TRUE(pairing_product_is_one(cp, cq));
  cp[0] = cp[0] + G1::generator();
  EXPECT_FALSE(pairing_product_is_one(cp, cq));
  EXPECT_TRUE(pairing_product_is_one(std::span<const G1>(), std::span<const G2>()));
}

TEST(Bls12381Pairing, MillerLoopThenFinalExponentiation) {
  const G1 ps[2] = {G1::generator(), G1::generator().dbl()};
  const G2 qs[2] = {G2::generator().dbl(), -G2::generator()};
  GT f = miller_loop(ps, qs);
  EXPECT_FALSE(f.is_one());
  EXPECT_TRUE(final_exponentiation(f).is_one());  // e(P, 2Q) e(2P, -Q) = 1
}

TEST(Bls12381Gt, PowSecretMatchesPowAndGroupLaws) {
  GT e = pairing(G1::generator(), G2::generator());
  const Fr a = Fr::random(), b = Fr::random();
  EXPECT_TRUE(e.pow_secret(a) == e.pow(a));
  EXPECT_TRUE(e.pow(a) * e.pow(b) == e.pow(a + b));
  EXPECT_TRUE(e.square() == e * e);
  EXPECT_TRUE((e * e.unitary_inverse()).is_one());
  EXPECT_TRUE(e.pow(Fr::zero()).is_one());
  EXPECT_TRUE(e.pow_secret(Fr::zero()).is_one());
  EXPECT_TRUE(GT::one().is_one());
  EXPECT_FALSE(e == GT::one());
}

}  // namespace
}  // namespace hc::bls12_381
