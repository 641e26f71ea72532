#include "consensus/messages.h"

#include "consensus/codec.h"

#include <cstring>

namespace hc::consensus {
namespace {

constexpr std::string_view kSignTag = "HC-PBFT/4/msg";
constexpr std::size_t kVoteStatementBytes = 48;

void put_signers(Bytes& out, const std::vector<SignedBy>& sigs) {
  append_u32_be(out, static_cast<std::uint32_t>(sigs.size()));
  for (const SignedBy& s : sigs) {
    append_u32_be(out, s.replica);
    append_bytes(out, s.sig);
  }
}

}  // namespace

void put_checkpoint_proof(Bytes& out, const CheckpointProof& p) {
  append_u64_be(out, p.seq);
  append_bytes(out, p.state_digest);
  put_signers(out, p.sigs);
}

void put_prepared_proof(Bytes& out, const PreparedProof& p) {
  append_bytes(out, vote_statement(p.view, p.seq, p.digest));
  append_bytes(out, p.preprepare_sig);
  put_signers(out, p.prepares);
}

void put_prepared(Bytes& out, const PreparedCertificate& c) {
  put_prepared_proof(out, c.proof());
  encode_block(out, c.block);
}

namespace {


std::vector<SignedBy> get_signers(WireReader& r, const DecodeLimits& lim) {
  const std::uint32_t count = r.count(lim.replica_count, "signatures");
  std::vector<SignedBy> out(count);
  for (SignedBy& s : out) {
    s.replica = r.u32();
    s.sig = r.fixed<64>();
  }
  return out;
}

}  // namespace

void put_commit_cert(Bytes& out, const CommitCertificate& c) {
  append_u64_be(out, c.view);
  append_u64_be(out, c.seq);
  append_bytes(out, c.digest);
  put_signers(out, c.commits);
}

CommitCertificate get_commit_cert(WireReader& r, const DecodeLimits& lim) {
  CommitCertificate c;
  c.view = r.u64();
  c.seq = r.u64();
  c.digest = r.fixed<32>();
  c.commits = get_signers(r, lim);
  return c;
}

Block get_block(WireReader& r, const DecodeLimits& lim) {
  Block b;
  b.height = r.u64();
  b.timestamp_ms = r.u64();
  b.view = r.u64();
  b.proposer = r.u32();
  const std::uint32_t count = r.count(lim.max_block_txs, "transactions");
  b.txs.reserve(count);
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
    const std::uint32_t len = r.u32();
    if (len > lim.max_tx_bytes) r.fail("transaction too large");
    ByteSpan tx = r.span(len);
    b.txs.emplace_back(tx.begin(), tx.end());
  }
  return b;
}

CheckpointProof get_checkpoint_proof(WireReader& r, const DecodeLimits& lim) {
  CheckpointProof p;
  p.seq = r.u64();
  p.state_digest = r.fixed<32>();
  p.sigs = get_signers(r, lim);
  return p;
}

PreparedProof get_prepared_proof(WireReader& r, const DecodeLimits& lim) {
  // A braced list is evaluated left to right: the fields in wire order.
  PreparedProof p{r.u64(), r.u64(), r.fixed<32>(), r.fixed<64>(), {}};
  p.prepares = get_signers(r, lim);
  return p;
}

PreparedCertificate get_prepared(WireReader& r, const DecodeLimits& lim) {
  PreparedProof p = get_prepared_proof(r, lim);
  PreparedCertificate c{p.view, p.seq, p.digest, {}, p.preprepare_sig, std::move(p.prepares)};
  c.block = get_block(r, lim);
  return c;
}

namespace {


ViewChange get_view_change(WireReader& r, const DecodeLimits& lim) {
  ViewChange vc;
  vc.new_view = r.u64();
  vc.stable = get_checkpoint_proof(r, lim);
  const std::uint32_t count = r.count(lim.max_prepared, "prepared proofs");
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) vc.prepared.push_back(get_prepared_proof(r, lim));
  return vc;
}

void put_body(Bytes& out, const MessageBody& body);

Result<MessageBody> decode_body(MsgType type, ByteSpan body, const DecodeLimits& lim);

}  // namespace

const char* msg_type_name(MsgType type) {
  switch (type) {
    case MsgType::kPrePrepare: return "PRE-PREPARE";
    case MsgType::kPrepare: return "PREPARE";
    case MsgType::kCommit: return "COMMIT";
    case MsgType::kCheckpoint: return "CHECKPOINT";
    case MsgType::kViewChange: return "VIEW-CHANGE";
    case MsgType::kNewView: return "NEW-VIEW";
    case MsgType::kFetch: return "FETCH";
    case MsgType::kBlocks: return "BLOCKS";
    case MsgType::kForward: return "FORWARD";
    case MsgType::kBlockRequest: return "BLOCK-REQUEST";
    case MsgType::kBlockReply: return "BLOCK-REPLY";
  }
  return "?";
}

MsgType Message::type() const { return static_cast<MsgType>(body.index() + 1); }

DecodeLimits decode_limits(const ConsensusConfig& config) {
  DecodeLimits lim;
  lim.replica_count = config.id_space();
  lim.max_block_txs = config.max_batch_txs;
  lim.max_tx_bytes = config.max_tx_bytes;
  lim.max_prepared = config.window_blocks;
  lim.max_blocks = config.max_fetch_blocks;
  lim.max_message_bytes = config.max_message_bytes;
  return lim;
}

namespace {
constexpr std::size_t kEnvelopeBytes = 1 + 1 + 8 + 4 + 4 + 64;
constexpr std::size_t kSignerBytes = 4 + 64;
constexpr std::size_t kCommitCertFixedBytes = 8 + 8 + 32 + 4;
constexpr std::size_t kBlockFixedBytes = 8 + 8 + 8 + 4 + 4;
}  // namespace

std::size_t committed_block_wire_bytes(const CommittedBlock& cb) {
  return encoded_block_size(cb.block) + kCommitCertFixedBytes + cb.cert.commits.size() * kSignerBytes;
}

std::size_t max_committed_block_bytes(const ConsensusConfig& config) {
  // A block holds at most max_batch_bytes of transactions, or one transaction past it.
  return kBlockFixedBytes + std::size_t{config.max_batch_txs} * 4 + config.max_batch_bytes +
         config.max_tx_bytes + kCommitCertFixedBytes + std::size_t{config.id_space()} * kSignerBytes;
}

std::size_t blocks_reply_overhead_bytes(const ConsensusConfig& config) {
  return kEnvelopeBytes + 4 + 8 + 32 + 4 + std::size_t{config.id_space()} * kSignerBytes;
}

Bytes signing_input(const ChainId& chain, ConfigNumber config, MsgType type, ReplicaId sender, ByteSpan statement) {
  // Filled by index: GCC 12 misreports vector::insert of a string here (stringop-overflow).
  Bytes out(kSignTag.size() + 1 + chain.size() + 8 + 5 + statement.size());
  std::memcpy(out.data(), kSignTag.data(), kSignTag.size());
  std::size_t pos = kSignTag.size();
  out[pos++] = 0;
  std::memcpy(out.data() + pos, chain.data(), chain.size());
  pos += chain.size();
  for (int shift = 56; shift >= 0; shift -= 8) out[pos++] = static_cast<std::uint8_t>(config >> shift);
  out[pos++] = static_cast<std::uint8_t>(type);
  for (int shift = 24; shift >= 0; shift -= 8) out[pos++] = static_cast<std::uint8_t>(sender >> shift);
  if (!statement.empty()) std::memcpy(out.data() + pos, statement.data(), statement.size());
  return out;
}

Bytes vote_statement(ViewNumber view, SeqNumber seq, const Digest& digest) {
  Bytes out;
  out.reserve(kVoteStatementBytes);
  append_u64_be(out, view);
  append_u64_be(out, seq);
  append_bytes(out, digest);
  return out;
}

Bytes checkpoint_statement(SeqNumber seq, const Digest& state_digest) {
  Bytes out;
  append_u64_be(out, seq);
  append_bytes(out, state_digest);
  return out;
}

Bytes view_change_statement(const ViewChange& vc) {
  Bytes out;
  append_u64_be(out, vc.new_view);
  put_checkpoint_proof(out, vc.stable);
  append_u32_be(out, static_cast<std::uint32_t>(vc.prepared.size()));
  for (const PreparedProof& p : vc.prepared) put_prepared_proof(out, p);
  return out;
}

namespace {

void put_body(Bytes& out, const MessageBody& body) {
  if (const auto* pp = std::get_if<PrePrepare>(&body)) {
    append_bytes(out, vote_statement(pp->view, pp->seq, pp->digest));
    encode_block(out, pp->block);
  } else if (const auto* p = std::get_if<Prepare>(&body)) {
    append_bytes(out, vote_statement(p->view, p->seq, p->digest));
  } else if (const auto* c = std::get_if<Commit>(&body)) {
    append_bytes(out, vote_statement(c->view, c->seq, c->digest));
  } else if (const auto* cp = std::get_if<CheckpointMsg>(&body)) {
    append_bytes(out, checkpoint_statement(cp->seq, cp->state_digest));
  } else if (const auto* vc = std::get_if<ViewChange>(&body)) {
    append_bytes(out, view_change_statement(*vc));
  } else if (const auto* nv = std::get_if<NewView>(&body)) {
    append_u64_be(out, nv->view);
    append_u32_be(out, static_cast<std::uint32_t>(nv->view_changes.size()));
    for (const SignedViewChange& s : nv->view_changes) {
      append_u32_be(out, s.sender);
      append_bytes(out, s.sig);
      append_length_prefixed(out, view_change_statement(s.vc));
    }
    append_u32_be(out, static_cast<std::uint32_t>(nv->preprepares.size()));
    for (const NewViewEntry& e : nv->preprepares) {
      append_u64_be(out, e.seq);
      append_bytes(out, e.digest);
      append_bytes(out, e.sig);
    }
  } else if (const auto* f = std::get_if<Fetch>(&body)) {
    append_u64_be(out, f->from_seq);
    append_u64_be(out, f->view);
  } else if (const auto* fw = std::get_if<Forward>(&body)) {
    append_u32_be(out, static_cast<std::uint32_t>(fw->txs.size()));
    for (const Bytes& tx : fw->txs) append_length_prefixed(out, tx);
  } else if (const auto* br = std::get_if<BlockRequest>(&body)) {
    append_bytes(out, vote_statement(br->view, br->seq, br->digest));
  } else if (const auto* reply = std::get_if<BlockReply>(&body)) {
    encode_block(out, reply->block);
  } else if (const auto* b = std::get_if<BlocksReply>(&body)) {
    append_u32_be(out, static_cast<std::uint32_t>(b->blocks.size()));
    for (const CommittedBlock& cb : b->blocks) {
      encode_block(out, cb.block);
      put_commit_cert(out, cb.cert);
    }
    put_checkpoint_proof(out, b->stable);
  }
}

Result<NewView> decode_new_view(WireReader& r, const DecodeLimits& lim) {
  NewView nv;
  nv.view = r.u64();
  const std::uint32_t count = r.count(lim.replica_count, "view changes");
  for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
    SignedViewChange s;
    s.sender = r.u32();
    s.sig = r.fixed<64>();
    const std::uint32_t len = r.u32();
    WireReader inner(r.span(len));
    s.vc = get_view_change(inner, lim);
    HC_RETURN_IF_ERROR(inner.finish("embedded VIEW-CHANGE"));
    nv.view_changes.push_back(std::move(s));
  }
  const std::uint32_t entries = r.count(lim.max_prepared, "new-view pre-prepares");
  for (std::uint32_t i = 0; i < entries && r.ok(); ++i) {
    NewViewEntry e;
    e.seq = r.u64();
    e.digest = r.fixed<32>();
    e.sig = r.fixed<64>();
    nv.preprepares.push_back(e);
  }
  return nv;
}

Result<MessageBody> decode_body(MsgType type, ByteSpan body, const DecodeLimits& lim) {
  WireReader r(body);
  MessageBody out;
  switch (type) {
    case MsgType::kPrePrepare: {
      PrePrepare pp;
      pp.view = r.u64();
      pp.seq = r.u64();
      pp.digest = r.fixed<32>();
      pp.block = get_block(r, lim);
      out = std::move(pp);
      break;
    }
    case MsgType::kPrepare: out = Prepare{r.u64(), r.u64(), r.fixed<32>()}; break;
    case MsgType::kCommit: out = Commit{r.u64(), r.u64(), r.fixed<32>()}; break;
    case MsgType::kCheckpoint: out = CheckpointMsg{r.u64(), r.fixed<32>()}; break;
    case MsgType::kViewChange: out = get_view_change(r, lim); break;
    case MsgType::kNewView: {
      HC_ASSIGN_OR_RETURN(NewView nv, decode_new_view(r, lim));
      out = std::move(nv);
      break;
    }
    case MsgType::kFetch: out = Fetch{r.u64(), r.u64()}; break;
    case MsgType::kBlockRequest: out = BlockRequest{r.u64(), r.u64(), r.fixed<32>()}; break;
    case MsgType::kBlockReply: out = BlockReply{get_block(r, lim)}; break;
    case MsgType::kForward: {
      Forward fw;
      const std::uint32_t count = r.count(lim.max_block_txs, "forwarded transactions");
      for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
        const std::uint32_t len = r.u32();
        if (len > lim.max_tx_bytes) r.fail("transaction too large");
        ByteSpan tx = r.span(len);
        fw.txs.emplace_back(tx.begin(), tx.end());
      }
      out = std::move(fw);
      break;
    }
    case MsgType::kBlocks: {
      BlocksReply reply;
      const std::uint32_t count = r.count(lim.max_blocks, "blocks");
      for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
        CommittedBlock cb;
        cb.block = get_block(r, lim);
        cb.cert = get_commit_cert(r, lim);
        reply.blocks.push_back(std::move(cb));
      }
      reply.stable = get_checkpoint_proof(r, lim);
      out = std::move(reply);
      break;
    }
  }
  HC_RETURN_IF_ERROR(r.finish(msg_type_name(type)));
  return out;
}

}  // namespace

Bytes statement_of(const MessageBody& body) {
  Bytes out;
  if (const auto* pp = std::get_if<PrePrepare>(&body)) {
    return vote_statement(pp->view, pp->seq, pp->digest);
  }
  put_body(out, body);
  return out;
}

Bytes encode_message(const Message& msg) {
  Bytes body;
  put_body(body, msg.body);
  Bytes out;
  out.reserve(18 + body.size() + 64);
  append_u8(out, kWireVersion);
  append_u8(out, static_cast<std::uint8_t>(msg.type()));
  append_u64_be(out, msg.config);
  append_u32_be(out, msg.sender);
  append_length_prefixed(out, body);
  append_bytes(out, msg.sig);
  return out;
}

Result<Message> decode_message(ByteSpan wire, const DecodeLimits& limits) {
  if (wire.size() > limits.max_message_bytes) {
    return Status::error(ErrorCode::kTooLarge, "message exceeds the size limit");
  }
  WireReader r(wire);
  const std::uint8_t version = r.u8();
  const std::uint8_t type = r.u8();
  Message msg;
  msg.config = r.u64();
  msg.sender = r.u32();
  const std::uint32_t body_len = r.u32();
  ByteSpan body = r.span(body_len);
  msg.sig = r.fixed<64>();
  HC_RETURN_IF_ERROR(r.finish("envelope"));
  if (version != kWireVersion) return invalid_input("unsupported wire version");
  if (type < 1 || type > kLastMsgType) {
    return invalid_input("unknown message type");
  }
  HC_ASSIGN_OR_RETURN(msg.body, decode_body(static_cast<MsgType>(type), body, limits));
  return msg;
}

}  // namespace hc::consensus
