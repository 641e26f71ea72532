// PBFT protocol messages and their canonical, versioned wire encoding.
//
// Every message travels in one envelope:
//   version:u8 (=3) | type:u8 | config:u64 | sender:u32 | body_len:u32 | body | signature:64
// The sender signs "HC-PBFT/4/msg" || 0x00 || chain_id || config || type || sender || statement
// (the chain id, the genesis hash, binds every signature to one chain; config to one
// configuration of its replica set), where the statement is the whole body except for PRE-PREPARE, whose statement is its first 48 bytes
// (view, seq, digest) and whose block follows unsigned (bound by the digest). This makes a
// COMMIT or PREPARE signature checkable on its own inside certificates. All integers are
// big-endian. Decoding is strict: trailing bytes, counts above the configured bounds and
// unknown types or versions are rejected. docs/consensus.md lists every body layout.
// Pure functions, thread-safe.
#pragma once

#include <memory>
#include <variant>

#include "consensus/config.h"
#include "consensus/configuration.h"
#include "consensus/types.h"

namespace hc::consensus {

enum class MsgType : std::uint8_t {
  kPrePrepare = 1,
  kPrepare = 2,
  kCommit = 3,
  kCheckpoint = 4,
  kViewChange = 5,
  kNewView = 6,
  kFetch = 7,
  kBlocks = 8,
  kForward = 9,
  kBlockRequest = 10,
  kBlockReply = 11,
};
constexpr std::uint8_t kLastMsgType = 11;
const char* msg_type_name(MsgType type);

// Version 2: VIEW-CHANGE carries prepared proofs without blocks; BLOCK-REQUEST / BLOCK-REPLY.
// Version 3: the envelope carries the sender's configuration number (signed, section 2c).
constexpr std::uint8_t kWireVersion = 3;

struct PrePrepare {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
  Block block;
};
struct Prepare {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
};
struct Commit {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
};
struct CheckpointMsg {
  SeqNumber seq = 0;
  Digest state_digest{};
};
struct ViewChange {
  ViewNumber new_view = 0;
  CheckpointProof stable;
  std::vector<PreparedProof> prepared;  // ascending seq, all above stable.seq; no blocks
};
struct SignedViewChange {
  ReplicaId sender = 0;
  ViewChange vc;
  Signature sig{};
};
// The new primary's PRE-PREPARE signature for one sequence number of the new view.
struct NewViewEntry {
  SeqNumber seq = 0;
  Digest digest{};
  Signature sig{};
};
struct NewView {
  ViewNumber view = 0;
  std::vector<SignedViewChange> view_changes;  // 2f+1 from distinct replicas
  std::vector<NewViewEntry> preprepares;       // one per seq in (min_s, max_s], ascending
};
struct Fetch {
  SeqNumber from_seq = 0;
  ViewNumber view = 0;  // the requester's view (a peer in a later view answers with NEW-VIEW)
};
struct BlocksReply {
  std::vector<CommittedBlock> blocks;  // consecutive heights
  CheckpointProof stable;              // the responder's latest stable checkpoint
};

// Asks a replica whose VIEW-CHANGE proved it prepared (view, seq, digest) for that block: the
// requester holds a NEW-VIEW whose plan names it and cannot install the view without it.
struct BlockRequest {
  ViewNumber view = 0;  // the NEW-VIEW's view
  SeqNumber seq = 0;
  Digest digest{};
};
// The answer: the block itself, checked by the requester against the digest it asked for.
struct BlockReply {
  Block block;
};

// Client transactions a backup holds but has not seen proposed, sent to the primary.
struct Forward {
  std::vector<Bytes> txs;  // at most max_batch_txs, each at most max_tx_bytes
};

using MessageBody = std::variant<PrePrepare, Prepare, Commit, CheckpointMsg, ViewChange, NewView,
                                 Fetch, BlocksReply, Forward, BlockRequest, BlockReply>;

struct Message {
  ReplicaId sender = 0;
  MessageBody body;
  Signature sig{};
  ConfigNumber config = 0;  // the configuration the message belongs to (docs/consensus.md 2c)

  MsgType type() const;
};

// Bounds applied while decoding (derived from the config).
struct DecodeLimits {
  std::uint32_t replica_count = 4;
  std::uint32_t max_block_txs = 400;
  std::uint32_t max_tx_bytes = 64u * 1024;
  std::uint32_t max_prepared = 64;
  std::uint32_t max_blocks = 32;
  std::uint32_t max_message_bytes = 64u << 20;
};
DecodeLimits decode_limits(const ConsensusConfig& config);

// Encoded sizes, for budgets checked when a message is built: one committed block inside a
// BLOCKS reply; the largest such block the config allows; a BLOCKS reply without blocks.
// (message_budget.h has the budget of every message kind.)
std::size_t committed_block_wire_bytes(const CommittedBlock& cb);
std::size_t max_committed_block_bytes(const ConsensusConfig& config);
std::size_t blocks_reply_overhead_bytes(const ConsensusConfig& config);

// The bytes a replica signs for a statement of `type` by `sender` on the chain `chain` in
// configuration `config`: "HC-PBFT/4/msg" | 0x00 | chain:32 | config:u64 | type:u8 |
// sender:u32 | statement. Version 2 of the tag added the chain id, so a signature never
// verifies on another chain that reuses the keys; version 3 came with VIEW-CHANGE statements
// that carry digests instead of blocks; version 4 added the configuration number, so a
// message or certificate of one configuration never counts in another.
Bytes signing_input(const ChainId& chain, ConfigNumber config, MsgType type, ReplicaId sender, ByteSpan statement);
// The statement of a PRE-PREPARE, PREPARE or COMMIT: view:u64 | seq:u64 | digest:32.
Bytes vote_statement(ViewNumber view, SeqNumber seq, const Digest& digest);
// The statement of a CHECKPOINT: seq:u64 | state_digest:32.
Bytes checkpoint_statement(SeqNumber seq, const Digest& state_digest);
// The statement (body) of a VIEW-CHANGE.
Bytes view_change_statement(const ViewChange& vc);

// The statement the sender signs for this body.
Bytes statement_of(const MessageBody& body);
// Builds the envelope of body signed with sig (sig must be over signing_input(...)).
Bytes encode_message(const Message& msg);
// Strict decoding; kInvalidInput (or kTooLarge) with the reason on any malformation.
// Signatures are NOT checked here (see validator.h).
Result<Message> decode_message(ByteSpan wire, const DecodeLimits& limits);

}  // namespace hc::consensus
