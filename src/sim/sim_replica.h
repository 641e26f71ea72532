// SimReplica: one simulated replica process — the real engine plus what survives a crash
// (its durable record log, its application state and its keys), its timers, its virtual CPU
// and, for a faulty replica, its Byzantine behaviour. Not thread-safe.
#pragma once

#include <array>
#include <memory>

#include "consensus/replica.h"
#include "consensus/testing/test_application.h"
#include "sim/block_verify_application.h"
#include "sim/byzantine.h"
#include "sim/cpu_spent.h"
#include "sim/sim_config.h"

namespace hc::sim {

// The verifier matching the simulated replicas' keys (digest authenticator or Ed25519, per config).
std::unique_ptr<consensus::Verifier> make_verifier(const SimConfig& config);
std::unique_ptr<consensus::Signer> make_signer(const SimConfig& config, consensus::ReplicaId id);
// "PREPARE v3 s17" and the like, for traces.
std::string describe(const Bytes& wire);

class SimReplica {
 public:
  // Byzantine with `strategy` unless it is kNone.
  SimReplica(const SimConfig& config, consensus::ReplicaId id, Strategy strategy);

  // (Re)starts the engine from the durable log.
  void start(std::uint64_t now_us, std::vector<consensus::Action>& out);
  void crash();
  bool crashed() const { return engine_ == nullptr; }

  // Runs one event on the virtual CPU starting at now_us; returns when it finishes.
  std::uint64_t process(const consensus::Event& event, std::uint64_t now_us,
                        std::vector<consensus::Action>& out);
  std::uint64_t busy_until_us() const { return busy_until_us_; }

  std::uint64_t set_timer(consensus::TimerKind kind) { return ++timer_gen_[index(kind)]; }
  void cancel_timer(consensus::TimerKind kind) { ++timer_gen_[index(kind)]; }
  bool timer_current(consensus::TimerKind kind, std::uint64_t gen) const {
    return timer_gen_[index(kind)] == gen;
  }
  void timer_fired(consensus::TimerKind kind) { ++timer_gen_[index(kind)]; }

  void persist(const consensus::Persist& p);
  bool byzantine() const { return behavior_ != nullptr; }
  ByzantineBehavior* behavior() { return behavior_.get(); }
  void observe(const consensus::SharedBytes& wire) {
    if (behavior_) behavior_->observe(wire);
  }
  bool sees_client(std::uint32_t client) const {
    return !behavior_ || behavior_->sees_client(client);
  }
  consensus::ReplicaStats stats() const;
  // The running engine, or nullptr while crashed (for the checkers).
  const consensus::Replica* engine() const { return engine_.get(); }
  // One line: view, height, stable checkpoint, pending, drops (for failure reports).
  std::string summary() const;
  const consensus::TestApplication& app() const { return app_; }
  // Virtual CPU spent so far, over every incarnation (send_us is the simulator's to add).
  const CpuSpent& cpu_spent() const { return cpu_spent_; }

 private:
  static std::size_t index(consensus::TimerKind k) { return static_cast<std::size_t>(k); }

  const SimConfig& config_;
  consensus::ReplicaId id_;
  std::unique_ptr<consensus::Signer> signer_;
  std::unique_ptr<consensus::Verifier> verifier_;
  std::unique_ptr<consensus::Signer> counting_signer_;
  std::unique_ptr<consensus::Verifier> counting_verifier_;
  std::uint64_t signs_ = 0;
  std::uint64_t verifies_ = 0;
  std::uint64_t group_verifies_ = 0;
  double group_batch_us_ = 0;  // this event's block batches (GroupVerifyModel::kPerBlock)
  consensus::TestApplication app_;
  BlockVerifyApplication block_verify_app_;
  CpuSpent cpu_spent_;
  std::vector<Bytes> durable_;
  std::unique_ptr<consensus::Replica> engine_;
  std::unique_ptr<ByzantineBehavior> behavior_;
  std::array<std::uint64_t, consensus::kTimerKinds> timer_gen_{};
  std::uint64_t busy_until_us_ = 0;
  consensus::ReplicaStats past_stats_;  // of earlier incarnations
};

}  // namespace hc::sim
