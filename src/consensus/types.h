// Value types shared by the PBFT engine: identifiers, digests, blocks and certificates.
//
// A block at height s holds the batch of transactions ordered at sequence number s (heights
// and sequence numbers coincide, starting at 1; a block may be empty, the "null request" of
// the paper). Its digest binds the height and every transaction (canonical encoding with a
// domain tag, see docs/consensus.md). Plain values, safe to copy between threads.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::consensus {

using ReplicaId = std::uint32_t;
using ViewNumber = std::uint64_t;
using SeqNumber = std::uint64_t;
using Digest = std::array<std::uint8_t, 32>;
using Signature = std::array<std::uint8_t, 64>;
// The identity of a chain: the hash of its genesis block.
using ChainId = Digest;

// SHA-256 of data.
Digest sha256(ByteSpan data);
// SHA-256 of the transaction bytes: the identity of a transaction. The engine adds no tag of
// its own: transactions are application encodings that carry their own (the ledger's begin
// with "HCTX"), and this makes the engine's digest equal to the ledger's transaction id.
Digest tx_digest(ByteSpan tx);

struct Block {
  SeqNumber height = 0;
  std::uint64_t timestamp_ms = 0;  // the proposing primary's clock (Unix milliseconds)
  std::uint64_t view = 0;          // the view in which the block was first proposed
  std::uint32_t proposer = 0;      // the primary of that view
  std::vector<Bytes> txs;

  bool operator==(const Block&) const = default;
};

// Hashes a digest for unordered containers (its first 8 bytes; digests are uniform).
struct DigestHash {
  std::size_t operator()(const Digest& d) const {
    std::size_t h = 0;
    for (int i = 0; i < 8; ++i) h = (h << 8) | d[static_cast<std::size_t>(i)];
    return h;
  }
};

// The empty ("null") block a NEW-VIEW re-proposes at `height` when nothing prepared there:
// timestamp, view and proposer 0, no transactions.
Block null_block(SeqNumber height);

// tx_digest of every transaction, in block order.
std::vector<Digest> tx_digests(const Block& block);

// height:u64 | timestamp_ms:u64 | view:u64 | proposer:u32 | tx_count:u32
// | tx_count x (len:u32 | bytes)
void encode_block(Bytes& out, const Block& block);
std::size_t encoded_block_size(const Block& block);
// SHA-256 over "HC-PBFT/2/block" || height:u64 | timestamp_ms:u64 | view:u64 | proposer:u32 |
// tx_count:u32 | tx_digest of each transaction. Covering digests rather than bytes lets a light
// client that holds a block's header fields and transaction ids check its commit certificate.
Digest block_digest(const Block& block);
Digest block_digest_of(SeqNumber height, std::uint64_t timestamp_ms, std::uint64_t view, std::uint32_t proposer,
                       const std::vector<Digest>& tx_digests);

// One replica's signature on a protocol statement.
struct SignedBy {
  ReplicaId replica = 0;
  Signature sig{};
  bool operator==(const SignedBy&) const = default;
};

// 2f+1 COMMIT signatures on (view, seq, digest): proof that the block at seq is final.
struct CommitCertificate {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
  std::vector<SignedBy> commits;
  bool operator==(const CommitCertificate&) const = default;
};

struct CommittedBlock {
  Block block;
  CommitCertificate cert;
  bool operator==(const CommittedBlock&) const = default;
};

// 2f+1 CHECKPOINT signatures on (seq, state_digest). seq == 0 is the genesis checkpoint,
// which needs no signatures.
struct CheckpointProof {
  SeqNumber seq = 0;
  Digest state_digest{};
  std::vector<SignedBy> sigs;
  bool operator==(const CheckpointProof&) const = default;
};

// The digest of the replicated state after executing seq: SHA-256 over
// "HC-PBFT/1/state" || seq:u64 || app_hash.
Digest state_digest(SeqNumber seq, ByteSpan app_hash);

// Evidence that the block with `digest` prepared at `seq` in `view`: the primary's
// PRE-PREPARE signature and 2f PREPAREs from distinct backups, all on (view, seq, digest).
// What a VIEW-CHANGE carries (the block itself travels only on request, BLOCK-REQUEST).
struct PreparedProof {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
  Signature preprepare_sig{};
  std::vector<SignedBy> prepares;
  bool operator==(const PreparedProof&) const = default;
};

// A prepared block with its proof: what a replica keeps (and persists) for the slot.
struct PreparedCertificate {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
  Block block;
  Signature preprepare_sig{};
  std::vector<SignedBy> prepares;
  bool operator==(const PreparedCertificate&) const = default;

  PreparedProof proof() const { return PreparedProof{view, seq, digest, preprepare_sig, prepares}; }
};

}  // namespace hc::consensus
