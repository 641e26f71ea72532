#include "consensus/pending_pool.h"

#include "common/status.h"

namespace hc::consensus {

namespace {
constexpr std::size_t kFirstSlots = 64;
}  // namespace

std::uint64_t PendingPool::key_of(const Digest& id) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 8; ++i) key = (key << 8) | id[i];
  return key;
}

std::size_t PendingPool::probe(const Digest& id, std::uint64_t key) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = static_cast<std::size_t>(key) & mask;
  while (slots_[i].node != nullptr && (slots_[i].key != key || slots_[i].node->entry.id != id)) i = (i + 1) & mask;
  return i;
}

PendingPool::Node* PendingPool::find_node(const Digest& id) const {
  if (count_ == 0) return nullptr;
  return slots_[probe(id, key_of(id))].node.get();
}

const PendingTx* PendingPool::find(const Digest& id) const {
  const Node* n = find_node(id);
  return n == nullptr ? nullptr : &n->entry;
}

void PendingPool::grow_if_needed() {
  if (2 * (count_ + 1) <= slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_ = std::vector<Slot>(old.empty() ? kFirstSlots : 2 * old.size());
  const std::size_t mask = slots_.size() - 1;
  for (Slot& s : old) {
    if (s.node == nullptr) continue;
    std::size_t i = static_cast<std::size_t>(s.key) & mask;
    while (slots_[i].node != nullptr) i = (i + 1) & mask;
    slots_[i] = std::move(s);
  }
}

void PendingPool::erase_slot(std::size_t i) {
  const std::size_t mask = slots_.size() - 1;
  slots_[i].node.reset();
  for (std::size_t j = (i + 1) & mask; slots_[j].node != nullptr; j = (j + 1) & mask) {
    const std::size_t home = static_cast<std::size_t>(slots_[j].key) & mask;
    // The entry at j stays if its home lies cyclically in (i, j]: a probe for it never passes i.
    const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (stays) continue;
    slots_[i] = std::move(slots_[j]);
    i = j;
  }
}

bool PendingPool::add(PendingTx entry) {
  grow_if_needed();
  const std::uint64_t key = key_of(entry.id);
  const std::size_t i = probe(entry.id, key);
  if (slots_[i].node != nullptr) return false;
  HC_CHECK(tail_ == nullptr || tail_->entry.arrival_no < entry.arrival_no);
  std::unique_ptr<Node> node;
  if (spare_.empty()) {
    node = std::make_unique<Node>();
  } else {
    node = std::move(spare_.back());
    spare_.pop_back();
  }
  Node& n = *node;
  n.entry = std::move(entry);
  n.prev = tail_;
  n.next = nullptr;
  if (tail_ != nullptr) tail_->next = &n;
  tail_ = &n;
  if (head_ == nullptr) head_ = &n;
  bytes_ += n.entry.tx.size();
  if (!n.entry.inflight) link_queued(n);
  slots_[i] = Slot{key, std::move(node)};
  ++count_;
  return true;
}

void PendingPool::remove(const Digest& id) {
  if (count_ == 0) return;
  const std::size_t i = probe(id, key_of(id));
  if (slots_[i].node == nullptr) return;
  Node& n = *slots_[i].node;
  if (!n.entry.inflight) unlink_queued(n);
  (n.prev != nullptr ? n.prev->next : head_) = n.next;
  (n.next != nullptr ? n.next->prev : tail_) = n.prev;
  bytes_ -= n.entry.tx.size();
  if (spare_.size() < kSpareNodes) {
    n.entry.tx = Bytes{};
    spare_.push_back(std::move(slots_[i].node));
  }
  erase_slot(i);
  --count_;
}

void PendingPool::set_inflight(const Digest& id) {
  Node* n = find_node(id);
  if (n == nullptr || n->entry.inflight) return;
  unlink_queued(*n);
  n->entry.inflight = true;
}

const PendingTx* PendingPool::take_oldest_queued() {
  Node* n = queue_head_;
  if (n == nullptr) return nullptr;
  unlink_queued(*n);
  n->entry.inflight = true;
  return &n->entry;
}

void PendingPool::mark_forwarded(const Digest& id, std::uint64_t now_ms) {
  Node* n = find_node(id);
  if (n == nullptr) return;
  n->entry.forwarded = true;
  n->entry.forwarded_ms = now_ms;
}

std::vector<Digest> PendingPool::ids() const {
  std::vector<Digest> out;
  out.reserve(count_);
  for (const Node* n = head_; n != nullptr; n = n->next) out.push_back(n->entry.id);
  return out;
}

void PendingPool::clear() {
  slots_.clear();
  spare_.clear();
  count_ = 0;
  head_ = tail_ = queue_head_ = queue_tail_ = nullptr;
  queued_ = 0;
  bytes_ = 0;
  queued_bytes_ = 0;
}

void PendingPool::link_queued(Node& n) {
  n.prev_queued = queue_tail_;
  n.next_queued = nullptr;
  if (queue_tail_ != nullptr) queue_tail_->next_queued = &n;
  queue_tail_ = &n;
  if (queue_head_ == nullptr) queue_head_ = &n;
  ++queued_;
  queued_bytes_ += n.entry.tx.size();
}

void PendingPool::unlink_queued(Node& n) {
  (n.prev_queued != nullptr ? n.prev_queued->next_queued : queue_head_) = n.next_queued;
  (n.next_queued != nullptr ? n.next_queued->prev_queued : queue_tail_) = n.prev_queued;
  n.prev_queued = n.next_queued = nullptr;
  --queued_;
  queued_bytes_ -= n.entry.tx.size();
}

}  // namespace hc::consensus
