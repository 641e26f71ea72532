// Resource and deposing attacks of a faulty replica (issue 12): each keeps taking part
// honestly (its engine's messages go out unchanged, except for timestamp-skew) and adds what a
// malicious hospital with a real replica key can send. Every added message is signed with the
// faulty replica's own key, so it passes envelope checks; nothing forges another replica.
// Added messages are paced by a token bucket in virtual time (kFloodPerSecond per faulty
// replica, bursts up to kFloodBurst): floods between two faulty replicas, each answering the
// other, would otherwise grow without bound and the simulation would never finish.
#include <algorithm>
#include <map>

#include "consensus/wire_reader.h"
#include "sim/byzantine.h"

namespace hc::sim {
namespace {

using consensus::Message;
using consensus::MessageBody;
using consensus::ReplicaId;
using consensus::SharedBytes;
using consensus::ViewNumber;

class Flood : public ByzantineBehavior {
 public:
  Flood(ReplicaId self, consensus::Signer& signer, const consensus::ConsensusConfig& config)
      : self_(self), signer_(signer), config_(config), n_(config.replica_count) {}

  void tick(std::uint64_t now_us) override {
    const double refill = static_cast<double>(now_us - last_us_) * kFloodPerSecond / 1e6;
    tokens_ = std::min(kFloodBurst, tokens_ + refill);
    last_us_ = now_us;
  }
  // Learns the latest view in use from what the faulty replica receives.
  void observe(const SharedBytes& wire) override {
    if (wire->size() < 26 || (*wire)[0] != consensus::kWireVersion) return;
    const std::uint8_t type = (*wire)[1];
    // Sign in the configuration peers use now (a peer's flood cannot move it far).
    consensus::WireReader header(ByteSpan(*wire).subspan(2, 8));
    const consensus::ConfigNumber c = header.u64();
    if (c > config_number_ && c < config_number_ + 4) config_number_ = c;
    const bool has_view = type == 1 || type == 2 || type == 3 || type == 5 || type == 6;
    if (!has_view) return;
    consensus::WireReader r(ByteSpan(*wire).subspan(18));
    const ViewNumber v = r.u64();
    // A peer's flood must not steer this one: only views near the ones seen so far count.
    if (v > view_ && v < view_ + 64) view_ = v;
    if (type <= 3) {
      const consensus::SeqNumber s = r.u64();
      if (s > seq_ && s < seq_ + 4 * config_.window_blocks) seq_ = s;
    }
  }

 protected:
  SharedBytes sign(MessageBody body) {
    Message msg;
    msg.config = config_number_;
    msg.sender = self_;
    msg.body = std::move(body);
    msg.sig = signer_.sign(consensus::signing_input(config_.chain_id, msg.config, msg.type(), self_,
                                                    consensus::statement_of(msg.body)));
    return std::make_shared<const Bytes>(consensus::encode_message(msg));
  }
  void to_every_peer(const SharedBytes& wire, std::vector<OutMessage>& msgs) const {
    for (ReplicaId r = 0; r < n_; ++r) {
      if (r != self_) msgs.push_back(OutMessage{r, wire, 0, false});
    }
  }
  // Takes count messages from the bucket; false (and takes none) if it holds fewer.
  bool allow(std::size_t count) {
    if (tokens_ < static_cast<double>(count)) return false;
    tokens_ -= static_cast<double>(count);
    return true;
  }
  static consensus::Digest random_digest(Prng& rng) {
    consensus::Digest d{};
    for (auto& b : d) b = static_cast<std::uint8_t>(rng.next());
    return d;
  }

  ReplicaId self_;
  consensus::Signer& signer_;
  const consensus::ConsensusConfig config_;
  std::uint32_t n_;
  ViewNumber view_ = 0;
  consensus::ConfigNumber config_number_ = 0;
  consensus::SeqNumber seq_ = 0;  // the highest agreed sequence number seen (roughly)

 private:
  static constexpr double kFloodPerSecond = 500;
  static constexpr double kFloodBurst = 200;
  double tokens_ = kFloodBurst;
  std::uint64_t last_us_ = 0;
};

// Issue 12 item 1: the faulty replica is the legitimate primary of every n-th view, so its
// PRE-PREPAREs for those future views pass every check; it replays one (with a block of a few
// KiB) again and again, and adds PREPAREs for views near 2^63 that can never become useful.
class FutureFlood final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    if (!rng.chance(0.25) || !allow(3 * (n_ - 1))) return;
    consensus::Prepare far;
    far.view = (ViewNumber{1} << 63) + rng.below(1u << 20);
    far.seq = seq_ + 1 + rng.below(config_.window_blocks / 2);  // inside the receivers' window
    far.digest = random_digest(rng);
    to_every_peer(sign(far), msgs);
    ViewNumber fv = view_ + n_;
    fv += (self_ + n_ - fv % n_) % n_;  // the next view it leads, n or more views ahead
    if (fv != cached_view_ || seq_ >= cached_seq_) {
      cached_view_ = fv;
      cached_seq_ = seq_ + 1;
      cached_ = sign(future_preprepare(fv, cached_seq_, rng));
    }
    to_every_peer(cached_, msgs);
    to_every_peer(cached_, msgs);
  }

 private:
  consensus::PrePrepare future_preprepare(ViewNumber fv, consensus::SeqNumber seq, Prng& rng) const {
    consensus::PrePrepare pp;
    pp.view = fv;
    pp.seq = seq;
    pp.block.height = seq;
    pp.block.view = fv;
    pp.block.proposer = self_;
    pp.block.timestamp_ms = 1;
    for (int i = 0; i < 8; ++i) {
      Bytes tx(1024, 0xAB);
      tx[0] = 0x01;
      append_u64_be(tx, rng.next());
      pp.block.txs.push_back(std::move(tx));
    }
    pp.digest = consensus::block_digest(pp.block);
    return pp;
  }
  ViewNumber cached_view_ = ~ViewNumber{0};
  consensus::SeqNumber cached_seq_ = 0;
  SharedBytes cached_;
};

// Issue 12 item 2: the faulty hospital relays its clients' transactions to the backups of
// the current view only; its own engine never sees them, so the primary can only learn them
// from a backup.
class Depose final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>&, Prng&) override {}
  bool sees_client(std::uint32_t) const override { return false; }
  void relay_client_tx(const SharedBytes& tx, ReplicaId primary,
                       std::vector<OutMessage>& out) override {
    for (ReplicaId r = 0; r < n_; ++r) {
      if (r != self_ && r != primary) out.push_back(OutMessage{r, tx, 0, true});
    }
  }
};

// Issue 12 item 4: frames of exactly the configured maximum size and one byte over it (a
// well-formed envelope header whose body is junk), and a signed, decodable PRE-PREPARE as
// large as the frame allows (more transactions of maximum size than any honest primary puts
// in a block, so over the PRE-PREPARE budget when the batch limits allow), to one peer at a
// time.
class Oversized final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    if (!rng.chance(0.1) || !allow(20)) return;  // a maximum-size frame weighs like many
    if (!at_max_) {
      at_max_ = frame(config_.max_message_bytes);
      over_max_ = frame(config_.max_message_bytes + std::uint64_t{1});
      big_proposal_ = largest_preprepare();
    }
    const auto to = static_cast<ReplicaId>((self_ + 1 + rng.below(n_ - 1)) % n_);
    const std::uint64_t pick = rng.below(3);
    msgs.push_back(OutMessage{to, pick == 0 ? at_max_ : pick == 1 ? over_max_ : big_proposal_, 0, false});
  }

 private:
  SharedBytes frame(std::uint64_t total) const {
    Bytes wire;
    wire.push_back(consensus::kWireVersion);
    wire.push_back(static_cast<std::uint8_t>(consensus::MsgType::kViewChange));
    append_u32_be(wire, self_);
    append_u32_be(wire, static_cast<std::uint32_t>(total - 10 - 64));
    wire.resize(total, 0x5A);
    return std::make_shared<const Bytes>(std::move(wire));
  }
  // As many maximum-size transactions (at most max_batch_txs) as fit the frame.
  SharedBytes largest_preprepare() {
    const std::size_t tx_bytes = config_.max_tx_bytes;
    const std::size_t room = config_.max_message_bytes - 4096;
    const std::size_t count = std::min<std::size_t>(config_.max_batch_txs, room / (tx_bytes + 4));
    consensus::Block block;
    block.height = seq_ + 1;
    block.view = view_;
    block.proposer = self_;
    for (std::size_t i = 0; i < count; ++i) {
      Bytes tx(tx_bytes, 0x5A);
      tx[0] = 0x01;
      for (std::size_t b = 0; b < 8; ++b) tx[1 + b] = static_cast<std::uint8_t>((i + self_ * 1000003u) >> (8 * b));
      block.txs.push_back(std::move(tx));
    }
    const consensus::Digest digest = consensus::block_digest(block);
    return sign(consensus::PrePrepare{view_, block.height, digest, std::move(block)});
  }
  SharedBytes at_max_;
  SharedBytes over_max_;
  SharedBytes big_proposal_;
};

// Issue 12 items 4 and 7: 24-byte FETCHes from height 1, each making the responder read,
// encode and sign up to max_fetch_blocks blocks, and BLOCK-REQUESTs for recent heights under
// random digests (each making the responder look for a block it does not hold).
class FetchFlood final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    if (!rng.chance(0.5) || !allow(3 * (n_ - 1))) return;
    consensus::Fetch fetch;
    fetch.from_seq = 1;
    fetch.view = view_;
    const SharedBytes wire = sign(fetch);
    to_every_peer(wire, msgs);
    to_every_peer(wire, msgs);
    const consensus::SeqNumber height = 1 + (seq_ > 0 ? rng.below(seq_) : 0);
    to_every_peer(sign(consensus::BlockRequest{view_, height, random_digest(rng)}), msgs);
  }
};

// Issue 12 item 7: CHECKPOINTs far ahead (a multiple of the interval, so they look like
// real checkpoints), hoping to become the preferred state-transfer peer for good.
class FutureCheckpoint final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    if (!rng.chance(0.2) || !allow(n_ - 1)) return;
    const std::uint64_t k = config_.checkpoint_interval_blocks;
    consensus::CheckpointMsg cp;
    cp.seq = rng.chance(0.5) ? k * (std::uint64_t{1} << 40) : k * (1000 + rng.below(1000));
    cp.state_digest = random_digest(rng);
    to_every_peer(sign(cp), msgs);
  }
};

// Issue 12 item 6: as primary, every block it proposes is stamped ten days ahead (the same
// block to every backup, so it can commit).
class TimestampSkew final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng&) override {
    const auto limits = consensus::decode_limits(config_);
    for (OutMessage& m : msgs) {
      if (m.wire->size() < 2 || (*m.wire)[1] != static_cast<std::uint8_t>(consensus::MsgType::kPrePrepare)) {
        continue;
      }
      auto decoded = consensus::decode_message(*m.wire, limits);
      if (!decoded.ok()) continue;
      auto& pp = std::get<consensus::PrePrepare>(decoded.value().body);
      const auto key = std::make_pair(pp.view, pp.seq);
      auto it = skewed_.find(key);
      if (it == skewed_.end()) {
        pp.block.timestamp_ms += kTenDaysMs;
        pp.digest = consensus::block_digest(pp.block);
        it = skewed_.emplace(key, sign(pp)).first;
        if (skewed_.size() > 256) skewed_.erase(skewed_.begin());
      }
      m.wire = it->second;
    }
  }

 private:
  static constexpr std::uint64_t kTenDaysMs = 10ull * 24 * 3600 * 1000;
  std::map<std::pair<ViewNumber, consensus::SeqNumber>, SharedBytes> skewed_;
};

// Issue 12 item 5: client transactions whose group signature does not verify (the test
// application rejects a transaction starting with 0xFF after charging one group-signature
// verification), sent to peers as relayed client transactions at a high rate.
class BadGroupSig final : public Flood {
 public:
  using Flood::Flood;
  void mutate(std::vector<OutMessage>& msgs, Prng& rng) override {
    for (int i = 0; i < 4 && allow(1); ++i) {
      Bytes tx{0xFF, 'G'};
      append_u32_be(tx, self_);
      append_u64_be(tx, counter_++);
      tx.resize(512, 0xAB);
      const auto to = static_cast<ReplicaId>((self_ + 1 + rng.below(n_ - 1)) % n_);
      msgs.push_back(OutMessage{to, std::make_shared<const Bytes>(std::move(tx)), 0, true});
    }
  }

 private:
  std::uint64_t counter_ = 0;
};

}  // namespace

std::unique_ptr<ByzantineBehavior> make_flood_behavior(Strategy strategy, ReplicaId self,
                                                       consensus::Signer& signer,
                                                       const consensus::ConsensusConfig& config) {
  switch (strategy) {
    case Strategy::kFutureFlood: return std::make_unique<FutureFlood>(self, signer, config);
    case Strategy::kDepose: return std::make_unique<Depose>(self, signer, config);
    case Strategy::kOversized: return std::make_unique<Oversized>(self, signer, config);
    case Strategy::kFetchFlood: return std::make_unique<FetchFlood>(self, signer, config);
    case Strategy::kFutureCheckpoint: return std::make_unique<FutureCheckpoint>(self, signer, config);
    case Strategy::kTimestampSkew: return std::make_unique<TimestampSkew>(self, signer, config);
    case Strategy::kBadGroupSig: return std::make_unique<BadGroupSig>(self, signer, config);
    case Strategy::kNone:
    case Strategy::kStallAtBoundary:
    case Strategy::kEquivocate:
    case Strategy::kSilent:
    case Strategy::kSlow:
    case Strategy::kWrongDigest:
    case Strategy::kBadSignature:
    case Strategy::kReplay:
    case Strategy::kCensor:
    case Strategy::kTwoFaced: return nullptr;
  }
  return nullptr;
}

}  // namespace hc::sim
