// Merkle roots and single-transaction proofs, including odd counts.
#include <gtest/gtest.h>

#include "chain/merkle.h"

namespace hc::chain {
namespace {

std::vector<Digest> ids(std::size_t n) {
  std::vector<Digest> out;
  for (std::size_t i = 0; i < n; ++i) {
    Bytes b;
    append_u64_be(b, i);
    out.push_back(sha256(b));
  }
  return out;
}

TEST(MerkleTest, EveryProofOfEveryCountVerifies) {
  for (std::size_t n = 1; n <= 40; ++n) {
    auto leaves = ids(n);
    Digest root = merkle_root(leaves);
    for (std::uint32_t i = 0; i < n; ++i) {
      auto proof = merkle_prove(leaves, i);
      ASSERT_TRUE(proof.ok());
      EXPECT_TRUE(merkle_verify(root, leaves[i], *proof).ok()) << n << " " << i;
      // The proof does not work for another leaf or another position.
      EXPECT_FALSE(merkle_verify(root, leaves[(i + 1) % n], *proof).ok() && n > 1);
      MerkleProof moved = *proof;
      moved.index = (i + 1) % n;
      if (n > 1) {
        EXPECT_FALSE(merkle_verify(root, leaves[i], moved).ok());
      }
    }
  }
}

TEST(MerkleTest, OddCountsAreNotAmbiguousWithDuplicatedLeaves) {
  auto three = ids(3);
  auto four = three;
  four.push_back(three.back());
  EXPECT_NE(merkle_root(three), merkle_root(four));
  auto five = ids(5);
  auto six = five;
  six.push_back(five.back());
  EXPECT_NE(merkle_root(five), merkle_root(six));
}

TEST(MerkleTest, RootBindsOrderCountAndContent) {
  auto a = ids(8);
  auto b = a;
  std::swap(b[2], b[3]);
  EXPECT_NE(merkle_root(a), merkle_root(b));
  EXPECT_NE(merkle_root({}), merkle_root(ids(1)));
  EXPECT_EQ(merkle_root({}), merkle_root({}));
  // A single leaf's root is not the leaf id itself (domain separation).
  EXPECT_NE(merkle_root(ids(1)), ids(1)[0]);
}

TEST(MerkleTest, MalformedProofsAreRejected) {
  auto leaves = ids(7);
  Digest root = merkle_root(leaves);
  auto proof = *merkle_prove(leaves, 6);
  MerkleProof extra = proof;
  extra.siblings.push_back(leaves[0]);
  EXPECT_EQ(merkle_verify(root, leaves[6], extra).code(), ErrorCode::kInvalidInput);
  MerkleProof fewer = proof;
  fewer.siblings.pop_back();
  EXPECT_EQ(merkle_verify(root, leaves[6], fewer).code(), ErrorCode::kInvalidInput);
  MerkleProof wrong_count = proof;
  wrong_count.leaf_count = 8;
  EXPECT_FALSE(merkle_verify(root, leaves[6], wrong_count).ok());
  MerkleProof out_of_range = proof;
  out_of_range.index = 7;
  EXPECT_EQ(merkle_verify(root, leaves[6], out_of_range).code(), ErrorCode::kInvalidInput);
  MerkleProof flipped = proof;
  flipped.siblings[0][0] ^= 1;
  EXPECT_EQ(merkle_verify(root, leaves[6], flipped).code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(merkle_prove(leaves, 7).ok());
}

}  // namespace
}  // namespace hc::chain
