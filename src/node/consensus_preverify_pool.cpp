#include "node/consensus_preverify_pool.h"

#include "node/member_keys.h"

namespace hc::node {

bool is_commit_at_or_below(const Bytes& wire, consensus::SeqNumber executed) {
  // version:u8 | type:u8 | config:u64 | sender:u32 | body_len:u32, then the vote's view:u64
  // and seq:u64 (docs/consensus.md section 3).
  constexpr std::size_t kTypeAt = 1;
  constexpr std::size_t kSeqAt = 1 + 1 + 8 + 4 + 4 + 8;
  if (wire.size() < kSeqAt + 8 || wire[kTypeAt] != static_cast<std::uint8_t>(consensus::MsgType::kCommit)) {
    return false;
  }
  consensus::SeqNumber seq = 0;
  for (std::size_t i = 0; i < 8; ++i) seq = (seq << 8) | wire[kSeqAt + i];
  return seq <= executed;
}

Result<std::unique_ptr<ConsensusPreverifyPool>> ConsensusPreverifyPool::start(
    const consensus::ChainId& chain, const consensus::DecodeLimits& limits,
    const std::vector<consensus::PublicKey>& keys, Limits bounds, Deliver deliver) {
  HC_ASSIGN_OR_RETURN(auto verifier, consensus::Ed25519Verifier::create(keys));
  return std::unique_ptr<ConsensusPreverifyPool>(
      new ConsensusPreverifyPool(chain, limits, std::move(verifier), bounds, std::move(deliver)));
}

ConsensusPreverifyPool::ConsensusPreverifyPool(const consensus::ChainId& chain, const consensus::DecodeLimits& limits,
                                               std::unique_ptr<consensus::Ed25519Verifier> verifier, Limits bounds,
                                               Deliver deliver)
    : chain_(chain),
      limits_(limits),
      bounds_(bounds),
      deliver_(std::move(deliver)),
      verifier_(std::move(verifier)),
      worker_([this] { run(); }) {}

ConsensusPreverifyPool::~ConsensusPreverifyPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

bool ConsensusPreverifyPool::submit(consensus::SharedBytes wire) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= bounds_.max_messages || queued_bytes_ + wire->size() > bounds_.max_bytes) {
      ++dropped_;
      return false;
    }
    queued_bytes_ += wire->size();
    queue_.push_back(std::move(wire));
  }
  wake_.notify_one();
  return true;
}

Status ConsensusPreverifyPool::learn_member_keys(const chain::TrusteeStateView& committed) {
  std::lock_guard<std::mutex> lock(verifier_mutex_);
  return node::learn_member_keys(committed, *verifier_);
}

std::optional<consensus::PreverifiedSignature> ConsensusPreverifyPool::check(const Bytes& wire) {
  if (is_commit_at_or_below(wire, executed_.load(std::memory_order_relaxed))) return std::nullopt;
  std::lock_guard<std::mutex> lock(verifier_mutex_);
  return consensus::preverify_envelope(wire, limits_, chain_, *verifier_);
}

void ConsensusPreverifyPool::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    consensus::SharedBytes wire = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= wire->size();
    lock.unlock();
    std::optional<consensus::PreverifiedSignature> entry = check(*wire);
    ++(entry ? verified_ : unverified_);
    deliver_(std::move(wire), std::move(entry));
    lock.lock();
  }
}

}  // namespace hc::node
