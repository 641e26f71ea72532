#include "chain/committed_item.h"

#include "chain/block_json.h"
#include "chain/merkle.h"
#include "chain/transaction_json.h"

namespace hc::chain {

namespace {

nlohmann::json merkle_proof_to_json(const MerkleProof& p) {
  nlohmann::json siblings = nlohmann::json::array();
  for (const auto& d : p.siblings) siblings.push_back(digest_hex(d));
  return {{"index", p.index}, {"leaf_count", p.leaf_count}, {"siblings", siblings}};
}

}  // namespace

Result<nlohmann::json> committed_item_to_json(const Block& block, std::uint64_t height, std::uint32_t index) {
  if (index >= block.transactions.size()) return invalid_input("no transaction at that index of the block");
  std::vector<Digest> ids = transaction_ids(block);
  HC_ASSIGN_OR_RETURN(MerkleProof proof, merkle_prove(ids, index));
  const Bytes& raw = block.transactions[index];
  auto tx = decode_transaction(raw);
  if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "stored transaction does not decode");
  nlohmann::json id_list = nlohmann::json::array();
  for (const auto& d : ids) id_list.push_back(digest_hex(d));
  return nlohmann::json{{"height", height}, {"index", index}, {"tx_id", digest_hex(ids[index])},
                        {"transaction", transaction_to_json(*tx)}, {"encoding", to_base64(raw)},
                        {"block_header", header_to_json(block.header)}, {"block_hash", digest_hex(block_hash(block.header))},
                        {"merkle_proof", merkle_proof_to_json(proof)}, {"block_tx_ids", id_list},
                        {"certificate", to_base64(block.commit_certificate)}};
}

}  // namespace hc::chain
