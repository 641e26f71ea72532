#include "consensus/pending_pool.h"

#include "common/status.h"

namespace hc::consensus {

const PendingTx* PendingPool::find(const Digest& id) const {
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second.entry;
}

bool PendingPool::add(PendingTx entry) {
  auto [it, inserted] = nodes_.try_emplace(entry.id);
  if (!inserted) return false;
  HC_CHECK(tail_ == nullptr || tail_->entry.arrival_no < entry.arrival_no);
  Node& n = it->second;
  n.entry = std::move(entry);
  n.prev = tail_;
  if (tail_ != nullptr) tail_->next = &n;
  tail_ = &n;
  if (head_ == nullptr) head_ = &n;
  bytes_ += n.entry.tx.size();
  if (!n.entry.inflight) link_queued(n);
  return true;
}

void PendingPool::remove(const Digest& id) {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) return;
  Node& n = it->second;
  if (!n.entry.inflight) unlink_queued(n);
  (n.prev != nullptr ? n.prev->next : head_) = n.next;
  (n.next != nullptr ? n.next->prev : tail_) = n.prev;
  bytes_ -= n.entry.tx.size();
  nodes_.erase(it);
}

void PendingPool::set_inflight(const Digest& id) {
  auto it = nodes_.find(id);
  if (it == nodes_.end() || it->second.entry.inflight) return;
  unlink_queued(it->second);
  it->second.entry.inflight = true;
}

const PendingTx* PendingPool::take_oldest_queued() {
  Node* n = queue_head_;
  if (n == nullptr) return nullptr;
  unlink_queued(*n);
  n->entry.inflight = true;
  return &n->entry;
}

void PendingPool::mark_forwarded(const Digest& id, std::uint64_t now_ms) {
  auto it = nodes_.find(id);
  if (it == nodes_.end()) return;
  it->second.entry.forwarded = true;
  it->second.entry.forwarded_ms = now_ms;
}

std::vector<Digest> PendingPool::ids() const {
  std::vector<Digest> out;
  out.reserve(nodes_.size());
  for (const Node* n = head_; n != nullptr; n = n->next) out.push_back(n->entry.id);
  return out;
}

void PendingPool::clear() {
  nodes_.clear();
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
