// bench_consensus_threads: the PBFT engine measured the way the anchors run libhotstuff
// (../shared/anchors/run_hs.sh: n replica processes and one client on the machine's cores):
// every replica on its own thread with its own inbox, real Ed25519 on every message, blocks of
// up to 400 transactions, one client thread keeping 2,000 transactions outstanding, each sent
// to every replica and counted committed once f+1 replicas delivered it. Messages travel as
// encoded bytes between the threads (no sockets: see docs/consensus.md, "Measuring fairly",
// for what still differs from run_hs.sh). With pool:P > 0, P threads verify each incoming
// message's envelope signature before it reaches its replica (consensus/preverified.h), so
// the replica's thread answers that check from the pre-verified entry.
//
// One iteration per run: a 2 s warm-up, then an 8 s window; items/s is committed
// transactions per second of the window (wall), lat_* the submit-to-(f+1)-delivery latency of
// the transactions committed in it, cpu_us_per_tx the process's CPU time per committed
// transaction (all threads; the figure that holds under load), engine_cpu_share the part
// spent on the replicas' threads, verifies_per_block the Ed25519 checks per committed block
// per replica (in the engine or the pool).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "consensus/preverified.h"
#include "consensus/replica.h"
#include "null_application.h"

namespace {

using namespace hc::consensus;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kBlockTxs = 400;       // the anchors' block size
constexpr std::uint64_t kInflight = 2000;      // the anchors' client window (--max-async 2000)
constexpr auto kWarmup = std::chrono::seconds(2);
constexpr auto kWindow = std::chrono::seconds(8);

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

using hc::bench::NullApplication;

// Counts the Ed25519 checks actually performed (wherever they run).
class CountingVerifier final : public Verifier {
 public:
  CountingVerifier(std::unique_ptr<Ed25519Verifier> inner, std::atomic<std::uint64_t>& count)
      : inner_(std::move(inner)), count_(count) {}
  bool verify(ReplicaId signer, hc::ByteSpan msg, const Signature& sig) override {
    count_.fetch_add(1, std::memory_order_relaxed);
    return inner_->verify(signer, msg, sig);
  }

 private:
  std::unique_ptr<Ed25519Verifier> inner_;
  std::atomic<std::uint64_t>& count_;
};

// A peer's message (with the pool's entry, if any) or a client's transaction.
struct Inbound {
  SharedBytes wire;
  std::optional<PreverifiedSignature> preverified;
  hc::Bytes tx;
};

class Inbox {
 public:
  void push(Inbound item) {
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(item));
    }
    cv_.notify_one();
  }
  // A client's transactions in one go (as a socket delivers what was sent since the last read).
  void push_txs(const std::vector<hc::Bytes>& txs) {
    {
      std::lock_guard lock(mu_);
      for (const hc::Bytes& tx : txs) items_.push_back(Inbound{nullptr, std::nullopt, tx});
    }
    cv_.notify_one();
  }
  // Moves everything queued into `out`, waiting until there is something, `deadline`, or stop.
  void take(std::deque<Inbound>& out, Clock::time_point deadline, const std::atomic<bool>& stop) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return !items_.empty() || stop.load(); });
    out.swap(items_);
  }
  void wake() { cv_.notify_all(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Inbound> items_;
};

// Transactions in flight, from the client's submission to their (f+1)-th delivery.
class CommitTracker {
 public:
  CommitTracker(std::uint32_t weak_quorum, std::uint32_t n) : weak_quorum_(weak_quorum), n_(n) {}

  void submitted(std::uint64_t id, Clock::time_point at) {
    std::lock_guard lock(mu_);
    entries_[id] = Entry{at, 0};
    ++outstanding_;
  }
  void delivered(const Block& block) {
    const auto now = Clock::now();
    std::lock_guard lock(mu_);
    for (const hc::Bytes& tx : block.txs) {
      auto it = entries_.find(id_of(tx));
      if (it == entries_.end()) continue;
      const std::uint32_t count = ++it->second.deliveries;
      if (count == weak_quorum_) {
        --outstanding_;
        ++committed_;
        if (timing_) {
          ++window_committed_;
          latencies_ms_.push_back(std::chrono::duration<double, std::milli>(now - it->second.submitted).count());
        }
      }
      if (count == n_) entries_.erase(it);
    }
    room_.notify_all();
  }
  // Blocks until fewer than `window` transactions are outstanding (or stop).
  void wait_for_room(std::uint64_t window, const std::atomic<bool>& stop) {
    std::unique_lock lock(mu_);
    room_.wait_for(lock, std::chrono::milliseconds(50), [&] { return outstanding_ < window || stop.load(); });
  }
  std::uint64_t outstanding() {
    std::lock_guard lock(mu_);
    return outstanding_;
  }
  void set_timing(bool on) {
    std::lock_guard lock(mu_);
    timing_ = on;
  }
  std::uint64_t window_committed() {
    std::lock_guard lock(mu_);
    return window_committed_;
  }
  std::vector<double> take_latencies() {
    std::lock_guard lock(mu_);
    return std::move(latencies_ms_);
  }
  void wake() { room_.notify_all(); }

  static std::uint64_t id_of(const hc::Bytes& tx) {
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < 8 && i < tx.size(); ++i) id = (id << 8) | tx[i];
    return id;
  }

 private:
  struct Entry {
    Clock::time_point submitted;
    std::uint32_t deliveries = 0;
  };
  const std::uint32_t weak_quorum_;
  const std::uint32_t n_;
  std::mutex mu_;
  std::condition_variable room_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::uint64_t outstanding_ = 0;
  std::uint64_t committed_ = 0;
  std::uint64_t window_committed_ = 0;
  bool timing_ = false;
  std::vector<double> latencies_ms_;
};

// The same settings as bench_consensus (and blocks of the anchors' size); timeouts that never
// fire in a run (no replica is faulty).
ConsensusConfig bench_config(std::uint32_t n) {
  ConsensusConfig config;
  config.replica_count = n;
  config.chain_id = sha256(hc::Bytes{'b'});
  config.max_batch_txs = kBlockTxs;
  config.max_batch_delay_ms = 1;
  config.checkpoint_interval_blocks = 16;
  config.window_blocks = 64;
  config.max_inflight_blocks = 4;
  config.request_timeout_ms = 1u << 30;
  config.view_change_timeout_ms = 1u << 30;
  return config;
}

class ThreadedCluster {
 public:
  ThreadedCluster(std::uint32_t n, std::uint32_t pool_threads)
      : n_(n),
        config_(bench_config(n)),
        limits_(decode_limits(config_)),
        inboxes_(n),
        tracker_(config_.weak_quorum(), n),
        pool_threads_(pool_threads) {
    for (ReplicaId r = 0; r < n; ++r) {
      hc::SecureBytes seed(32);
      for (std::size_t i = 0; i < 32; ++i) seed.data()[i] = static_cast<std::uint8_t>(r * 7 + i);
      signers_.push_back(std::move(Ed25519Signer::create(seed)).value());
      keys_.push_back(signers_.back()->public_key());
    }
    for (ReplicaId r = 0; r < n; ++r) {
      verifiers_.push_back(std::make_unique<CountingVerifier>(std::move(Ed25519Verifier::create(keys_)).value(), verifies_));
      front_verifiers_.push_back(std::make_unique<PreverifiedVerifier>(*verifiers_.back()));
      apps_.push_back(std::make_unique<NullApplication>());
      replicas_.push_back(std::make_unique<Replica>(config_, r, *signers_[r], *front_verifiers_[r], *apps_[r]));
      std::vector<Action> ignored;  // start-up catch-up probes: nothing to catch up
      replicas_.back()->handle(Event{0, StateLoaded{}}, ignored);
    }
    engine_cpu_s_.assign(n, 0.0);
  }
  ~ThreadedCluster() { stop(); }

  void start() {
    start_ = Clock::now();
    for (std::uint32_t i = 0; i < pool_threads_; ++i) threads_.emplace_back([this] { run_pool(); });
    for (ReplicaId r = 0; r < n_; ++r) threads_.emplace_back([this, r] { run_replica(r); });
    threads_.emplace_back([this] { run_client(); });
  }
  void stop() {
    if (stop_.exchange(true)) return;
    for (Inbox& inbox : inboxes_) inbox.wake();
    pool_cv_.notify_all();
    tracker_.wake();
    for (std::thread& t : threads_) t.join();
  }

  CommitTracker& tracker() { return tracker_; }
  std::uint64_t verifies() const { return verifies_.load(); }
  std::uint64_t blocks_at_replica0() const { return blocks0_.load(); }
  std::uint64_t txs_at_replica0() const { return txs0_.load(); }
  double engine_cpu_seconds() {
    std::lock_guard lock(cpu_mu_);
    double total = 0;
    for (double s : engine_cpu_s_) total += s;
    return total;
  }

 private:
  std::uint64_t now_ms() const {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count());
  }

  void route(ReplicaId to, SharedBytes wire) {
    if (pool_threads_ == 0) {
      inboxes_[to].push(Inbound{std::move(wire), std::nullopt, {}});
      return;
    }
    {
      std::lock_guard lock(pool_mu_);
      pool_queue_.emplace_back(to, std::move(wire));
    }
    pool_cv_.notify_one();
  }

  // A COMMIT for a height its replica has already executed is dropped by the engine before any
  // check (quorum_reached): the pool does not check it either. Read from the envelope (messages.h):
  // version, type, config:8, sender:4, body_len:4, then the vote's view:8 and seq:8.
  bool executed_commit(ReplicaId to, const hc::Bytes& wire) const {
    constexpr std::size_t kSeqAt = 1 + 1 + 8 + 4 + 4 + 8;
    if (wire.size() < kSeqAt + 8 || wire[1] != static_cast<std::uint8_t>(MsgType::kCommit)) return false;
    SeqNumber seq = 0;
    for (std::size_t i = 0; i < 8; ++i) seq = (seq << 8) | wire[kSeqAt + i];
    return seq <= executed_[to].load(std::memory_order_relaxed);
  }

  void run_pool() {
    CountingVerifier verifier(std::move(Ed25519Verifier::create(keys_)).value(), verifies_);
    std::unique_lock lock(pool_mu_);
    while (!stop_) {
      pool_cv_.wait(lock, [&] { return !pool_queue_.empty() || stop_.load(); });
      while (!pool_queue_.empty()) {
        auto [to, wire] = std::move(pool_queue_.front());
        pool_queue_.pop_front();
        lock.unlock();
        std::optional<PreverifiedSignature> entry;
        if (!executed_commit(to, *wire)) entry = preverify_envelope(*wire, limits_, config_.chain_id, verifier);
        inboxes_[to].push(Inbound{std::move(wire), std::move(entry), {}});
        lock.lock();
      }
    }
  }

  void run_replica(ReplicaId r) {
    Replica& replica = *replicas_[r];
    std::array<std::optional<Clock::time_point>, kTimerKinds> timers{};
    std::vector<Action> out;
    std::deque<Inbound> batch;
    const auto run = [&](auto what) {
      out.clear();
      replica.handle(Event{now_ms(), std::move(what)}, out);
      for (Action& a : out) {
        if (auto* s = std::get_if<SendTo>(&a)) {
          route(s->to, std::move(s->wire));
        } else if (auto* b = std::get_if<Broadcast>(&a)) {
          for (ReplicaId to = 0; to < n_; ++to) {
            if (to != r) route(to, b->wire);
          }
        } else if (auto* t = std::get_if<SetTimer>(&a)) {
          timers[static_cast<std::size_t>(t->kind)] = Clock::now() + std::chrono::milliseconds(t->delay_ms);
        } else if (auto* c = std::get_if<CancelTimer>(&a)) {
          timers[static_cast<std::size_t>(c->kind)].reset();
        } else if (auto* d = std::get_if<Deliver>(&a)) {
          tracker_.delivered(d->block->block);
          if (r == 0) {
            blocks0_.fetch_add(1, std::memory_order_relaxed);
            txs0_.fetch_add(d->block->block.txs.size(), std::memory_order_relaxed);
          }
        }
      }
    };
    while (!stop_) {
      Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(100);
      for (const auto& t : timers) {
        if (t) deadline = std::min(deadline, *t);
      }
      inboxes_[r].take(batch, deadline, stop_);
      const auto now = Clock::now();
      for (std::size_t k = 0; k < kTimerKinds; ++k) {
        if (timers[k] && *timers[k] <= now) {
          timers[k].reset();
          run(TimerFired{static_cast<TimerKind>(k)});
        }
      }
      for (Inbound& item : batch) {
        if (item.wire != nullptr) {
          front_verifiers_[r]->arm(std::move(item.preverified));
          run(MessageReceived{std::move(item.wire)});
        } else {
          run(ClientTransaction{std::move(item.tx)});
        }
      }
      batch.clear();
      executed_[r].store(replica.last_executed(), std::memory_order_relaxed);
      std::lock_guard lock(cpu_mu_);
      engine_cpu_s_[r] = thread_cpu_seconds();
    }
  }

  void run_client() {
    std::uint64_t next = 0;
    while (!stop_) {
      tracker_.wait_for_room(kInflight, stop_);
      const std::uint64_t outstanding = tracker_.outstanding();
      if (stop_ || outstanding >= kInflight) continue;
      std::vector<hc::Bytes> txs;
      const auto now = Clock::now();
      for (std::uint64_t k = outstanding; k < kInflight; ++k) {
        const std::uint64_t id = (next++) | (1ull << 62);  // never the 0xFF "invalid" marker
        hc::Bytes tx(8);
        for (int i = 0; i < 8; ++i) tx[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
        tracker_.submitted(id, now);
        txs.push_back(std::move(tx));
      }
      for (ReplicaId r = 0; r < n_; ++r) inboxes_[r].push_txs(txs);
    }
  }

  const std::uint32_t n_;
  ConsensusConfig config_;
  DecodeLimits limits_;
  std::vector<PublicKey> keys_;
  std::vector<std::unique_ptr<Ed25519Signer>> signers_;
  std::vector<std::unique_ptr<CountingVerifier>> verifiers_;
  std::vector<std::unique_ptr<PreverifiedVerifier>> front_verifiers_;
  std::vector<std::unique_ptr<NullApplication>> apps_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::vector<Inbox> inboxes_;
  std::vector<std::atomic<SeqNumber>> executed_ = std::vector<std::atomic<SeqNumber>>(n_);  // per replica, for the pool
  CommitTracker tracker_;
  const std::uint32_t pool_threads_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::deque<std::pair<ReplicaId, SharedBytes>> pool_queue_;
  std::atomic<std::uint64_t> verifies_{0};
  std::atomic<std::uint64_t> blocks0_{0};
  std::atomic<std::uint64_t> txs0_{0};
  std::mutex cpu_mu_;
  std::vector<double> engine_cpu_s_;
  std::atomic<bool> stop_{false};
  Clock::time_point start_;
  std::vector<std::thread> threads_;
};

void BM_ConsensusThreads(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const auto pool = static_cast<std::uint32_t>(state.range(1));
  for (auto _ : state) {
    ThreadedCluster cluster(n, pool);
    cluster.start();
    std::this_thread::sleep_for(kWarmup);
    const double cpu0 = process_cpu_seconds();
    const double engine0 = cluster.engine_cpu_seconds();
    const std::uint64_t verifies0 = cluster.verifies();
    const std::uint64_t blocks0 = cluster.blocks_at_replica0();
    const std::uint64_t txs0 = cluster.txs_at_replica0();
    cluster.tracker().set_timing(true);
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(kWindow);
    cluster.tracker().set_timing(false);
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpu = process_cpu_seconds() - cpu0;
    const double engine = cluster.engine_cpu_seconds() - engine0;
    const std::uint64_t verifies = cluster.verifies() - verifies0;
    const std::uint64_t blocks = cluster.blocks_at_replica0() - blocks0;
    const std::uint64_t block_txs = cluster.txs_at_replica0() - txs0;
    const std::uint64_t committed = cluster.tracker().window_committed();
    std::vector<double> lat = cluster.tracker().take_latencies();
    cluster.stop();
    state.SetIterationTime(wall);
    state.SetItemsProcessed(static_cast<std::int64_t>(committed));
    std::sort(lat.begin(), lat.end());
    if (!lat.empty()) {
      state.counters["lat_median_ms"] = lat[lat.size() / 2];
      state.counters["lat_p99_ms"] = lat[lat.size() * 99 / 100];
    }
    state.counters["committed"] = static_cast<double>(committed);
    if (committed > 0) {
      state.counters["cpu_us_per_tx"] = cpu * 1e6 / static_cast<double>(committed);
      state.counters["engine_cpu_share"] = cpu > 0 ? engine / cpu : 0;
    }
    if (blocks > 0) {
      state.counters["verifies_per_block"] = static_cast<double>(verifies) / static_cast<double>(blocks) / n;
      state.counters["txs_per_block"] = static_cast<double>(block_txs) / static_cast<double>(blocks);
    }
  }
}
BENCHMARK(BM_ConsensusThreads)
    ->ArgNames({"n", "pool"})
    ->Args({4, 0})
    ->Args({7, 0})
    ->Args({10, 0})
    ->Args({16, 0})
    ->Args({4, 2})
    ->Args({7, 2})
    ->Args({10, 2})
    ->Args({16, 2})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
