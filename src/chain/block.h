// Blocks: header, transactions and the commit certificate, with their canonical encoding.
//
// Header: "HCBH" | version u16 = 1 | height u64 | previous hash | Merkle root | timestamp_ms u64
//         | view u64 | proposer u32 | app hash  (130 bytes); block hash = SHA-256(header).
// Block:  "HCBK" | version u16 = 1 | header | u32 count | count x (u32 len | tx) | u32 len | cert.
// The commit certificate is opaque here (the consensus engine defines it; it is checked through
// CommitCertificateVerifier) and is not covered by the block hash, which it certifies.
// decode_block() rejects every malformed framing; check_block() then decodes each transaction
// and recomputes the Merkle root. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "chain/digest.h"
#include "chain/transaction.h"
#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

inline constexpr std::uint16_t kBlockVersion = 1;
inline constexpr std::size_t kBlockHeaderBytes = 130;

struct BlockHeader {
  std::uint64_t height = 0;  // the first block after genesis has height 1
  Digest previous_hash{};    // hash of block height-1; the genesis hash for height 1
  Digest merkle_root{};
  std::uint64_t timestamp_ms = 0;  // proposer's clock, Unix epoch milliseconds
  std::uint64_t view = 0;          // PBFT view in which the block was proposed
  std::uint32_t proposer = 0;      // replica id of the primary
  Digest app_hash{};               // application hash after block height-1
  bool operator==(const BlockHeader&) const = default;
};

struct Block {
  BlockHeader header;
  std::vector<Bytes> transactions;  // canonical encodings
  Bytes commit_certificate;         // opaque
};

Bytes encode_header(const BlockHeader& header);
Result<BlockHeader> decode_header(ByteSpan encoding);
Digest block_hash(const BlockHeader& header);

// HC_CHECKs the hard limits of limits.h (blocks are built by our own code).
Bytes encode_block(const Block& block);
// Framing only, against the hard limits; transactions are not decoded here.
Result<Block> decode_block(ByteSpan encoding);

std::vector<Digest> transaction_ids(const Block& block);

// A block whose transactions all decode and whose Merkle root matches them.
struct CheckedBlock {
  std::vector<Transaction> transactions;
  std::vector<Digest> tx_ids;
  Digest hash{};
};
// kInvalidInput naming the first fault: a transaction that does not decode (with its index),
// a duplicate transaction, a Merkle root that does not match, or too many transactions.
Result<CheckedBlock> check_block(const Block& block);

}  // namespace hc::chain
