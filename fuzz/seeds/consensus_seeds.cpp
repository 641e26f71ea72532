// Seeds of the consensus_message harness: one message of every type, with small blocks and
// certificates (signatures are filler: decoding does not check them).
#include "consensus/messages.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

using namespace hc::consensus;

Signature filler_sig(std::uint8_t v) {
  Signature s;
  s.fill(v);
  return s;
}

Block small_block(SeqNumber height) {
  Block b;
  b.height = height;
  b.timestamp_ms = 1764000000000;
  b.view = 0;
  b.proposer = 0;
  b.txs = {Bytes{'H', 'C', 'T', 'X', 1}, Bytes(40, 0x5a)};
  return b;
}

std::vector<SignedBy> votes(std::uint32_t count) {
  std::vector<SignedBy> out;
  for (std::uint32_t i = 0; i < count; ++i) out.push_back(SignedBy{i, filler_sig(static_cast<std::uint8_t>(i))});
  return out;
}

CheckpointProof stable_proof() { return CheckpointProof{4, Digest{}, votes(3)}; }

ViewChange view_change() {
  PreparedCertificate prepared{0, 5, block_digest(small_block(5)), small_block(5), filler_sig(9), votes(2)};
  return ViewChange{1, stable_proof(), {prepared.proof()}};
}

}  // namespace

void write_consensus_seeds(const SeedWriter& out) {
  DecodeLimits limits;  // as in fuzz/consensus_message.cpp
  limits.replica_count = 4;
  limits.max_block_txs = 16;
  limits.max_tx_bytes = 4096;
  limits.max_prepared = 8;
  limits.max_blocks = 4;
  limits.max_message_bytes = 1u << 20;
  const Block block = small_block(5);
  const Digest digest = block_digest(block);
  const std::vector<std::pair<std::string, MessageBody>> bodies = {
      {"pre_prepare", PrePrepare{0, 5, digest, block}},
      {"prepare", Prepare{0, 5, digest}},
      {"commit", Commit{0, 5, digest}},
      {"checkpoint", CheckpointMsg{4, Digest{}}},
      {"view_change", view_change()},
      {"new_view", NewView{1, {SignedViewChange{1, view_change(), filler_sig(1)}}, {NewViewEntry{5, digest, filler_sig(2)}}}},
      {"fetch", Fetch{3, 0}},
      {"block_request", BlockRequest{1, 5, digest}},
      {"block_reply", BlockReply{block}},
      {"blocks", BlocksReply{{CommittedBlock{block, CommitCertificate{0, 5, digest, votes(3)}}}, stable_proof()}},
  };
  for (const auto& [name, body] : bodies) {
    const Bytes wire = encode_message(Message{1, body, filler_sig(7)});
    require(decode_message(wire, limits).ok(), "seed message " + name + " does not decode");
    out.write("consensus_message", name, wire);
  }
}

}  // namespace hc::seeds
