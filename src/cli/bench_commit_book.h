// What `hc bench` knows of its records: when each was posted, to which hospital, and when the
// follower saw it in a committed block. The two facts about one record arrive from two threads
// in either order: under load a record can commit before its POST's answer is read (the
// follower then sees its id before the submitter knows it), so an id seen in a block before it
// was recorded as sent is kept and matched when it is (at most `max_unclaimed` such ids; the
// blocks also hold other hospitals' and other clients' transactions). Not thread-safe: the
// caller holds one lock around every call.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace hc::cli {

class BenchCommitBook {
 public:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point sent_at;
    std::string node;
    std::optional<Clock::time_point> committed_at;
  };

  explicit BenchCommitBook(std::size_t max_unclaimed) : max_unclaimed_(max_unclaimed) {}

  // The POST of record `id` to `node` started at `at` and was accepted.
  void record_sent(const std::string& id, Clock::time_point at, std::string node);
  // The follower saw `id` in a committed block at `seen_at` (the first sighting counts).
  void record_in_block(const std::string& id, Clock::time_point seen_at);

  const std::map<std::string, Entry>& sent() const { return sent_; }
  std::size_t committed_count() const;
  bool all_committed() const { return committed_count() == sent_.size(); }

 private:
  std::size_t max_unclaimed_;
  std::map<std::string, Entry> sent_;
  std::map<std::string, Clock::time_point> unclaimed_;  // seen in a block, not (yet) known as sent
};

}  // namespace hc::cli
