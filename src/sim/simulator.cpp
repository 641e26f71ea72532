#include "sim/simulator.h"

#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>
#include <variant>

#include "consensus/replica.h"
#include "sim/byzantine.h"
#include "sim/checkers.h"
#include "sim/sim_replica.h"

namespace hc::sim {
namespace {

using consensus::ReplicaId;
using consensus::SharedBytes;

struct NetDeliver {
  ReplicaId to;
  ReplicaId from;
  SharedBytes wire;
};
struct TimerEvent {
  ReplicaId replica;
  consensus::TimerKind kind;
  std::uint64_t generation;
};
struct ClientTick {
  std::uint32_t client;
};
struct ClientRetry {
  consensus::Digest tx;
};
struct ClientArrive {
  ReplicaId replica;
  std::uint32_t client;  // kRelayed: a peer relayed it (a Byzantine strategy)
  SharedBytes tx;
};
constexpr std::uint32_t kRelayed = 0xFFFFFFFF;
struct CrashEvent {
  ReplicaId replica;
  std::uint64_t down_us;
};
struct RestartEvent {
  ReplicaId replica;
};
struct PartitionEvent {
  bool heal;
  std::uint64_t duration_us;
};
struct HealAll {};
struct IsolateEvent {
  bool on;
};
struct CpuFree {
  ReplicaId replica;
};
using Body = std::variant<NetDeliver, TimerEvent, ClientTick, ClientArrive, CrashEvent,
                          RestartEvent, PartitionEvent, HealAll, CpuFree, ClientRetry, IsolateEvent>;

// A valid transaction a client is still waiting for.
struct OutstandingTx {
  SharedBytes tx;
  std::uint32_t client = 0;
  std::uint32_t attempts = 0;  // replicas tried so far
};

struct Queued {
  std::uint64_t time_us;
  std::uint64_t order;
  Body body;
};

// Trace entries are formatted only when a report is produced (formatting every event would
// dominate the run time).
enum class TraceKind : std::uint8_t { kText, kReceive, kTimer, kDeliver };
struct TraceEntry {
  std::uint64_t t = 0;
  TraceKind kind = TraceKind::kText;
  ReplicaId r = 0;
  ReplicaId from = 0;
  SharedBytes wire;
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::string text;
};

std::string format_entry(const TraceEntry& e) {
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%10.3fms ", static_cast<double>(e.t) / 1000.0);
  const std::string r = "r" + std::to_string(e.r);
  switch (e.kind) {
    case TraceKind::kText: return stamp + e.text;
    case TraceKind::kReceive: return stamp + r + " <- r" + std::to_string(e.from) + " " + describe(*e.wire);
    case TraceKind::kTimer:
      return stamp + r + " timer " + consensus::timer_kind_name(static_cast<consensus::TimerKind>(e.a));
    case TraceKind::kDeliver:
      return stamp + r + " delivers height " + std::to_string(e.a) + " (" + std::to_string(e.b) + " txs)";
  }
  return stamp;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h;
}

class Simulation {
 public:
  explicit Simulation(const SimConfig& config);
  RunResult run();

 private:
  void push(std::uint64_t t, Body body) { queue_.emplace(std::make_pair(t, order_++), std::move(body)); }
  void schedule_faults();
  void step(Queued ev);
  void on_replica_event(ReplicaId r, std::uint64_t t, Body body);
  void on_cpu_free(ReplicaId r, std::uint64_t t);
  void process(ReplicaId r, std::uint64_t t, const Body& body);
  void apply_actions(ReplicaId r, std::uint64_t t, std::vector<consensus::Action>& actions);
  void check_resources(ReplicaId r, std::uint64_t t);
  void observe_primary_queue(std::uint64_t t, std::uint64_t engine_pending);
  void send(ReplicaId from, std::vector<OutMessage> msgs, std::uint64_t t);
  void client_tick(std::uint32_t client, std::uint64_t t);
  void client_send(const OutstandingTx& out, std::uint64_t t);
  void client_retry(const consensus::Digest& tx, std::uint64_t t);
  void crash(ReplicaId r, std::uint64_t t, std::uint64_t down_us);
  void partition(std::uint64_t t, std::uint64_t duration_us);
  void heal_all(std::uint64_t t);
  bool linked(ReplicaId a, ReplicaId b) const {
    if (isolated_ && (a == *config_.isolate_replica) != (b == *config_.isolate_replica)) return false;
    return group_[a] == group_[b];
  }
  void trace(std::uint64_t t, std::string what) {
    TraceEntry e;
    e.t = t;
    e.text = std::move(what);
    record(std::move(e));
  }
  void record(TraceEntry e) {
    if (config_.trace_lines == 0) return;
    trace_.push_back(std::move(e));
    if (trace_.size() > config_.trace_lines) trace_.pop_front();
  }

  SimConfig config_;
  std::uint32_t n_;
  Prng rng_;
  Prng fault_rng_;
  // Ordered by (virtual time, insertion order): ties resolve deterministically.
  std::map<std::pair<std::uint64_t, std::uint64_t>, Body> queue_;
  std::uint64_t order_ = 0;
  std::vector<std::unique_ptr<SimReplica>> replicas_;
  std::vector<std::uint32_t> group_;
  std::vector<std::uint64_t> link_free_us_;
  // Events waiting for a busy virtual CPU: replica messages and timers first, client
  // transactions after them (a node admits new work only when the protocol is served).
  std::vector<std::deque<Body>> inbox_;
  std::vector<std::deque<Body>> client_inbox_;
  std::vector<bool> wakeup_pending_;
  double loss_;
  bool isolated_ = false;  // config_.isolate_replica is cut off now
  bool load_on_ = true;
  std::uint64_t tx_counter_ = 0;
  std::unordered_map<consensus::Digest, OutstandingTx, consensus::DigestHash> outstanding_;
  std::unique_ptr<consensus::Verifier> check_verifier_;
  std::unique_ptr<Checkers> checkers_;
  std::vector<std::uint64_t> latencies_us_;
  std::vector<double> send_us_;  // per sender: link time serializing its messages
  // Replica 0's queue (RunResult::primary_queue_*): its length since queue_since_us_.
  std::uint64_t queue_len_ = 0;
  std::uint64_t queue_since_us_ = 0;
  double queue_area_ = 0;  // integral of the length over time, txs x us
  RunResult result_;
  std::deque<TraceEntry> trace_;
};

Simulation::Simulation(const SimConfig& config)
    : config_(config),
      n_(config.consensus.id_space()),
      rng_(config.seed),
      fault_rng_(config.seed ^ 0x5DEECE66Dull),
      group_(n_, 0),
      link_free_us_(n_, 0),
      inbox_(n_),
      client_inbox_(n_),
      wakeup_pending_(n_, false),
      loss_(config.net.loss),
      send_us_(n_, 0) {
  std::vector<bool> correct(n_, true);
  for (ReplicaId r = 0; r < n_; ++r) {
    Strategy strategy = r < config.byzantine ? config.strategy : Strategy::kNone;
    if (r >= config.consensus.replica_count) strategy = config.joiner_strategy;  // a joiner
    replicas_.push_back(std::make_unique<SimReplica>(config_, r, strategy));
    correct[r] = !replicas_.back()->byzantine();
  }
  check_verifier_ = make_verifier(config_);
  checkers_ = std::make_unique<Checkers>(n_, config_.consensus.chain_id, correct, *check_verifier_);
  checkers_->set_changes(config_.consensus, config_.changes);
  checkers_->set_deposition_bound(config_.max_honest_depositions);
  checkers_->set_block_time_bound(config_.max_block_time_ahead_ms);
}

void Simulation::schedule_faults() {
  const std::uint64_t end_us = config_.duration_ms * 1000;
  for (std::uint32_t i = 0; i < config_.crashes; ++i) {
    const std::uint64_t at = end_us / 10 + fault_rng_.below(end_us * 7 / 10 + 1);
    const auto r = static_cast<ReplicaId>(fault_rng_.below(n_));
    push(at, CrashEvent{r, 200'000 + fault_rng_.below(1'300'000)});
  }
  for (std::uint32_t i = 0; i < config_.partitions; ++i) {
    const std::uint64_t at = end_us / 10 + fault_rng_.below(end_us * 7 / 10 + 1);
    push(at, PartitionEvent{false, 300'000 + fault_rng_.below(1'700'000)});
  }
  if (config_.isolate_replica) {
    push(config_.isolate_from_ms * 1000, IsolateEvent{true});
    push((config_.isolate_from_ms + config_.isolate_for_ms) * 1000, IsolateEvent{false});
  }
  push(end_us, HealAll{});
}

RunResult Simulation::run() {
  for (ReplicaId r = 0; r < n_; ++r) {
    std::vector<consensus::Action> actions;
    replicas_[r]->start(0, actions);
    apply_actions(r, 0, actions);
  }
  for (std::uint32_t c = 0; c < config_.clients; ++c) {
    push(static_cast<std::uint64_t>(rng_.exponential(config_.tx_interval_mean_us)), ClientTick{c});
  }
  schedule_faults();
  const std::uint64_t stop_us = (config_.duration_ms + config_.heal_ms) * 1000;
  while (!queue_.empty() && checkers_->ok()) {
    auto first = queue_.begin();
    if (first->first.first > stop_us) break;
    Queued ev{first->first.first, first->first.second, std::move(first->second)};
    queue_.erase(first);
    step(std::move(ev));
  }
  if (checkers_->ok() && config_.check_liveness) checkers_->check_liveness(config_.duration_ms * 1000);
  result_.ok = checkers_->ok();
  if (!result_.ok) result_.violation = checkers_->violation();
  if (!result_.ok) {
    for (const TraceEntry& e : trace_) result_.trace.push_back(format_entry(e));
  }
  for (ReplicaId r = 0; r < n_; ++r) result_.trace.push_back(replicas_[r]->summary());
  result_.submitted_txs = checkers_->submitted();
  result_.committed_txs = checkers_->committed_txs();
  result_.final_height = checkers_->final_height();
  result_.honest_depositions = checkers_->honest_depositions();
  std::sort(latencies_us_.begin(), latencies_us_.end());
  if (!latencies_us_.empty()) {
    result_.latency_median_ms = static_cast<double>(latencies_us_[latencies_us_.size() / 2]) / 1000.0;
    result_.latency_p99_ms = static_cast<double>(latencies_us_[latencies_us_.size() * 99 / 100]) / 1000.0;
  }
  result_.throughput_tx_per_s =
      static_cast<double>(result_.committed_txs) / (static_cast<double>(config_.duration_ms) / 1000.0);
  for (const auto& rep : replicas_) {
    const consensus::Replica* engine = rep->engine();
    result_.replica_config.push_back(engine != nullptr ? engine->configuration().number : 0);
    result_.replica_member.push_back(engine != nullptr && engine->is_member());
    result_.configurations_entered += rep->stats().configurations_entered;
    result_.view_changes += rep->stats().view_changes_started;
    result_.blocks_fetched += rep->stats().blocks_fetched;
    const auto& dropped = rep->stats().dropped;
    for (std::size_t reason = 0; reason < dropped.size(); ++reason) result_.messages_dropped_by_reason[reason] += dropped[reason];
    result_.next_config_messages_kept += rep->stats().next_config_messages_kept;
  }
  for (ReplicaId r = 0; r < n_; ++r) {
    CpuSpent spent = replicas_[r]->cpu_spent();
    spent.send_us = send_us_[r];
    result_.cpu_by_replica.push_back(spent);
    result_.cpu_charged_until_us = std::max(result_.cpu_charged_until_us, replicas_[r]->busy_until_us());
  }
  if (stop_us > 0 && queue_since_us_ <= stop_us) {
    observe_primary_queue(stop_us, replicas_[0]->engine() != nullptr ? replicas_[0]->engine()->pending_txs() : 0);
    result_.primary_queue_mean_txs = queue_area_ / static_cast<double>(stop_us);
  }
  return result_;
}

void Simulation::step(Queued ev) {
  ++result_.events;
  result_.fingerprint = mix(mix(result_.fingerprint, ev.time_us), ev.body.index());
  const std::uint64_t t = ev.time_us;
  if (const auto* d = std::get_if<NetDeliver>(&ev.body)) {
    on_replica_event(d->to, t, ev.body);
  } else if (const auto* tm = std::get_if<TimerEvent>(&ev.body)) {
    on_replica_event(tm->replica, t, ev.body);
  } else if (const auto* a = std::get_if<ClientArrive>(&ev.body)) {
    on_replica_event(a->replica, t, ev.body);
  } else if (const auto* c = std::get_if<ClientTick>(&ev.body)) {
    client_tick(c->client, t);
  } else if (const auto* retry = std::get_if<ClientRetry>(&ev.body)) {
    client_retry(retry->tx, t);
  } else if (const auto* cr = std::get_if<CrashEvent>(&ev.body)) {
    crash(cr->replica, t, cr->down_us);
  } else if (const auto* rs = std::get_if<RestartEvent>(&ev.body)) {
    if (replicas_[rs->replica]->crashed()) {
      trace(t, "restart r" + std::to_string(rs->replica));
      std::vector<consensus::Action> actions;
      replicas_[rs->replica]->start(t, actions);
      apply_actions(rs->replica, t, actions);
    }
  } else if (const auto* p = std::get_if<PartitionEvent>(&ev.body)) {
    if (p->heal) {
      std::fill(group_.begin(), group_.end(), 0);
      trace(t, "partition healed");
    } else {
      partition(t, p->duration_us);
    }
  } else if (std::holds_alternative<HealAll>(ev.body)) {
    heal_all(t);
  } else if (const auto* iso = std::get_if<IsolateEvent>(&ev.body)) {
    isolated_ = iso->on && load_on_;
    trace(t, std::string(isolated_ ? "isolate r" : "reconnect r") + std::to_string(*config_.isolate_replica));
  } else if (const auto* cf = std::get_if<CpuFree>(&ev.body)) {
    on_cpu_free(cf->replica, t);
  }
}

void Simulation::on_replica_event(ReplicaId r, std::uint64_t t, Body body) {
  SimReplica& rep = *replicas_[r];
  if (rep.crashed()) return;
  if (rep.busy_until_us() > t || !inbox_[r].empty() || !client_inbox_[r].empty()) {
    auto& queue = std::holds_alternative<ClientArrive>(body) ? client_inbox_[r] : inbox_[r];
    queue.push_back(std::move(body));
    if (r == 0 && rep.engine() != nullptr) observe_primary_queue(t, rep.engine()->pending_txs());
    if (!wakeup_pending_[r]) {
      push(std::max(t, rep.busy_until_us()), CpuFree{r});
      wakeup_pending_[r] = true;
    }
    return;
  }
  process(r, t, body);
}

void Simulation::on_cpu_free(ReplicaId r, std::uint64_t t) {
  wakeup_pending_[r] = false;
  if (replicas_[r]->crashed()) return;
  auto& queue = inbox_[r].empty() ? client_inbox_[r] : inbox_[r];
  if (queue.empty()) return;
  Body body = std::move(queue.front());
  queue.pop_front();
  process(r, t, body);
  if ((!inbox_[r].empty() || !client_inbox_[r].empty()) && !replicas_[r]->crashed()) {
    push(std::max(t, replicas_[r]->busy_until_us()), CpuFree{r});
    wakeup_pending_[r] = true;
  }
}

void Simulation::process(ReplicaId r, std::uint64_t t, const Body& body) {
  SimReplica& rep = *replicas_[r];
  if (const auto* tm = std::get_if<TimerEvent>(&body)) {
    if (!rep.timer_current(tm->kind, tm->generation)) return;
  }
  consensus::Event event;
  event.now_ms = t / 1000;
  if (const auto* d = std::get_if<NetDeliver>(&body)) {
    event.what = consensus::MessageReceived{d->wire};
    rep.observe(d->wire);
    record(TraceEntry{t, TraceKind::kReceive, r, d->from, d->wire, 0, 0, {}});
  } else if (const auto* tm = std::get_if<TimerEvent>(&body)) {
    event.what = consensus::TimerFired{tm->kind};
    rep.timer_fired(tm->kind);
    record(TraceEntry{t, TraceKind::kTimer, r, 0, nullptr, static_cast<std::uint64_t>(tm->kind), 0, {}});
  } else if (const auto* a = std::get_if<ClientArrive>(&body)) {
    if (rep.behavior() != nullptr && a->client != kRelayed && rep.engine() != nullptr) {
      std::vector<OutMessage> relays;
      rep.behavior()->relay_client_tx(a->tx, static_cast<ReplicaId>(rep.engine()->view() % n_), relays);
      send(r, std::move(relays), t);
    }
    if (!rep.sees_client(a->client)) return;
    event.what = consensus::ClientTransaction{*a->tx};
  }
  std::vector<consensus::Action> actions;
  const std::uint64_t done = rep.process(event, t, actions);
  apply_actions(r, done, actions);
  check_resources(r, t);
}

// What the engine exposes today: its view and its pending-transaction pool. The future-view
// buffer and per-peer budgets need accessors on consensus::Replica (issue 12 item 1).
void Simulation::check_resources(ReplicaId r, std::uint64_t t) {
  const consensus::Replica* engine = replicas_[r]->engine();
  if (engine == nullptr) return;
  checkers_->on_view(r, engine->view(), engine->configuration().number);
  checkers_->on_resource(r, "pending transactions", engine->pending_txs(),
                         config_.consensus.max_pending_txs);
  if (r == 0) observe_primary_queue(t, engine->pending_txs());
}

void Simulation::observe_primary_queue(std::uint64_t t, std::uint64_t engine_pending) {
  queue_area_ += static_cast<double>(queue_len_) * static_cast<double>(t - queue_since_us_);
  queue_since_us_ = t;
  queue_len_ = client_inbox_[0].size() + engine_pending;
  result_.primary_queue_max_txs = std::max(result_.primary_queue_max_txs, queue_len_);
}

void Simulation::apply_actions(ReplicaId r, std::uint64_t t,
                               std::vector<consensus::Action>& actions) {
  SimReplica& rep = *replicas_[r];
  std::vector<OutMessage> outgoing;
  for (consensus::Action& action : actions) {
    if (auto* s = std::get_if<consensus::SendTo>(&action)) {
      outgoing.push_back(OutMessage{s->to, std::move(s->wire), 0});
    } else if (auto* b = std::get_if<consensus::Broadcast>(&action)) {
      for (ReplicaId to = 0; to < n_; ++to) {
        if (to != r) outgoing.push_back(OutMessage{to, b->wire, 0});
      }
    } else if (auto* st = std::get_if<consensus::SetTimer>(&action)) {
      push(t + st->delay_ms * 1000, TimerEvent{r, st->kind, rep.set_timer(st->kind)});
    } else if (auto* ct = std::get_if<consensus::CancelTimer>(&action)) {
      rep.cancel_timer(ct->kind);
    } else if (auto* p = std::get_if<consensus::Persist>(&action)) {
      // Persist-before-send holds: the records are stored before any message leaves.
      rep.persist(*p);
    } else if (auto* d = std::get_if<consensus::Deliver>(&action)) {
      result_.fingerprint = mix(result_.fingerprint, d->block->block.height * 1315423911ull + r);
      checkers_->on_deliver(r, *d->block, t, latencies_us_);
      record(TraceEntry{t, TraceKind::kDeliver, r, 0, nullptr, d->block->block.height,
                        d->block->block.txs.size(), {}});
    }
  }
  if (!outgoing.empty()) {
    if (rep.behavior() != nullptr) {
      rep.behavior()->tick(t);
      rep.behavior()->mutate(outgoing, rng_);
    }
    send(r, std::move(outgoing), t);
  }
}

void Simulation::send(ReplicaId from, std::vector<OutMessage> msgs, std::uint64_t t) {
  const NetworkConfig& net = config_.net;
  for (OutMessage& m : msgs) {
    if (m.to >= n_ || m.to == from) continue;
    ++result_.messages_sent;
    // The sender's link serializes its messages (this is what makes broadcasts cost n).
    const auto tx_us = static_cast<std::uint64_t>(static_cast<double>(m.wire->size()) /
                                                  net.bandwidth_bytes_per_us);
    link_free_us_[from] = std::max(link_free_us_[from], t) + tx_us;
    send_us_[from] += static_cast<double>(tx_us);
    if (!linked(from, m.to) || rng_.chance(loss_)) continue;
    const int copies = rng_.chance(load_on_ ? net.duplicate : 0) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      const std::uint64_t latency =
          net.base_latency_us + static_cast<std::uint64_t>(rng_.exponential(net.jitter_mean_us));
      const std::uint64_t at = link_free_us_[from] + latency + m.extra_delay_us;
      if (m.client_tx) {
        push(at, ClientArrive{m.to, kRelayed, m.wire});
      } else {
        push(at, NetDeliver{m.to, from, m.wire});
      }
    }
  }
}

void Simulation::client_tick(std::uint32_t client, std::uint64_t t) {
  if (!load_on_) return;
  Bytes tx;
  const bool valid = !rng_.chance(config_.invalid_tx_fraction);
  tx.push_back(valid ? 0x01 : 0xFF);
  append_u32_be(tx, client);
  append_u64_be(tx, tx_counter_++);
  tx.resize(std::max<std::size_t>(tx.size(), config_.tx_bytes), 0xAB);
  const consensus::Digest digest = consensus::tx_digest(tx);
  checkers_->on_submit(digest, valid, t);
  OutstandingTx out{std::make_shared<const Bytes>(std::move(tx)), client, 0};
  client_send(out, t);
  // Only a valid transaction is waited for; an invalid one is rejected by its hospital.
  if (valid) {
    ++out.attempts;
    outstanding_.emplace(digest, std::move(out));
    push(t + config_.client_retry_ms * 1000, ClientRetry{digest});
  }
  push(t + 1 + static_cast<std::uint64_t>(rng_.exponential(config_.tx_interval_mean_us)),
       ClientTick{client});
}

// The client's next replica: its hospital first, then round the cluster. Client links are
// not subject to the replicas' network faults (the client would reconnect).
void Simulation::client_send(const OutstandingTx& out, std::uint64_t t) {
  const bool multicast = config_.projection_multicast;
  const auto first = multicast ? ReplicaId{0} : static_cast<ReplicaId>((out.client + out.attempts) % n_);
  const std::uint32_t reach = multicast ? n_ : 1;
  for (std::uint32_t i = 0; i < reach; ++i) {
    const std::uint64_t latency = config_.net.base_latency_us +
                                  static_cast<std::uint64_t>(rng_.exponential(config_.net.jitter_mean_us));
    push(t + latency, ClientArrive{static_cast<ReplicaId>((first + i) % n_), out.client, out.tx});
  }
}

void Simulation::client_retry(const consensus::Digest& tx, std::uint64_t t) {
  auto it = outstanding_.find(tx);
  if (it == outstanding_.end()) return;
  if (checkers_->committed_by_weak_quorum(tx)) {
    outstanding_.erase(it);
    return;
  }
  client_send(it->second, t);
  ++it->second.attempts;
  push(t + config_.client_retry_ms * 1000, ClientRetry{tx});
}

void Simulation::crash(ReplicaId r, std::uint64_t t, std::uint64_t down_us) {
  std::uint32_t faulty = 0;
  for (const auto& rep : replicas_) faulty += (rep->byzantine() || rep->crashed()) ? 1 : 0;
  // Keep at most f faulty at once (Byzantine + crashed), and never crash a Byzantine one.
  if (replicas_[r]->crashed() || replicas_[r]->byzantine() || faulty >= config_.consensus.f()) return;
  trace(t, "crash r" + std::to_string(r));
  replicas_[r]->crash();
  inbox_[r].clear();
  client_inbox_[r].clear();
  push(t + down_us, RestartEvent{r});
}

void Simulation::partition(std::uint64_t t, std::uint64_t duration_us) {
  std::vector<ReplicaId> order(n_);
  for (ReplicaId r = 0; r < n_; ++r) order[r] = r;
  for (std::size_t i = n_ - 1; i > 0; --i) std::swap(order[i], order[fault_rng_.below(i + 1)]);
  const std::size_t cut = 1 + fault_rng_.below(n_ - 1);
  std::string side;
  for (std::size_t i = 0; i < n_; ++i) {
    group_[order[i]] = i < cut ? 1 : 2;
    if (i < cut) side += " r" + std::to_string(order[i]);
  }
  trace(t, "partition {" + side + " } from the rest");
  push(t + duration_us, PartitionEvent{true, 0});
}

void Simulation::heal_all(std::uint64_t t) {
  trace(t, "faults stop: network healed, crashed replicas restart, load stops");
  load_on_ = false;
  loss_ = 0;
  isolated_ = false;
  std::fill(group_.begin(), group_.end(), 0);
  for (ReplicaId r = 0; r < n_; ++r) {
    if (replicas_[r]->crashed()) push(t, RestartEvent{r});
  }
}

}  // namespace

RunResult run_simulation(const SimConfig& config) {
  Simulation sim(config);
  return sim.run();
}

}  // namespace hc::sim
