// Origin estimators for the anonymity harness (issue 14): given what some parties saw of
// every record's frames (the peer traces of hc-node, node/peer_trace.h) and the true origin
// of each record, how often does each estimator name the origin? Precision is reported with
// the uniform guess' precision beside it (1/(n-1) for one curious hospital, 1/(n-f) for f
// colluders, 1/n for an outside observer, who may also guess the colluders' own records).
//
// Estimators (docs/relay.md, "What the harness measures"):
//  - first_arrival: the sender of the first transaction-carrying frame seen;
//  - stem_predecessor: the sender of the first stem frame seen, else first_arrival;
//  - cycle_aware: knows the public stem cycle of each epoch: the sender of the first stem
//    frame seen, else the cycle predecessor of the node that fluffed (the sender of the first
//    fluff frame), the most likely origin when the stem did not pass the observers.
// Observers never count records whose origin is one of them; a record an estimator cannot
// place gets a guess of "none", which is never right.
//
// Pure functions over parsed traces. Not thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace hc::privacy {

enum class FrameKind { kStem, kFluff, kCommit };

// One line of one node's peer trace.
struct Observation {
  std::int64_t time_us = 0;
  FrameKind kind = FrameKind::kFluff;
  std::uint32_t observer = 0;  // the node whose trace it is (the receiver)
  std::uint32_t sender = 0;    // the peer the frame came from (meaningless for kCommit)
  std::size_t frame_bytes = 0;
  std::string tx_id;  // hex
};

// Parses one trace file written by node `observer`; kInvalidInput naming the line for a
// malformed one. Bounded: at most max_lines lines.
Result<std::vector<Observation>> read_peer_trace(const std::filesystem::path& path, std::uint32_t observer,
                                                 std::size_t max_lines = 10'000'000);

// The cycle predecessor of `node` at a time (microseconds): who would have stemmed to it.
using CyclePredecessor = std::function<std::uint32_t(std::uint32_t node, std::int64_t time_us)>;

struct EstimatorScore {
  std::string estimator;
  std::size_t records = 0;  // records counted (origin not among the observers)
  std::size_t correct = 0;
  double uniform = 0;  // the uniform guess' precision
  double precision() const { return records ? static_cast<double>(correct) / static_cast<double>(records) : 0; }
  double ratio() const { return uniform > 0 ? precision() / uniform : 0; }
};

// Every estimator's score for an insider coalition `observers` (one curious hospital, or f
// colluders) among `replica_count` nodes: only their own traces are used.
std::vector<EstimatorScore> score_insiders(const std::map<std::string, std::uint32_t>& origins,
                                           const std::vector<Observation>& all, const std::set<std::uint32_t>& observers,
                                           std::uint32_t replica_count, const CyclePredecessor& predecessor);

// A passive network observer who sees (time, sender, receiver, size) of every peer frame and
// links the frames of one record (same size, close in time; here linked exactly, its best
// case): it names the sender of the earliest frame. Every record counts; uniform is 1/n.
EstimatorScore score_network_observer(const std::map<std::string, std::uint32_t>& origins,
                                      const std::vector<Observation>& all, std::uint32_t replica_count);

// Sums scores of the same estimator (e.g. over every choice of curious hospital).
std::vector<EstimatorScore> pool_scores(const std::vector<std::vector<EstimatorScore>>& runs);

// The best (highest ratio) of a set of scores.
EstimatorScore best_score(const std::vector<EstimatorScore>& scores);

}  // namespace hc::privacy
