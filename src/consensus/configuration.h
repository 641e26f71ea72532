// Configurations of the replica set and the schedule of when each is in force.
//
// A Configuration is {number, ordered member ids}: n, f = (n-1)/3, the quorums and the primary
// rotation of its views follow from it. A ConfigSchedule holds the genesis configuration and
// every accepted change with the sequence number from which it governs, and answers "which
// configuration orders sequence number s". A change accepted by the block at height h governs
// every sequence number above boundary(h) = c(h) + L (c(h): the first checkpoint at or after h,
// L: the window), so every sequence number in a replica's window has its configuration fixed by
// blocks at or below its stable checkpoint (docs/consensus.md, section 2c). Plain values;
// pure functions, thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/status.h"
#include "consensus/types.h"

namespace hc::consensus {

using ConfigNumber = std::uint64_t;

struct Configuration {
  ConfigNumber number = 0;
  std::vector<ReplicaId> members;  // ordered: the primary of view v is members[v mod n]

  std::uint32_t n() const { return static_cast<std::uint32_t>(members.size()); }
  std::uint32_t f() const { return (n() - 1) / 3; }
  // The smallest q with 2q - n >= f + 1 (any two quorums share a correct replica) and
  // q <= n - f: ceil((n + f + 1) / 2), which is 2f + 1 when n = 3f + 1. With 2f + 1 at
  // n = 3f + 2 or 3f + 3, two quorums can meet only in a faulty replica (issue 16: the
  // simulator forked at n = 5 and 6).
  static std::uint32_t quorum_of(std::uint32_t n) { return (n + (n - 1) / 3 + 2) / 2; }
  std::uint32_t quorum() const { return quorum_of(n()); }
  // A prepared certificate: the primary's PRE-PREPARE and this many backup PREPAREs.
  std::uint32_t prepares_needed() const { return quorum() - 1; }
  std::uint32_t weak_quorum() const { return f() + 1; }
  ReplicaId primary(ViewNumber view) const { return members[static_cast<std::size_t>(view % n())]; }
  bool contains(ReplicaId id) const;
  bool operator==(const Configuration&) const = default;

  // {0, [0 .. n-1]}: what every chain starts with.
  static Configuration genesis(std::uint32_t n);
};

// A change of the replica set accepted by the committed block at `height` (the application
// reports it, Application::accepted_changes).
struct AcceptedChange {
  SeqNumber height = 0;
  std::vector<ReplicaId> members;
  bool operator==(const AcceptedChange&) const = default;
};

// ok if members can form a configuration: at least 4, no id repeated, every id below id_space.
Status check_members(const std::vector<ReplicaId>& members, std::uint32_t id_space);

// The last sequence number of the old configuration for a change accepted at `height`:
// ceil(height / K) * K + L.
SeqNumber change_boundary(SeqNumber height, std::uint32_t checkpoint_interval, std::uint32_t window);

class ConfigSchedule {
 public:
  ConfigSchedule(Configuration genesis, std::uint32_t checkpoint_interval, std::uint32_t window);

  // Records a change accepted at `height` (heights must not decrease; the new configuration
  // gets the next number). false, and nothing recorded, if a change at this height or a later
  // one is already recorded (the same change reported twice).
  bool add(const AcceptedChange& change);
  // The configuration that orders sequence number seq (seq >= 1; seq 0, the genesis
  // checkpoint, is the genesis configuration's).
  const Configuration& at(SeqNumber seq) const;
  // The configuration with this number, if recorded.
  const Configuration* by_number(ConfigNumber number) const;
  // The first boundary at or above `seq` (the last sequence number of a configuration that a
  // later one follows), if any is recorded.
  std::optional<SeqNumber> next_boundary(SeqNumber seq) const;
  const Configuration& newest() const { return entries_.back().config; }
  // The highest height of an accepted change recorded (0 if none).
  SeqNumber last_change_height() const { return last_change_height_; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    SeqNumber last_before = 0;  // governs sequence numbers > last_before
    Configuration config;
  };
  std::vector<Entry> entries_;
  std::uint32_t checkpoint_interval_;
  std::uint32_t window_;
  SeqNumber last_change_height_ = 0;
};

}  // namespace hc::consensus
