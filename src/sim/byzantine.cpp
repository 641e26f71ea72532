#include "sim/byzantine.h"

#include <algorithm>

#include "consensus/wire_reader.h"

namespace hc::sim {
namespace {

using consensus::Message;
using consensus::SharedBytes;

// Decodes, lets edit() change the body, re-signs with the faulty replica's key.
class Resigner {
 public:
  Resigner(consensus::ReplicaId self, consensus::Signer& signer,
           const consensus::ConsensusConfig& config)
      : self_(self), signer_(signer), chain_(config.chain_id), limits_(consensus::decode_limits(config)) {}

  std::optional<Message> decode(const SharedBytes& wire) const {
    auto msg = consensus::decode_message(*wire, limits_);
    if (!msg.ok()) return std::nullopt;
    return std::move(msg).value();
  }
  SharedBytes sign(Message msg) {
    msg.sender = self_;
    msg.sig = signer_.sign(consensus::signing_input(chain_, msg.config, msg.type(), self_,
                                                    consensus::statement_of(msg.body)));
    return std::make_shared<const Bytes>(consensus::encode_message(msg));
  }

 private:
  consensus::ReplicaId self_;
  consensus::Signer& signer_;
  consensus::ChainId chain_;
  consensus::DecodeLimits limits_;
};

class Equivocate final : public ByzantineBehavior {
 public:
  explicit Equivocate(Resigner r) : r_(std::move(r)) {}
  void mutate(std::vector<OutMessage>& msgs, Prng&) override {
    for (OutMessage& m : msgs) {
      if (m.to % 2 == 0) continue;
      auto msg = r_.decode(m.wire);
      if (!msg || msg->type() != consensus::MsgType::kPrePrepare) continue;
      auto& pp = std::get<consensus::PrePrepare>(msg->body);
      if (pp.block.txs.size() >= 2) {
        std::reverse(pp.block.txs.begin(), pp.block.txs.end());
      } else {
        pp.block.txs.push_back(Bytes{0xFF, 0x42});  // a transaction no application accepts
      }
      pp.digest = consensus::block_digest(pp.block);
      m.wire = r_.sign(std::move(*msg));
    }
  }

 private:
  Resigner r_;
};

class Silent final : public ByzantineBehavior {
 public:
  void mutate(std::vector<OutMessage>& msgs, Prng&) override { msgs.clear(); }
};

class Slow final : public ByzantineBehavior {
 public:
  explicit Slow(std::uint64_t delay_us) : delay_us_(delay_us) {}
  void mutate(std::vector<OutMessage>& msgs, Prng&) override {
    for (OutMessage& m : msgs) m.extra_delay_us += delay_us_;
  }

 private:
  std::uint64_t delay_us_;
};

// The digest a PREPARE or COMMIT votes for (and, with `checkpoints`, the state digest a
// CHECKPOINT states); nullptr for any other message.
consensus::Digest* voted_digest(consensus::Message& msg, bool checkpoints) {
  if (auto* p = std::get_if<consensus::Prepare>(&msg.body)) return &p->digest;
  if (auto* c = std::get_if<consensus::Commit>(&msg.body)) return &c->digest;
  if (auto* cp = std::get_if<consensus::CheckpointMsg>(&msg.body); cp != nullptr && checkpoints) {
    return &cp->state_digest;
  }
  return nullptr;
}

class WrongDigest final : public ByzantineBehavior {
 public:
  explicit WrongDigest(Resigner r) : r_(std::move(r)) {}
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    for (OutMessage& m : msgs) {
      auto msg = r_.decode(m.wire);
      if (!msg) continue;
      consensus::Digest* d = voted_digest(*msg, /*checkpoints=*/false);
      if (d == nullptr) continue;
      for (auto& b : *d) b = static_cast<std::uint8_t>(rng.next());
      m.wire = r_.sign(std::move(*msg));
    }
  }

 private:
  Resigner r_;
};

class BadSignature final : public ByzantineBehavior {
 public:
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    for (OutMessage& m : msgs) {
      Bytes copy = *m.wire;
      if (copy.size() < 64) continue;
      copy[copy.size() - 1 - rng.below(64)] ^= 0x5A;
      m.wire = std::make_shared<const Bytes>(std::move(copy));
    }
  }
};

class Replay final : public ByzantineBehavior {
 public:
  explicit Replay(std::uint32_t n) : n_(n) {}
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    for (const OutMessage& m : msgs) remember(m.wire);
    if (history_.empty() || !rng.chance(0.5)) return;
    const std::size_t extra = 1 + rng.below(3);
    for (std::size_t i = 0; i < extra; ++i) {
      OutMessage m;
      m.to = static_cast<consensus::ReplicaId>(rng.below(n_));
      m.wire = history_[rng.below(history_.size())];
      msgs.push_back(std::move(m));
    }
  }
  void observe(const SharedBytes& wire) override { remember(wire); }

 private:
  void remember(const SharedBytes& wire) {
    history_.push_back(wire);
    if (history_.size() > 256) history_.pop_front();
  }
  std::uint32_t n_;
  std::deque<SharedBytes> history_;
};

// Votes both ways: the statement an odd-numbered peer gets names another digest than the one
// an even-numbered peer gets, and every peer also gets the vote signed in the neighbouring
// configuration (a later one before a boundary, an earlier one after it).
class TwoFaced final : public ByzantineBehavior {
 public:
  explicit TwoFaced(Resigner r) : r_(std::move(r)) {}
  void mutate(std::vector<OutMessage>& msgs, Prng&) override {
    std::vector<OutMessage> extra;
    for (OutMessage& m : msgs) {
      auto msg = r_.decode(m.wire);
      if (!msg) continue;
      consensus::Digest* d = voted_digest(*msg, /*checkpoints=*/true);
      if (d == nullptr) continue;
      consensus::Message other_config = *msg;
      other_config.config = msg->config % 2 == 0 ? msg->config + 1 : msg->config - 1;
      extra.push_back(OutMessage{m.to, r_.sign(std::move(other_config)), m.extra_delay_us, false});
      if (m.to % 2 == 1) {
        (*d)[0] ^= 0x01;
        m.wire = r_.sign(std::move(*msg));
      }
    }
    for (OutMessage& m : extra) msgs.push_back(std::move(m));
  }

 private:
  Resigner r_;
};

class StallAtBoundary final : public ByzantineBehavior {
 public:
  explicit StallAtBoundary(consensus::SeqNumber from_seq) : from_seq_(from_seq) {}
  void mutate(std::vector<OutMessage>& msgs, Prng&) override {
    for (const OutMessage& m : msgs) stalled_ = stalled_ || reaches_boundary(*m.wire);
    if (stalled_) msgs.clear();
  }

 private:
  bool reaches_boundary(const Bytes& wire) const {
    if (wire.size() < 18) return false;
    consensus::WireReader header(ByteSpan(wire).subspan(2, 8));
    if (header.u64() > 0) return true;
    const std::uint8_t type = wire[1];
    consensus::WireReader r(ByteSpan(wire).subspan(18));
    if (type == 1 || type == 2 || type == 3) {
      r.u64();  // view
      return r.u64() >= from_seq_;
    }
    if (type == 4) return r.u64() >= from_seq_;  // CHECKPOINT
    return false;
  }
  consensus::SeqNumber from_seq_;
  bool stalled_ = false;
};

class Censor final : public ByzantineBehavior {
 public:
  void mutate(std::vector<OutMessage>&, Prng&) override {}
  bool sees_client(std::uint32_t client) const override { return client != 0; }
};

}  // namespace

const char* strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kNone: return "none";
    case Strategy::kEquivocate: return "equivocate";
    case Strategy::kSilent: return "silent";
    case Strategy::kSlow: return "slow";
    case Strategy::kWrongDigest: return "wrong-digest";
    case Strategy::kBadSignature: return "bad-signature";
    case Strategy::kReplay: return "replay";
    case Strategy::kCensor: return "censor";
    case Strategy::kFutureFlood: return "future-flood";
    case Strategy::kDepose: return "depose";
    case Strategy::kOversized: return "oversized";
    case Strategy::kFetchFlood: return "fetch-flood";
    case Strategy::kFutureCheckpoint: return "future-checkpoint";
    case Strategy::kTimestampSkew: return "timestamp-skew";
    case Strategy::kBadGroupSig: return "bad-group-sig";
    case Strategy::kTwoFaced: return "two-faced";
    case Strategy::kStallAtBoundary: return "stall-at-boundary";
  }
  return "?";
}

std::optional<Strategy> parse_strategy(const std::string& name) {
  for (Strategy s : all_strategies()) {
    if (name == strategy_name(s)) return s;
  }
  if (name == strategy_name(Strategy::kNone)) return Strategy::kNone;
  if (name == strategy_name(Strategy::kStallAtBoundary)) return Strategy::kStallAtBoundary;
  return std::nullopt;
}

std::vector<Strategy> all_strategies() {
  return {Strategy::kEquivocate,  Strategy::kSilent,      Strategy::kSlow,
          Strategy::kWrongDigest, Strategy::kBadSignature, Strategy::kReplay,
          Strategy::kCensor,      Strategy::kFutureFlood, Strategy::kDepose,
          Strategy::kOversized,   Strategy::kFetchFlood,  Strategy::kFutureCheckpoint,
          Strategy::kTimestampSkew, Strategy::kBadGroupSig, Strategy::kTwoFaced};
}

std::unique_ptr<ByzantineBehavior> make_stall_behavior(consensus::SeqNumber from_seq) {
  return std::make_unique<StallAtBoundary>(from_seq);
}

std::unique_ptr<ByzantineBehavior> make_behavior(Strategy strategy, consensus::ReplicaId self,
                                                 consensus::Signer& signer,
                                                 const consensus::ConsensusConfig& config) {
  switch (strategy) {
    case Strategy::kNone: return nullptr;
    case Strategy::kEquivocate: return std::make_unique<Equivocate>(Resigner(self, signer, config));
    case Strategy::kSilent: return std::make_unique<Silent>();
    case Strategy::kSlow: return std::make_unique<Slow>(config.request_timeout_ms * 400);
    case Strategy::kWrongDigest: return std::make_unique<WrongDigest>(Resigner(self, signer, config));
    case Strategy::kBadSignature: return std::make_unique<BadSignature>();
    case Strategy::kReplay: return std::make_unique<Replay>(config.replica_count);
    case Strategy::kCensor: return std::make_unique<Censor>();
    case Strategy::kTwoFaced: return std::make_unique<TwoFaced>(Resigner(self, signer, config));
    case Strategy::kStallAtBoundary: return nullptr;  // make_stall_behavior
    case Strategy::kFutureFlood:
    case Strategy::kDepose:
    case Strategy::kOversized:
    case Strategy::kFetchFlood:
    case Strategy::kFutureCheckpoint:
    case Strategy::kTimestampSkew:
    case Strategy::kBadGroupSig: return make_flood_behavior(strategy, self, signer, config);
  }
  return nullptr;
}

}  // namespace hc::sim
