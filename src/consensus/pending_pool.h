// PendingPool: the replica's pending client transactions, each held once under its id
// (tx_digest), with two orders threaded through the entries themselves: every pending
// transaction by arrival (for the request timer and forwarding) and the queued ones, those not
// in flight in a proposed block, by arrival (what a primary cuts blocks from).
//
// The orders are intrusive lists, not trees: adding, removing, taking the oldest queued
// transaction into flight and finding the oldest are O(1) and search no tree (issue 18 item 3:
// the pool's trees, hash table and their allocations were a fifth of the engine's CPU). The
// entries are found through an open-addressing index of (the id's first 8 bytes, entry) pairs,
// so a look-up that misses reads one cache line of the index and no entry; freed entries are
// kept for reuse (up to kSpareNodes). Iteration orders depend on arrival only, so the replica
// stays deterministic. Part of the replica's state: not thread-safe, not copyable.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "consensus/types.h"

namespace hc::consensus {

struct PendingTx {
  Digest id{};
  Bytes tx;
  std::uint64_t arrival_no = 0;
  std::uint64_t arrival_ms = 0;
  bool inflight = false;   // in a block proposed in the current view (not queued)
  bool forwarded = false;  // to the current view's primary, at forwarded_ms
  std::uint64_t forwarded_ms = 0;
};

class PendingPool {
 public:
  PendingPool() = default;
  PendingPool(const PendingPool&) = delete;
  PendingPool& operator=(const PendingPool&) = delete;

  // Freed entries kept for reuse, at most.
  static constexpr std::size_t kSpareNodes = 4096;

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::uint64_t bytes() const { return bytes_; }  // of every pending transaction
  std::size_t queued() const { return queued_; }  // not in flight
  std::uint64_t queued_bytes() const { return queued_bytes_; }

  bool contains(const Digest& id) const { return find(id) != nullptr; }
  // The pending transaction with this id, or nullptr. Valid until it is removed.
  const PendingTx* find(const Digest& id) const;
  // The oldest pending (queued) transaction, or nullptr if there is none.
  const PendingTx* oldest() const { return head_ == nullptr ? nullptr : &head_->entry; }
  const PendingTx* oldest_queued() const { return queue_head_ == nullptr ? nullptr : &queue_head_->entry; }

  // Adds entry as the newest arrival (queued unless entry.inflight). Its arrival_no must be
  // above every pending one's. False, and nothing changed, if its id is already pending.
  bool add(PendingTx entry);
  // Removes the transaction (nothing if it is not pending).
  void remove(const Digest& id);
  // The transaction is in a proposed block: it leaves the queue (nothing if it is not pending
  // or already in flight).
  void set_inflight(const Digest& id);
  // set_inflight of the oldest queued transaction; returns it (nullptr if none is queued).
  const PendingTx* take_oldest_queued();
  // Marks the transaction forwarded to the primary at now_ms (nothing if it is not pending).
  void mark_forwarded(const Digest& id, std::uint64_t now_ms);

  // Calls visit(const PendingTx&) on every pending transaction by arrival, oldest first, while
  // it returns true. visit must not change the pool.
  template <typename Visit>
  void for_each_by_arrival(Visit&& visit) const {
    for (const Node* n = head_; n != nullptr; n = n->next) {
      if (!visit(n->entry)) return;
    }
  }
  // A new view: every transaction is not forwarded, in flight iff in_flight(id) (the blocks
  // the new view re-proposed), and the queue is rebuilt in arrival order.
  template <typename InFlight>
  void requeue(InFlight&& in_flight) {
    queue_head_ = queue_tail_ = nullptr;
    queued_ = 0;
    queued_bytes_ = 0;
    for (Node* n = head_; n != nullptr; n = n->next) {
      n->entry.forwarded = false;
      n->entry.inflight = in_flight(n->entry.id);
      n->prev_queued = n->next_queued = nullptr;
      if (!n->entry.inflight) link_queued(*n);
    }
  }
  // Every pending id, by arrival.
  std::vector<Digest> ids() const;
  void clear();

 private:
  struct Node {
    PendingTx entry;
    Node* prev = nullptr;  // by arrival
    Node* next = nullptr;
    Node* prev_queued = nullptr;  // the queue, by arrival
    Node* next_queued = nullptr;
  };
  // One slot of the index: empty while node is null.
  struct Slot {
    std::uint64_t key = 0;  // the id's first 8 bytes (ids are SHA-256 digests: uniform)
    std::unique_ptr<Node> node;
  };
  static std::uint64_t key_of(const Digest& id);
  Node* find_node(const Digest& id) const;
  // The slot holding id, or the empty slot where it would go (the index is never full).
  std::size_t probe(const Digest& id, std::uint64_t key) const;
  // Empties slot i, shifting back the entries after it that probed past it (linear probing).
  void erase_slot(std::size_t i);
  // Doubles the index (or makes the first one) when it would be more than half full.
  void grow_if_needed();
  void link_queued(Node& n);  // at the queue's end
  void unlink_queued(Node& n);

  std::vector<Slot> slots_;  // a power of two in size, at most half full
  std::size_t count_ = 0;
  std::vector<std::unique_ptr<Node>> spare_;  // freed entries, for reuse
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  Node* queue_head_ = nullptr;
  Node* queue_tail_ = nullptr;
  std::size_t queued_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t queued_bytes_ = 0;
};

}  // namespace hc::consensus
