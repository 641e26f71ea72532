#include "chain/block.h"

#include <set>
#include <string>

#include "chain/codec.h"
#include "chain/limits.h"
#include "chain/merkle.h"

namespace hc::chain {

namespace {
constexpr std::string_view kHeaderTag = "HCBH";
constexpr std::string_view kBlockTag = "HCBK";
}  // namespace

Bytes encode_header(const BlockHeader& h) {
  Bytes out;
  out.reserve(kBlockHeaderBytes);
  append_bytes(out, bytes_of(kHeaderTag));
  append_u16_be(out, kBlockVersion);
  append_u64_be(out, h.height);
  append_bytes(out, h.previous_hash);
  append_bytes(out, h.merkle_root);
  append_u64_be(out, h.timestamp_ms);
  append_u64_be(out, h.view);
  append_u32_be(out, h.proposer);
  append_bytes(out, h.app_hash);
  HC_CHECK(out.size() == kBlockHeaderBytes);
  return out;
}

namespace {
Result<BlockHeader> read_header(Reader& in) {
  BlockHeader h;
  HC_RETURN_IF_ERROR(in.expect_tag(kHeaderTag, "block header"));
  HC_ASSIGN_OR_RETURN(std::uint16_t version, in.u16("block header version"));
  if (version != kBlockVersion) return invalid_input("block header: unsupported version");
  HC_ASSIGN_OR_RETURN(h.height, in.u64("block height"));
  HC_ASSIGN_OR_RETURN(h.previous_hash, in.array<kDigestBytes>("block previous hash"));
  HC_ASSIGN_OR_RETURN(h.merkle_root, in.array<kDigestBytes>("block merkle root"));
  HC_ASSIGN_OR_RETURN(h.timestamp_ms, in.u64("block timestamp"));
  HC_ASSIGN_OR_RETURN(h.view, in.u64("block view"));
  HC_ASSIGN_OR_RETURN(h.proposer, in.u32("block proposer"));
  HC_ASSIGN_OR_RETURN(h.app_hash, in.array<kDigestBytes>("block app hash"));
  return h;
}
}  // namespace

Result<BlockHeader> decode_header(ByteSpan encoding) {
  Reader in(encoding);
  HC_ASSIGN_OR_RETURN(BlockHeader h, read_header(in));
  HC_RETURN_IF_ERROR(in.finish("block header"));
  return h;
}

Digest block_hash(const BlockHeader& header) { return sha256(encode_header(header)); }

Bytes encode_block(const Block& block) {
  HC_CHECK(block.transactions.size() <= kMaxBlockTransactions);
  HC_CHECK(block.commit_certificate.size() <= kMaxCommitCertificateBytes);
  Bytes out;
  append_bytes(out, bytes_of(kBlockTag));
  append_u16_be(out, kBlockVersion);
  append_bytes(out, encode_header(block.header));
  append_u32_be(out, static_cast<std::uint32_t>(block.transactions.size()));
  for (const Bytes& tx : block.transactions) {
    HC_CHECK(tx.size() <= kMaxTransactionBytes);
    append_length_prefixed(out, tx);
  }
  append_length_prefixed(out, block.commit_certificate);
  HC_CHECK(out.size() <= kMaxBlockBytes);
  return out;
}

Result<Block> decode_block(ByteSpan encoding) {
  if (encoding.size() > kMaxBlockBytes) {
    return Status::error(ErrorCode::kTooLarge, "block is longer than the limit");
  }
  Reader in(encoding);
  HC_RETURN_IF_ERROR(in.expect_tag(kBlockTag, "block"));
  HC_ASSIGN_OR_RETURN(std::uint16_t version, in.u16("block version"));
  if (version != kBlockVersion) return invalid_input("block: unsupported version");
  Block block;
  HC_ASSIGN_OR_RETURN(block.header, read_header(in));
  HC_ASSIGN_OR_RETURN(std::uint32_t count, in.u32("block transaction count"));
  if (count > kMaxBlockTransactions) {
    return Status::error(ErrorCode::kTooLarge, "block has too many transactions");
  }
  // Each transaction takes at least its 4-byte length prefix: bound the reservation.
  if (count > in.remaining() / 4) return invalid_input("truncated at block transactions");
  block.transactions.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    HC_ASSIGN_OR_RETURN(Bytes tx, in.bytes32(1, kMaxTransactionBytes, "block transaction"));
    block.transactions.push_back(std::move(tx));
  }
  HC_ASSIGN_OR_RETURN(block.commit_certificate,
                      in.bytes32(0, kMaxCommitCertificateBytes, "commit certificate"));
  HC_RETURN_IF_ERROR(in.finish("block"));
  return block;
}

std::vector<Digest> transaction_ids(const Block& block) {
  std::vector<Digest> ids;
  ids.reserve(block.transactions.size());
  for (const Bytes& tx : block.transactions) ids.push_back(transaction_id(tx));
  return ids;
}

Result<CheckedBlock> check_block(const Block& block) {
  if (block.transactions.size() > kMaxBlockTransactions) {
    return Status::error(ErrorCode::kTooLarge, "block has too many transactions");
  }
  CheckedBlock checked;
  checked.transactions.reserve(block.transactions.size());
  for (std::size_t i = 0; i < block.transactions.size(); ++i) {
    auto tx = decode_transaction(block.transactions[i]);
    if (!tx.ok()) return tx.status().with_context("transaction " + std::to_string(i));
    checked.transactions.push_back(std::move(tx).value());
  }
  checked.tx_ids = transaction_ids(block);
  std::set<Digest> seen(checked.tx_ids.begin(), checked.tx_ids.end());
  if (seen.size() != checked.tx_ids.size()) return invalid_input("block: duplicate transaction");
  if (merkle_root(checked.tx_ids) != block.header.merkle_root) {
    return invalid_input("block: merkle root does not match the transactions");
  }
  checked.hash = block_hash(block.header);
  return checked;
}

}  // namespace hc::chain
