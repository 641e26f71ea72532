#include "sim/sim_replica.h"

#include "consensus/wire_reader.h"
#include "sim/digest_authenticator.h"

namespace hc::sim {
namespace {

using consensus::ReplicaId;

class CountingSigner final : public consensus::Signer {
 public:
  CountingSigner(consensus::Signer& inner, std::uint64_t& count) : inner_(inner), count_(count) {}
  consensus::Signature sign(ByteSpan msg) override {
    ++count_;
    return inner_.sign(msg);
  }

 private:
  consensus::Signer& inner_;
  std::uint64_t& count_;
};

class CountingVerifier final : public consensus::Verifier {
 public:
  CountingVerifier(consensus::Verifier& inner, std::uint64_t& count) : inner_(inner), count_(count) {}
  bool verify(ReplicaId signer, ByteSpan msg, const consensus::Signature& sig) override {
    ++count_;
    return inner_.verify(signer, msg, sig);
  }

 private:
  consensus::Verifier& inner_;
  std::uint64_t& count_;
};

SecureBytes key_seed(std::uint64_t seed, ReplicaId id) {
  Bytes buf{'h', 'c', '-', 's', 'i', 'm', '-', 'k', 'e', 'y'};
  append_u64_be(buf, seed);
  append_u32_be(buf, id);
  const consensus::Digest d = consensus::sha256(buf);
  return SecureBytes(d.data(), d.size());
}

void add_stats(consensus::ReplicaStats& into, const consensus::ReplicaStats& s) {
  for (std::size_t i = 0; i < into.dropped.size(); ++i) into.dropped[i] += s.dropped[i];
  into.messages_accepted += s.messages_accepted;
  into.client_txs_rejected += s.client_txs_rejected;
  into.view_changes_started += s.view_changes_started;
  into.blocks_fetched += s.blocks_fetched;
  into.blocks_executed += s.blocks_executed;
  into.configurations_entered += s.configurations_entered;
  into.next_config_messages_kept += s.next_config_messages_kept;
}

}  // namespace

std::unique_ptr<consensus::Signer> make_signer(const SimConfig& config, ReplicaId id) {
  if (!config.real_crypto) return std::make_unique<DigestSigner>(id);
  auto signer = consensus::Ed25519Signer::create(key_seed(config.seed, id));
  HC_CHECK(signer.ok());
  return std::move(signer).value();
}

std::unique_ptr<consensus::Verifier> make_verifier(const SimConfig& config) {
  const std::uint32_t n = config.consensus.id_space();  // every replica that may ever join
  if (!config.real_crypto) return std::make_unique<DigestVerifier>(n);
  std::vector<consensus::PublicKey> keys;
  for (ReplicaId r = 0; r < n; ++r) {
    auto signer = consensus::Ed25519Signer::create(key_seed(config.seed, r));
    HC_CHECK(signer.ok());
    keys.push_back(signer.value()->public_key());
  }
  auto verifier = consensus::Ed25519Verifier::create(keys);
  HC_CHECK(verifier.ok());
  return std::move(verifier).value();
}

std::string describe(const Bytes& wire) {
  if (wire.size() < 18) return "junk";
  const auto type = static_cast<consensus::MsgType>(wire[1]);
  if (wire[1] < 1 || wire[1] > consensus::kLastMsgType) return "junk";
  consensus::WireReader header(ByteSpan(wire).subspan(2, 8));
  std::string out = std::string(consensus::msg_type_name(type)) + " c" + std::to_string(header.u64());
  consensus::WireReader r(ByteSpan(wire).subspan(18));
  switch (type) {
    case consensus::MsgType::kPrePrepare:
    case consensus::MsgType::kPrepare:
    case consensus::MsgType::kCommit:
    case consensus::MsgType::kBlockRequest: {
      const auto v = r.u64();
      const auto s = r.u64();
      out += " v" + std::to_string(v) + " s" + std::to_string(s);
      break;
    }
    case consensus::MsgType::kCheckpoint:
    case consensus::MsgType::kFetch: out += " s" + std::to_string(r.u64()); break;
    case consensus::MsgType::kBlockReply: out += " h" + std::to_string(r.u64()); break;
    case consensus::MsgType::kViewChange:
    case consensus::MsgType::kNewView: out += " v" + std::to_string(r.u64()); break;
    case consensus::MsgType::kBlocks:
    case consensus::MsgType::kForward: out += " n=" + std::to_string(r.u32()); break;
  }
  return out;
}

SimReplica::SimReplica(const SimConfig& config, ReplicaId id, Strategy strategy)
    : config_(config),
      id_(id),
      signer_(make_signer(config, id)),
      verifier_(make_verifier(config)),
      counting_signer_(std::make_unique<CountingSigner>(*signer_, signs_)),
      counting_verifier_(std::make_unique<CountingVerifier>(*verifier_, verifies_)),
      app_([this] { ++group_verifies_; }),
      block_verify_app_(app_, [this](std::size_t k) { group_batch_us_ += config_.cpu.group_batch.batch_us(k); }) {
  behavior_ = make_behavior(strategy, id, *signer_, config.consensus);
  if (strategy == Strategy::kStallAtBoundary) {
    // From the last checkpoint interval before the first change's boundary (never, without one).
    const consensus::ConsensusConfig& k = config.consensus;
    consensus::SeqNumber from = ~consensus::SeqNumber{0};
    if (!config.changes.empty()) {
      from = consensus::change_boundary(config.changes.front().height, k.checkpoint_interval_blocks,
                                        k.window_blocks) - k.checkpoint_interval_blocks + 1;
    }
    behavior_ = make_stall_behavior(from);
  }
  for (const consensus::AcceptedChange& change : config.changes) app_.schedule_change(change);
}

void SimReplica::start(std::uint64_t now_us, std::vector<consensus::Action>& out) {
  consensus::Application& app = config_.cpu.group_model == GroupVerifyModel::kPerBlock
                                    ? static_cast<consensus::Application&>(block_verify_app_)
                                    : static_cast<consensus::Application&>(app_);
  engine_ = std::make_unique<consensus::Replica>(config_.consensus, id_, *counting_signer_,
                                                 *counting_verifier_, app);
  consensus::Event event;
  event.now_ms = now_us / 1000;
  event.what = consensus::StateLoaded{durable_};
  busy_until_us_ = now_us;
  engine_->handle(event, out);
}

void SimReplica::crash() {
  if (engine_) add_stats(past_stats_, engine_->stats());
  engine_.reset();
  for (auto& g : timer_gen_) ++g;
  busy_until_us_ = 0;
}

std::uint64_t SimReplica::process(const consensus::Event& event, std::uint64_t now_us,
                                  std::vector<consensus::Action>& out) {
  signs_ = verifies_ = group_verifies_ = 0;
  group_batch_us_ = 0;
  engine_->handle(event, out);
  CpuSpent spent;
  spent.sign_us = static_cast<double>(signs_) * config_.cpu.sign_us;
  spent.verify_us = static_cast<double>(verifies_) * config_.cpu.verify_us;
  // Per transaction: each first check_tx; per block: the batches BlockVerifyApplication reported.
  spent.group_verify_us = config_.cpu.group_model == GroupVerifyModel::kPerBlock
                              ? group_batch_us_
                              : static_cast<double>(group_verifies_) * config_.cpu.group_verify_us;
  double bytes_us = 0;
  if (const auto* m = std::get_if<consensus::MessageReceived>(&event.what)) {
    bytes_us = static_cast<double>(m->wire->size()) * config_.cpu.per_byte_ns / 1000.0;
  }
  spent.other_us = config_.cpu.per_event_us + bytes_us;
  // Summed in this order so that runs of the per-transaction model keep their exact times.
  double cost_us = config_.cpu.per_event_us + spent.sign_us + spent.verify_us + spent.group_verify_us;
  cost_us += bytes_us;
  cpu_spent_ += spent;
  busy_until_us_ = now_us + static_cast<std::uint64_t>(cost_us);
  return busy_until_us_;
}

void SimReplica::persist(const consensus::Persist& p) {
  if (p.snapshot) durable_.clear();
  durable_.push_back(p.record);
}

consensus::ReplicaStats SimReplica::stats() const {
  consensus::ReplicaStats s = past_stats_;
  if (engine_) add_stats(s, engine_->stats());
  return s;
}

}  // namespace hc::sim

namespace hc::sim {

std::string SimReplica::summary() const {
  std::string out = "end state r" + std::to_string(id_) + (byzantine() ? " (byzantine)" : "") + ": ";
  if (!engine_) return out + "crashed";
  out += "config " + std::to_string(engine_->configuration().number) +
         (engine_->is_member() ? "" : " (learner)") + " view " + std::to_string(engine_->view()) + (engine_->in_view_change() ? " (changing)" : "") +
         " executed " + std::to_string(engine_->last_executed()) + " stable " +
         std::to_string(engine_->stable_seq()) + " pending " + std::to_string(engine_->pending_txs()) +
         " drops:";
  const consensus::ReplicaStats s = stats();
  for (std::size_t i = 0; i < s.dropped.size(); ++i) {
    if (s.dropped[i] > 0) {
      out += std::string(" ") + consensus::drop_reason_name(static_cast<consensus::DropReason>(i)) +
             "=" + std::to_string(s.dropped[i]);
    }
  }
  return out;
}

}  // namespace hc::sim
