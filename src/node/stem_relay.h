// StemRelay: the decisions of the stem phase that hides which hospital submitted a record
// (issue 14, item 2; protocol and anonymity argument in docs/relay.md). A record accepted by
// this node's API is not broadcast at once: it is sent as a *stem* frame to one successor,
// each node receiving a stem record forwards it to its own successor, or with probability
// fluff_probability *fluffs* it (hands it to consensus and broadcasts it as a client
// transaction, as every record was before). Successors follow one cycle through the members
// of the consensus configuration in force (issue 16: ids, so a joined hospital is on it and a
// departed one is not), re-drawn every epoch and at every configuration change from the chain
// id, the configuration number, the member list and the epoch number (stem_cycle below), so
// every member has exactly one predecessor; a successor that is not connected, or that lost
// failures_to_switch records this epoch, is skipped for the next one on the cycle. A node that
// is not a member of that configuration (a joiner before its boundary, a departed member) has
// no successor: what reaches its relay is fluffed (the node's API refuses doctors' records
// there, docs/relay.md "Membership changes").
//
// Robustness: every node holding a stem record (its origin included) keeps an embargo
// deadline, embargo_min_ms plus an exponential delay of mean embargo_mean_ms, at most
// embargo_max_ms; when it passes before the record was seen fluffed, the node fluffs it
// itself. A crashed, dropping or Byzantine successor thus delays a record by at most
// embargo_max_ms.
//
// Pure decisions: no I/O, no clock, no global randomness. Time comes in as arguments, random
// draws from the injected source; the caller (ReplicaDriver) sends frames and verifies stem
// records before handing them here. Bounds: at most max_records records and max_bytes bytes
// held; the ids of fluffed records are remembered (to drop late stem copies) up to
// kFluffedMemory ids, oldest forgotten first.
//
// Not thread-safe: driven by the node's consensus thread.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>
#include <vector>

#include "common/bytes.h"

namespace hc::node {

struct StemRelayConfig {
  // false: every record is fluffed at once by the node that accepted it (the behaviour before
  // the relay; kept for measurements and for the estimator harness' own check).
  bool stem = true;
  double fluff_probability = 0.05;  // per stem hop at a relay (the origin always stems)
  std::uint64_t embargo_min_ms = 3000;
  std::uint64_t embargo_mean_ms = 2000;  // of the exponential part
  std::uint64_t embargo_max_ms = 10000;
  std::uint64_t epoch_ms = 600000;  // the stem cycle is re-derived every epoch
  std::size_t max_records = 4096;
  std::size_t max_bytes = 64u * 1024 * 1024;
  std::uint32_t failures_to_switch = 2;  // embargoes expired after forwarding to one successor
};

using StemTxId = std::array<std::uint8_t, 32>;

enum class StemAction {
  kForward,  // send a stem frame with the record to `to` (the record is held, embargo armed)
  kFluff,    // hand the record to consensus and broadcast it as a client transaction
  kIgnore,   // already fluffed (or seen fluffed): nothing to do
};

struct StemStep {
  StemAction action = StemAction::kIgnore;
  std::uint32_t to = 0;
};

// The members of a consensus configuration, for the stem cycle: its number and its replica ids
// (consensus::Configuration's; kept as plain integers so that this module does not depend on
// the engine's headers).
struct StemMembership {
  std::uint64_t configuration = 0;
  std::vector<std::uint32_t> members;
  bool operator==(const StemMembership&) const = default;
};

// The members (sorted, duplicates dropped) in the cycle order of `epoch`: a permutation drawn
// by a Fisher-Yates shuffle from SHA-256("hc-stem-cycle-v2" | u8 chain id length | chain id |
// u64 configuration | u64 epoch | u32 member count | u32 each member, little-endian) with a
// counter (docs/relay.md). Every node of the configuration computes the same cycle; the
// successor of cycle[i] is cycle[(i + 1) % size].
std::vector<std::uint32_t> stem_cycle(ByteSpan chain_id, const StemMembership& membership, std::uint64_t epoch);

class StemRelay {
 public:
  // `random` returns uniformly distributed 64-bit values (the node injects its CSPRNG).
  // `membership`: the configuration in force when the relay starts (set_members follows it).
  StemRelay(StemRelayConfig config, std::uint32_t self, StemMembership membership, Bytes chain_id,
            std::function<std::uint64_t()> random);

  // The configuration in force changed (or is confirmed unchanged: then nothing happens). A
  // new member list or number re-draws the cycle at once and forgets this epoch's losses;
  // records held stay held with their embargo.
  void set_members(StemMembership membership);
  const StemMembership& membership() const { return membership_; }
  // True when this node is on the cycle (a member of the configuration in force).
  bool is_member() const;

  // A fresh record accepted by this node's API. kForward (held, embargo armed) while the stem
  // is on and a successor is connected; kFluff when the stem is off, no successor is
  // reachable or the holding bounds are full; kIgnore when it was already fluffed.
  StemStep originate(const StemTxId& id, const Bytes& tx, std::uint64_t now_ms,
                     const std::vector<std::uint32_t>& connected);
  // A stem record from peer `from`, already verified by the caller. kIgnore when already
  // fluffed; otherwise a coin of fluff_probability decides kFluff or kForward (a record seen
  // again on a later lap of the cycle is decided afresh; its embargo is not reset).
  StemStep on_stem(const StemTxId& id, const Bytes& tx, std::uint32_t from, std::uint64_t now_ms,
                   const std::vector<std::uint32_t>& connected);
  // The record was fluffed, by this node or another (a client-transaction frame arrived, or it
  // was committed): stop holding it and ignore later stem copies.
  void on_fluffed(const StemTxId& id);
  // Records whose embargo has passed at now_ms, removed from the held set and marked fluffed:
  // the caller fluffs each. Each counts as a loss against the successor it was forwarded to.
  std::vector<Bytes> take_expired(std::uint64_t now_ms);
  // The earliest embargo deadline of a held record, if any.
  std::optional<std::uint64_t> next_deadline_ms() const;

  // This node's successor at now_ms among `connected` peers (nullopt: none reachable, or this
  // node is not a member).
  std::optional<std::uint32_t> successor(std::uint64_t now_ms, const std::vector<std::uint32_t>& connected);

  std::size_t held_records() const { return held_.size(); }
  std::size_t held_bytes() const { return held_bytes_; }
  bool fluffed(const StemTxId& id) const { return fluffed_.count(id) != 0; }
  // True while this node holds the record in the stem (it was verified when first received).
  bool holds(const StemTxId& id) const { return held_.count(id) != 0; }
  const StemRelayConfig& config() const { return config_; }

  static constexpr std::size_t kFluffedMemory = 65536;

 private:
  struct Held {
    Bytes tx;
    std::uint64_t deadline_ms = 0;
    std::optional<std::uint32_t> forwarded_to;
  };
  struct IdHash {
    std::size_t operator()(const StemTxId& id) const;
  };
  StemStep forward_or_fluff(const StemTxId& id, const Bytes& tx, bool may_fluff, std::uint64_t now_ms,
                            const std::vector<std::uint32_t>& connected);
  double uniform01();
  std::uint64_t draw_embargo_ms();
  void remember_fluffed(const StemTxId& id);
  void forget_held(std::map<StemTxId, Held>::iterator it);
  void roll_epoch(std::uint64_t now_ms);

  const StemRelayConfig config_;
  const std::uint32_t self_;
  StemMembership membership_;
  const Bytes chain_id_;
  std::function<std::uint64_t()> random_;

  std::map<StemTxId, Held> held_;
  std::multimap<std::uint64_t, StemTxId> by_deadline_;
  std::size_t held_bytes_ = 0;
  std::unordered_set<StemTxId, IdHash> fluffed_;
  std::deque<StemTxId> fluffed_order_;

  std::optional<std::uint64_t> epoch_;
  std::vector<std::uint32_t> cycle_;
  std::map<std::uint32_t, std::uint32_t> losses_;  // per successor, this epoch
};

}  // namespace hc::node
