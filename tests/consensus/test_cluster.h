// A minimal synchronous driver for unit tests: the replicas 0..id_space()-1 with real Ed25519
// keys (those outside the genesis configuration start as learners), messages delivered in
// FIFO order, timers fired on demand. Not thread-safe.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "consensus/crypto.h"
#include "consensus/replica.h"
#include "consensus/testing/test_application.h"

namespace hc::consensus::testing {

// The chain id of a test chain: SHA-256 of its name.
inline ChainId test_chain_id(std::string_view name = "test") {
  return sha256(ByteSpan(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
}

// The small cluster most unit tests run: n = 4, a checkpoint every 4 blocks, a window of 8,
// at most 4 blocks in flight, batches of at most batch_txs transactions, on test_chain_id().
inline ConsensusConfig small_cluster_config(std::uint32_t batch_txs = 4) {
  ConsensusConfig c;
  c.chain_id = test_chain_id();
  c.replica_count = 4;
  c.max_batch_txs = batch_txs;
  c.checkpoint_interval_blocks = 4;
  c.window_blocks = 8;
  c.max_inflight_blocks = 4;
  return c;
}

inline SecureBytes test_seed(ReplicaId id) {
  SecureBytes seed(32);
  for (std::size_t i = 0; i < 32; ++i) seed.data()[i] = static_cast<std::uint8_t>(id * 31 + i);
  return seed;
}

struct Wire {
  ReplicaId to;
  SharedBytes bytes;
};

// The message kind of a wire message (byte 1 of the envelope header).
inline MsgType type_of(const Wire& w) { return static_cast<MsgType>((*w.bytes)[1]); }

class TestCluster {
 public:
  explicit TestCluster(ConsensusConfig config) : config_(config) {
    std::vector<PublicKey> keys;
    for (ReplicaId r = 0; r < config.id_space(); ++r) {
      signers_.push_back(std::move(Ed25519Signer::create(test_seed(r))).value());
      keys.push_back(signers_.back()->public_key());
    }
    for (ReplicaId r = 0; r < config.id_space(); ++r) {
      verifiers_.push_back(std::move(Ed25519Verifier::create(keys)).value());
      apps_.push_back(std::make_unique<TestApplication>());
      records_.emplace_back();
      start(r);
    }
  }

  void start(ReplicaId r) {
    if (replicas_.size() <= r) replicas_.resize(r + 1);
    replicas_[r] = std::make_unique<Replica>(config_, r, *signers_[r], *verifiers_[r], *apps_[r]);
    handle(r, StateLoaded{records_[r]});
  }
  void crash(ReplicaId r) {
    replicas_[r].reset();
    batch_timer_.erase(r);
    std::erase_if(armed_, [r](const auto& timer) { return timer.first == r; });
  }

  void handle(ReplicaId r, std::variant<MessageReceived, TimerFired, ClientTransaction, StateLoaded> what) {
    if (!replicas_[r]) return;
    std::vector<Action> out;
    replicas_[r]->handle(Event{now_ms_, std::move(what)}, out);
    for (Action& a : out) {
      if (auto* s = std::get_if<SendTo>(&a)) {
        network_.push_back({s->to, s->wire});
      } else if (auto* b = std::get_if<Broadcast>(&a)) {
        for (ReplicaId to = 0; to < config_.id_space(); ++to) {
          if (to != r) network_.push_back({to, b->wire});
        }
      } else if (auto* p = std::get_if<Persist>(&a)) {
        if (p->snapshot) records_[r].clear();
        records_[r].push_back(p->record);
      } else if (auto* d = std::get_if<Deliver>(&a)) {
        delivered_.push_back({r, d->block});
      } else if (auto* t = std::get_if<SetTimer>(&a)) {
        if (t->kind == TimerKind::kBatch) {
          batch_timer_.insert(r);
          batch_delay_ms_[r] = t->delay_ms;
        }
        armed_.insert({r, t->kind});
      } else if (auto* ct = std::get_if<CancelTimer>(&a)) {
        if (ct->kind == TimerKind::kBatch) batch_timer_.erase(r);
        armed_.erase({r, ct->kind});
      }
    }
  }
  // Fires replica r's `kind` timer if it is armed (as a real driver would); false if not.
  bool fire_if_armed(ReplicaId r, TimerKind kind) {
    if (armed_.erase({r, kind}) == 0) return false;
    handle(r, TimerFired{kind});
    return true;
  }
  // Fires every timer armed now, of every running replica, in (replica, kind) order, as a
  // driver would once they are all due; returns how many fired.
  std::size_t fire_armed_timers() {
    const std::set<std::pair<ReplicaId, TimerKind>> due = armed_;
    std::size_t fired = 0;
    for (const auto& [r, kind] : due) fired += fire_if_armed(r, kind) ? 1 : 0;
    return fired;
  }
  void submit(const Bytes& tx) {
    for (ReplicaId r = 0; r < config_.id_space(); ++r) handle(r, ClientTransaction{tx});
  }
  // Delivers queued messages until none is left (or max steps); drop() filters. When the
  // network is quiet, pending batch timers fire (the primary's batching delay elapses).
  template <typename Filter>
  void run(Filter drop, std::size_t max_steps = 100000) {
    for (std::size_t i = 0; i < max_steps; ++i) {
      if (network_.empty()) {
        if (batch_timer_.empty()) return;
        const ReplicaId r = *batch_timer_.begin();
        batch_timer_.erase(batch_timer_.begin());
        armed_.erase({r, TimerKind::kBatch});
        advance_ms(config_.max_batch_delay_ms);
        handle(r, TimerFired{TimerKind::kBatch});
        continue;
      }
      Wire w = network_.front();
      network_.pop_front();
      if (!drop(w)) handle(w.to, MessageReceived{w.bytes});
    }
  }
  void run() {
    run([](const Wire&) { return false; });
  }

  const ConsensusConfig& config() const { return config_; }
  Replica& replica(ReplicaId r) { return *replicas_[r]; }
  TestApplication& app(ReplicaId r) { return *apps_[r]; }
  Signer& signer(ReplicaId r) { return *signers_[r]; }
  Verifier& verifier(ReplicaId r) { return *verifiers_[r]; }
  std::vector<Bytes>& records(ReplicaId r) { return records_[r]; }
  std::deque<Wire>& network() { return network_; }
  const std::vector<std::pair<ReplicaId, std::shared_ptr<const CommittedBlock>>>& delivered() const {
    return delivered_;
  }
  void advance_ms(std::uint64_t ms) { now_ms_ += ms; }
  std::uint64_t now_ms() const { return now_ms_; }
  bool batch_timer_pending(ReplicaId r) const { return batch_timer_.contains(r); }
  // The delay of the last batch timer replica r set (nullopt if it never set one).
  std::optional<std::uint64_t> last_batch_delay_ms(ReplicaId r) const {
    auto it = batch_delay_ms_.find(r);
    return it == batch_delay_ms_.end() ? std::nullopt : std::optional<std::uint64_t>(it->second);
  }

 private:
  ConsensusConfig config_;
  std::uint64_t now_ms_ = 1000;
  std::vector<std::unique_ptr<Ed25519Signer>> signers_;
  std::vector<std::unique_ptr<Ed25519Verifier>> verifiers_;
  std::vector<std::unique_ptr<TestApplication>> apps_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::vector<std::vector<Bytes>> records_;
  std::deque<Wire> network_;
  std::set<ReplicaId> batch_timer_;
  std::set<std::pair<ReplicaId, TimerKind>> armed_;  // SetTimer not yet cancelled or fired
  std::map<ReplicaId, std::uint64_t> batch_delay_ms_;
  std::vector<std::pair<ReplicaId, std::shared_ptr<const CommittedBlock>>> delivered_;
};

// How many messages replica r dropped for `reason`.
inline std::uint64_t dropped(const Replica& r, DropReason reason) {
  return r.stats().dropped[static_cast<std::size_t>(reason)];
}

inline Bytes make_tx(std::uint64_t i) {
  Bytes tx{0x01};
  append_u64_be(tx, i);
  return tx;
}

// make_tx(i) padded to `bytes` (at least its 9 bytes).
inline Bytes make_tx_of_size(std::uint64_t i, std::size_t bytes) {
  Bytes tx = make_tx(i);
  tx.resize(std::max(tx.size(), bytes), 0x42);
  return tx;
}

// Transactions of this size fill a default 1 MiB batch with 16 of them (each also within the
// default 64 KiB max_tx_bytes): maximum-size blocks.
constexpr std::size_t kSixteenthOfMaxBatchBytes = 64 * 1024 - 64;

}  // namespace hc::consensus::testing
