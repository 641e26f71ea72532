#include "chain/merkle.h"

namespace hc::chain {

namespace {
constexpr std::string_view kLeafTag = "HC-MERKLE-LEAF-v1";
constexpr std::string_view kNodeTag = "HC-MERKLE-NODE-v1";
constexpr std::string_view kRootTag = "HC-MERKLE-ROOT-v1";

Digest leaf_hash(const Digest& tx_id) { return tagged_hash(kLeafTag, {span_of(tx_id)}); }
Digest node_hash(const Digest& l, const Digest& r) {
  return tagged_hash(kNodeTag, {span_of(l), span_of(r)});
}
Digest root_of(std::uint32_t count, const Digest* top) {
  Bytes n;
  append_u32_be(n, count);
  if (top == nullptr) return tagged_hash(kRootTag, {n});
  return tagged_hash(kRootTag, {n, span_of(*top)});
}

std::vector<Digest> next_level(const std::vector<Digest>& level) {
  std::vector<Digest> up;
  up.reserve((level.size() + 1) / 2);
  for (std::size_t i = 0; i + 1 < level.size(); i += 2) up.push_back(node_hash(level[i], level[i + 1]));
  if (level.size() % 2 == 1) up.push_back(level.back());
  return up;
}

std::vector<Digest> leaves_of(const std::vector<Digest>& tx_ids) {
  std::vector<Digest> leaves;
  leaves.reserve(tx_ids.size());
  for (const Digest& id : tx_ids) leaves.push_back(leaf_hash(id));
  return leaves;
}
}  // namespace

Digest merkle_root(const std::vector<Digest>& tx_ids) {
  HC_CHECK(tx_ids.size() <= UINT32_MAX);
  auto count = static_cast<std::uint32_t>(tx_ids.size());
  if (count == 0) return root_of(0, nullptr);
  std::vector<Digest> level = leaves_of(tx_ids);
  while (level.size() > 1) level = next_level(level);
  return root_of(count, &level[0]);
}

Result<MerkleProof> merkle_prove(const std::vector<Digest>& tx_ids, std::uint32_t index) {
  if (index >= tx_ids.size()) return invalid_input("merkle proof: index out of range");
  MerkleProof proof;
  proof.index = index;
  proof.leaf_count = static_cast<std::uint32_t>(tx_ids.size());
  std::vector<Digest> level = leaves_of(tx_ids);
  std::size_t pos = index;
  while (level.size() > 1) {
    std::size_t sibling = pos ^ 1U;
    if (sibling < level.size()) proof.siblings.push_back(level[sibling]);
    level = next_level(level);
    pos /= 2;
  }
  return proof;
}

Status merkle_verify(const Digest& root, const Digest& tx_id, const MerkleProof& proof) {
  if (proof.leaf_count == 0 || proof.index >= proof.leaf_count) {
    return invalid_input("merkle proof: index out of range");
  }
  Digest node = leaf_hash(tx_id);
  std::size_t pos = proof.index;
  std::size_t width = proof.leaf_count;
  std::size_t used = 0;
  while (width > 1) {
    std::size_t sibling = pos ^ 1U;
    if (sibling < width) {
      if (used >= proof.siblings.size()) return invalid_input("merkle proof: too few siblings");
      const Digest& s = proof.siblings[used++];
      node = (pos % 2 == 0) ? node_hash(node, s) : node_hash(s, node);
    }
    pos /= 2;
    width = (width + 1) / 2;
  }
  if (used != proof.siblings.size()) return invalid_input("merkle proof: too many siblings");
  if (root_of(proof.leaf_count, &node) != root) {
    return Status::error(ErrorCode::kAuthFailed, "merkle proof does not lead to the root");
  }
  return Status();
}

}  // namespace hc::chain
