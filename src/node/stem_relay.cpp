#include "node/stem_relay.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "crypto/hash.h"

namespace hc::node {

namespace {

// Version 2 (issue 16): the cycle is drawn over the configuration's member ids, not over
// 0..n-1 of the genesis; version 1 bound neither the configuration nor the members.
constexpr std::string_view kStemCycleDomain = "hc-stem-cycle-v2";

void append_le(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// Deterministic 64-bit draws from SHA-256(seed | counter).
class StemCycleStream {
 public:
  explicit StemCycleStream(Bytes seed) : seed_(std::move(seed)) {}
  std::uint64_t next() {
    Bytes input = seed_;
    for (int i = 0; i < 8; ++i) input.push_back(static_cast<std::uint8_t>(counter_ >> (8 * i)));
    ++counter_;
    const crypto::Digest32 d = crypto::sha256(input);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | d[static_cast<std::size_t>(i)];
    return v;
  }
  // Uniform in [0, bound), rejection sampling (no modulo bias).
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    for (;;) {
      const std::uint64_t v = next();
      if (v < limit) return v % bound;
    }
  }

 private:
  Bytes seed_;
  std::uint64_t counter_ = 0;
};

}  // namespace

std::vector<std::uint32_t> stem_cycle(ByteSpan chain_id, const StemMembership& membership, std::uint64_t epoch) {
  std::vector<std::uint32_t> cycle = membership.members;
  std::sort(cycle.begin(), cycle.end());
  cycle.erase(std::unique(cycle.begin(), cycle.end()), cycle.end());
  Bytes seed(kStemCycleDomain.begin(), kStemCycleDomain.end());
  seed.push_back(static_cast<std::uint8_t>(chain_id.size()));
  seed.insert(seed.end(), chain_id.begin(), chain_id.end());
  append_le(seed, membership.configuration, 8);
  append_le(seed, epoch, 8);
  append_le(seed, cycle.size(), 4);
  for (std::uint32_t member : cycle) append_le(seed, member, 4);
  StemCycleStream stream(std::move(seed));
  for (std::size_t i = cycle.size(); i > 1; --i) {
    std::swap(cycle[i - 1], cycle[static_cast<std::size_t>(stream.below(i))]);
  }
  return cycle;
}

std::size_t StemRelay::IdHash::operator()(const StemTxId& id) const {
  std::size_t h = 0;
  std::memcpy(&h, id.data(), sizeof(h));
  return h;
}

StemRelay::StemRelay(StemRelayConfig config, std::uint32_t self, StemMembership membership, Bytes chain_id,
                     std::function<std::uint64_t()> random)
    : config_(config), self_(self), membership_(std::move(membership)), chain_id_(std::move(chain_id)),
      random_(std::move(random)) {}

void StemRelay::set_members(StemMembership membership) {
  if (membership == membership_) return;
  membership_ = std::move(membership);
  epoch_.reset();  // re-drawn at the next decision, with this epoch's losses forgotten
}

bool StemRelay::is_member() const {
  return std::find(membership_.members.begin(), membership_.members.end(), self_) != membership_.members.end();
}

double StemRelay::uniform01() {
  return static_cast<double>(random_() >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
}

std::uint64_t StemRelay::draw_embargo_ms() {
  const double u = 1.0 - uniform01();  // (0, 1]
  const double extra = -static_cast<double>(config_.embargo_mean_ms) * std::log(u);
  const double total = static_cast<double>(config_.embargo_min_ms) + extra;
  return std::min<std::uint64_t>(config_.embargo_max_ms, static_cast<std::uint64_t>(total));
}

void StemRelay::roll_epoch(std::uint64_t now_ms) {
  const std::uint64_t epoch = now_ms / std::max<std::uint64_t>(1, config_.epoch_ms);
  if (epoch_ && *epoch_ == epoch) return;
  epoch_ = epoch;
  cycle_ = stem_cycle(chain_id_, membership_, epoch);
  losses_.clear();
}

std::optional<std::uint32_t> StemRelay::successor(std::uint64_t now_ms, const std::vector<std::uint32_t>& connected) {
  roll_epoch(now_ms);
  auto self_at = std::find(cycle_.begin(), cycle_.end(), self_);
  if (self_at == cycle_.end()) return std::nullopt;
  const std::size_t start = static_cast<std::size_t>(self_at - cycle_.begin());
  for (std::size_t step = 1; step < cycle_.size(); ++step) {
    const std::uint32_t candidate = cycle_[(start + step) % cycle_.size()];
    if (std::find(connected.begin(), connected.end(), candidate) == connected.end()) continue;
    auto lost = losses_.find(candidate);
    if (lost != losses_.end() && lost->second >= config_.failures_to_switch) continue;
    return candidate;
  }
  return std::nullopt;
}

StemStep StemRelay::originate(const StemTxId& id, const Bytes& tx, std::uint64_t now_ms,
                              const std::vector<std::uint32_t>& connected) {
  if (fluffed(id)) return {StemAction::kIgnore, 0};
  if (!config_.stem) {
    remember_fluffed(id);
    return {StemAction::kFluff, 0};
  }
  return forward_or_fluff(id, tx, /*may_fluff=*/false, now_ms, connected);
}

StemStep StemRelay::on_stem(const StemTxId& id, const Bytes& tx, std::uint32_t /*from*/, std::uint64_t now_ms,
                            const std::vector<std::uint32_t>& connected) {
  if (fluffed(id)) return {StemAction::kIgnore, 0};
  return forward_or_fluff(id, tx, /*may_fluff=*/config_.stem, now_ms, connected);
}

StemStep StemRelay::forward_or_fluff(const StemTxId& id, const Bytes& tx, bool may_fluff, std::uint64_t now_ms,
                                     const std::vector<std::uint32_t>& connected) {
  auto held = held_.find(id);
  const bool coin_says_fluff = may_fluff && uniform01() < config_.fluff_probability;
  const std::optional<std::uint32_t> next = successor(now_ms, connected);
  const bool room = held != held_.end() ||
                    (held_.size() < config_.max_records && held_bytes_ + tx.size() <= config_.max_bytes);
  if (coin_says_fluff || !next || !room || !config_.stem) {
    if (held != held_.end()) forget_held(held);
    remember_fluffed(id);
    return {StemAction::kFluff, 0};
  }
  if (held == held_.end()) {
    Held h;
    h.tx = tx;
    h.deadline_ms = now_ms + draw_embargo_ms();
    held_bytes_ += tx.size();
    by_deadline_.emplace(h.deadline_ms, id);
    held = held_.emplace(id, std::move(h)).first;
  }
  held->second.forwarded_to = *next;
  return {StemAction::kForward, *next};
}

void StemRelay::forget_held(std::map<StemTxId, Held>::iterator it) {
  auto range = by_deadline_.equal_range(it->second.deadline_ms);
  for (auto d = range.first; d != range.second; ++d) {
    if (d->second == it->first) {
      by_deadline_.erase(d);
      break;
    }
  }
  held_bytes_ -= it->second.tx.size();
  held_.erase(it);
}

void StemRelay::remember_fluffed(const StemTxId& id) {
  if (!fluffed_.insert(id).second) return;
  fluffed_order_.push_back(id);
  while (fluffed_order_.size() > kFluffedMemory) {
    fluffed_.erase(fluffed_order_.front());
    fluffed_order_.pop_front();
  }
}

void StemRelay::on_fluffed(const StemTxId& id) {
  auto held = held_.find(id);
  if (held != held_.end()) forget_held(held);
  remember_fluffed(id);
}

std::vector<Bytes> StemRelay::take_expired(std::uint64_t now_ms) {
  std::vector<Bytes> out;
  while (!by_deadline_.empty() && by_deadline_.begin()->first <= now_ms) {
    const StemTxId id = by_deadline_.begin()->second;
    auto held = held_.find(id);
    if (held == held_.end()) {  // cannot happen: the two indexes change together
      by_deadline_.erase(by_deadline_.begin());
      continue;
    }
    if (held->second.forwarded_to) {
      roll_epoch(now_ms);
      ++losses_[*held->second.forwarded_to];
    }
    out.push_back(std::move(held->second.tx));
    held->second.tx.clear();
    held_bytes_ -= out.back().size();
    held_.erase(held);
    by_deadline_.erase(by_deadline_.begin());
    remember_fluffed(id);
  }
  return out;
}

std::optional<std::uint64_t> StemRelay::next_deadline_ms() const {
  if (by_deadline_.empty()) return std::nullopt;
  return by_deadline_.begin()->first;
}

}  // namespace hc::node
