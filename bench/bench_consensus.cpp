// bench_consensus: the PBFT engine alone on the real CPU, in one process — n replicas with
// real Ed25519 signing and verification, null (8-byte) transactions, every message delivered
// in FIFO order without a network. Reports committed transactions per second (items/s) and
// the commit latency of a transaction (submit to delivery at f+1 replicas) in a closed loop
// that keeps `window` transactions outstanding.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <unordered_map>

#include "consensus/replica.h"
#include "null_application.h"

namespace {

using namespace hc::consensus;
using Clock = std::chrono::steady_clock;

using hc::bench::NullApplication;

class BenchCluster {
 public:
  BenchCluster(std::uint32_t n, std::uint32_t batch) {
    config_.replica_count = n;
    config_.chain_id = sha256(hc::Bytes{'b'});
    config_.max_batch_txs = batch;
    config_.max_batch_delay_ms = 1;
    config_.checkpoint_interval_blocks = 16;
    config_.window_blocks = 64;
    config_.max_inflight_blocks = 4;
    config_.request_timeout_ms = 1u << 30;
    std::vector<PublicKey> keys;
    for (ReplicaId r = 0; r < n; ++r) {
      hc::SecureBytes seed(32);
      for (std::size_t i = 0; i < 32; ++i) seed.data()[i] = static_cast<std::uint8_t>(r * 7 + i);
      signers_.push_back(std::move(Ed25519Signer::create(seed)).value());
      keys.push_back(signers_.back()->public_key());
    }
    for (ReplicaId r = 0; r < n; ++r) {
      verifiers_.push_back(std::move(Ed25519Verifier::create(keys)).value());
      apps_.push_back(std::make_unique<NullApplication>());
      replicas_.push_back(std::make_unique<Replica>(config_, r, *signers_[r], *verifiers_[r], *apps_[r]));
      handle(r, StateLoaded{});
    }
    queue_.clear();  // start-up catch-up probes: nothing to catch up
  }

  void submit(std::uint64_t id) {
    hc::Bytes tx(8);
    for (int i = 0; i < 8; ++i) tx[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
    tx[0] |= 0x01;  // never the 0xFF "invalid" marker
    submitted_at_[tx_digest(tx)] = Clock::now();
    for (ReplicaId r = 0; r < config_.replica_count; ++r) handle(r, ClientTransaction{tx});
  }

  // Runs until the network is quiet; fires the primary's batch timer when it is waiting.
  void drain() {
    while (true) {
      while (!queue_.empty()) {
        auto [to, wire] = std::move(queue_.front());
        queue_.pop_front();
        handle(to, MessageReceived{std::move(wire)});
      }
      if (!batch_timer_set_) return;
      batch_timer_set_ = false;
      handle(0, TimerFired{TimerKind::kBatch});
    }
  }

  std::uint64_t committed() const { return committed_; }
  std::vector<double>& latencies_ms() { return latencies_ms_; }

 private:
  void handle(ReplicaId r, std::variant<MessageReceived, TimerFired, ClientTransaction, StateLoaded> what) {
    out_.clear();
    replicas_[r]->handle(Event{0, std::move(what)}, out_);
    for (Action& a : out_) {
      if (auto* s = std::get_if<SendTo>(&a)) {
        queue_.emplace_back(s->to, std::move(s->wire));
      } else if (auto* b = std::get_if<Broadcast>(&a)) {
        for (ReplicaId to = 0; to < config_.replica_count; ++to) {
          if (to != r) queue_.emplace_back(to, b->wire);
        }
      } else if (auto* t = std::get_if<SetTimer>(&a)) {
        if (r == 0 && t->kind == TimerKind::kBatch) batch_timer_set_ = true;
      } else if (auto* d = std::get_if<Deliver>(&a)) {
        on_deliver(*d->block);
      }
    }
  }

  void on_deliver(const CommittedBlock& cb) {
    const auto now = Clock::now();
    for (const hc::Bytes& tx : cb.block.txs) {
      const Digest d = tx_digest(tx);
      auto it = deliveries_.find(d);
      const std::uint32_t count = it == deliveries_.end() ? 1 : it->second + 1;
      if (count == config_.weak_quorum()) {
        ++committed_;
        latencies_ms_.push_back(std::chrono::duration<double, std::milli>(now - submitted_at_[d]).count());
      }
      if (count == config_.replica_count) {
        deliveries_.erase(d);
        submitted_at_.erase(d);
      } else {
        deliveries_[d] = count;
      }
    }
  }

  ConsensusConfig config_;
  std::vector<std::unique_ptr<Ed25519Signer>> signers_;
  std::vector<std::unique_ptr<Ed25519Verifier>> verifiers_;
  std::vector<std::unique_ptr<NullApplication>> apps_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::deque<std::pair<ReplicaId, SharedBytes>> queue_;
  std::vector<Action> out_;
  bool batch_timer_set_ = false;
  std::unordered_map<Digest, Clock::time_point, DigestHash> submitted_at_;
  std::unordered_map<Digest, std::uint32_t, DigestHash> deliveries_;
  std::uint64_t committed_ = 0;
  std::vector<double> latencies_ms_;
};

// One iteration: submit `window` transactions and run until they are committed.
void BM_Consensus(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto batch = static_cast<std::uint32_t>(state.range(1));
  const std::uint64_t window = 4ull * batch;
  BenchCluster cluster(n, batch);
  std::uint64_t next = 0;
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < window; ++i) cluster.submit(next++);
    cluster.drain();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(cluster.committed()));
  auto& lat = cluster.latencies_ms();
  std::sort(lat.begin(), lat.end());
  if (!lat.empty()) {
    state.counters["lat_median_ms"] = lat[lat.size() / 2];
    state.counters["lat_p99_ms"] = lat[lat.size() * 99 / 100];
  }
  state.counters["committed"] = static_cast<double>(cluster.committed());
}
BENCHMARK(BM_Consensus)
    ->ArgNames({"n", "batch"})
    ->Args({4, 400})
    ->Args({7, 400})
    ->Args({10, 400})
    ->Args({16, 400})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// The per-operation costs that parameterise the simulator's CPU model (docs/consensus.md).
hc::Bytes vote_input() {
  return signing_input(sha256(hc::Bytes{'b'}), 0, MsgType::kCommit, 1, vote_statement(3, 1234, Digest{}));
}

void BM_Ed25519Sign(benchmark::State& state) {
  hc::SecureBytes seed(32);
  auto signer = std::move(Ed25519Signer::create(seed)).value();
  const hc::Bytes msg = vote_input();
  for (auto _ : state) benchmark::DoNotOptimize(signer->sign(msg));
}
BENCHMARK(BM_Ed25519Sign)->Unit(benchmark::kMicrosecond);

void BM_Ed25519Verify(benchmark::State& state) {
  hc::SecureBytes seed(32);
  auto signer = std::move(Ed25519Signer::create(seed)).value();
  auto verifier = std::move(Ed25519Verifier::create({signer->public_key()})).value();
  const hc::Bytes msg = vote_input();
  const Signature sig = signer->sign(msg);
  for (auto _ : state) benchmark::DoNotOptimize(verifier->verify(0, msg, sig));
}
BENCHMARK(BM_Ed25519Verify)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
