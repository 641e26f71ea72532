// The Merkle tree over a block's transactions, and proofs that one transaction is in a block.
//
// leaf  = SHA-256("HC-MERKLE-LEAF-v1" || tx id)
// inner = SHA-256("HC-MERKLE-NODE-v1" || left || right)
// Levels are built bottom-up pairing neighbours; an odd last node is carried up unchanged (never
// duplicated, so [a, b, c] and [a, b, c, c] have different roots). The root binds the count:
// root = SHA-256("HC-MERKLE-ROOT-v1" || u32 count || top), and the empty tree's root is
// SHA-256("HC-MERKLE-ROOT-v1" || u32 0). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "chain/digest.h"
#include "common/status.h"

namespace hc::chain {

struct MerkleProof {
  std::uint32_t index = 0;       // position of the transaction in the block
  std::uint32_t leaf_count = 0;  // number of transactions in the block
  std::vector<Digest> siblings;  // bottom-up; levels where the node is carried up have none
};

Digest merkle_root(const std::vector<Digest>& tx_ids);
// kInvalidInput if index >= tx_ids.size().
Result<MerkleProof> merkle_prove(const std::vector<Digest>& tx_ids, std::uint32_t index);
// ok if `proof` shows `tx_id` at proof.index in a tree of proof.leaf_count with this root;
// kAuthFailed if the path does not lead to the root, kInvalidInput if the proof's shape is
// wrong for its count (too many or too few siblings, index out of range).
Status merkle_verify(const Digest& root, const Digest& tx_id, const MerkleProof& proof);

}  // namespace hc::chain
