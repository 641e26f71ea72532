#include "consensus/configuration.h"

#include <algorithm>
#include <set>

namespace hc::consensus {

bool Configuration::contains(ReplicaId id) const {
  return std::find(members.begin(), members.end(), id) != members.end();
}

Configuration Configuration::genesis(std::uint32_t n) {
  Configuration c;
  for (ReplicaId r = 0; r < n; ++r) c.members.push_back(r);
  return c;
}

Status check_members(const std::vector<ReplicaId>& members, std::uint32_t id_space) {
  if (members.size() < 4) return invalid_input("a configuration needs at least 4 replicas");
  std::set<ReplicaId> seen;
  for (ReplicaId id : members) {
    if (id >= id_space) return invalid_input("replica id " + std::to_string(id) + " is outside the id space");
    if (!seen.insert(id).second) return invalid_input("replica id " + std::to_string(id) + " is listed twice");
  }
  return Status();
}

SeqNumber change_boundary(SeqNumber height, std::uint32_t checkpoint_interval, std::uint32_t window) {
  const SeqNumber k = checkpoint_interval;
  return (height + k - 1) / k * k + window;
}

ConfigSchedule::ConfigSchedule(Configuration genesis, std::uint32_t checkpoint_interval, std::uint32_t window)
    : checkpoint_interval_(checkpoint_interval), window_(window) {
  entries_.push_back(Entry{0, std::move(genesis)});
}

bool ConfigSchedule::add(const AcceptedChange& change) {
  if (change.height <= last_change_height_) return false;
  last_change_height_ = change.height;
  const SeqNumber boundary = change_boundary(change.height, checkpoint_interval_, window_);
  Configuration next{entries_.back().config.number + 1, change.members};
  // Two changes whose boundaries coincide (accepted within one checkpoint interval): the later
  // one replaces the earlier before it ever governs anything.
  if (entries_.size() > 1 && entries_.back().last_before == boundary) {
    entries_.back().config.members = change.members;
    return true;
  }
  entries_.push_back(Entry{boundary, std::move(next)});
  return true;
}

const Configuration& ConfigSchedule::at(SeqNumber seq) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (seq > it->last_before) return it->config;
  }
  return entries_.front().config;
}

const Configuration* ConfigSchedule::by_number(ConfigNumber number) const {
  for (const Entry& e : entries_) {
    if (e.config.number == number) return &e.config;
  }
  return nullptr;
}

std::optional<SeqNumber> ConfigSchedule::next_boundary(SeqNumber seq) const {
  for (const Entry& e : entries_) {
    if (e.last_before >= seq && e.last_before > 0) return e.last_before;
  }
  return std::nullopt;
}

}  // namespace hc::consensus
