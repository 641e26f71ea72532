#include "privacy/origin_estimators.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace hc::privacy {

namespace {

// The first frames a coalition saw of one record.
struct CoalitionView {
  std::optional<Observation> first_any;    // first stem or fluff frame from a non-member
  std::optional<Observation> first_stem;   // first stem frame from a non-member
  std::optional<Observation> first_fluff;  // first fluff frame from a non-member
};

void keep_earliest(std::optional<Observation>& slot, const Observation& o) {
  if (!slot || o.time_us < slot->time_us) slot = o;
}

std::map<std::string, CoalitionView> views_of(const std::vector<Observation>& all,
                                              const std::set<std::uint32_t>& observers) {
  std::map<std::string, CoalitionView> views;
  for (const Observation& o : all) {
    if (o.kind == FrameKind::kCommit || !observers.count(o.observer) || observers.count(o.sender)) continue;
    CoalitionView& v = views[o.tx_id];
    keep_earliest(v.first_any, o);
    keep_earliest(o.kind == FrameKind::kStem ? v.first_stem : v.first_fluff, o);
  }
  return views;
}

}  // namespace

Result<std::vector<Observation>> read_peer_trace(const std::filesystem::path& path, std::uint32_t observer,
                                                 std::size_t max_lines) {
  std::ifstream in(path);
  if (!in) return Status::error(ErrorCode::kNotFound, "cannot read the peer trace " + path.string());
  std::vector<Observation> out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    if (++number > max_lines) return invalid_input(path.string() + " has more than the bound of lines");
    std::istringstream fields(line);
    Observation o;
    std::string kind, sender;
    if (!(fields >> o.time_us >> kind >> sender >> o.frame_bytes >> o.tx_id) || o.tx_id.size() != 64) {
      return invalid_input(path.string() + ":" + std::to_string(number) + ": not a peer trace line");
    }
    o.observer = observer;
    if (kind == "stem") o.kind = FrameKind::kStem;
    else if (kind == "fluff") o.kind = FrameKind::kFluff;
    else if (kind == "commit") o.kind = FrameKind::kCommit;
    else return invalid_input(path.string() + ":" + std::to_string(number) + ": unknown kind " + kind);
    if (o.kind != FrameKind::kCommit) {
      try {
        o.sender = static_cast<std::uint32_t>(std::stoul(sender));
      } catch (const std::exception&) {
        return invalid_input(path.string() + ":" + std::to_string(number) + ": bad peer id");
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<EstimatorScore> score_insiders(const std::map<std::string, std::uint32_t>& origins,
                                           const std::vector<Observation>& all, const std::set<std::uint32_t>& observers,
                                           std::uint32_t replica_count, const CyclePredecessor& predecessor) {
  const double uniform = 1.0 / static_cast<double>(replica_count - observers.size());
  std::vector<EstimatorScore> scores = {{"first_arrival", 0, 0, uniform},
                                        {"stem_predecessor", 0, 0, uniform},
                                        {"cycle_aware", 0, 0, uniform}};
  const auto views = views_of(all, observers);
  for (const auto& [tx, origin] : origins) {
    if (observers.count(origin)) continue;
    std::optional<std::uint32_t> guesses[3];
    auto v = views.find(tx);
    if (v != views.end()) {
      const CoalitionView& view = v->second;
      if (view.first_any) guesses[0] = view.first_any->sender;
      guesses[1] = view.first_stem ? std::optional(view.first_stem->sender) : guesses[0];
      if (view.first_stem) {
        guesses[2] = view.first_stem->sender;
      } else if (view.first_fluff) {
        // The fluffer got it from its cycle predecessor (unless that is one of us: then we
        // would have seen the stem, so the fluffer is the likeliest origin itself).
        const std::uint32_t pred = predecessor(view.first_fluff->sender, view.first_fluff->time_us);
        guesses[2] = observers.count(pred) ? view.first_fluff->sender : pred;
      }
    }
    for (std::size_t e = 0; e < scores.size(); ++e) {
      ++scores[e].records;
      if (guesses[e] && *guesses[e] == origin) ++scores[e].correct;
    }
  }
  return scores;
}

EstimatorScore score_network_observer(const std::map<std::string, std::uint32_t>& origins,
                                      const std::vector<Observation>& all, std::uint32_t replica_count) {
  std::set<std::uint32_t> everyone;
  for (std::uint32_t i = 0; i < replica_count; ++i) everyone.insert(i);
  std::map<std::string, Observation> first;
  for (const Observation& o : all) {
    if (o.kind == FrameKind::kCommit) continue;
    auto it = first.find(o.tx_id);
    if (it == first.end() || o.time_us < it->second.time_us) first[o.tx_id] = o;
  }
  EstimatorScore score{"network_first_frame", 0, 0, 1.0 / replica_count};
  for (const auto& [tx, origin] : origins) {
    ++score.records;
    auto it = first.find(tx);
    if (it != first.end() && it->second.sender == origin) ++score.correct;
  }
  return score;
}

std::vector<EstimatorScore> pool_scores(const std::vector<std::vector<EstimatorScore>>& runs) {
  std::vector<EstimatorScore> pooled;
  for (const auto& run : runs) {
    for (const EstimatorScore& s : run) {
      auto it = std::find_if(pooled.begin(), pooled.end(),
                             [&](const EstimatorScore& p) { return p.estimator == s.estimator; });
      if (it == pooled.end()) {
        pooled.push_back(s);
        continue;
      }
      it->records += s.records;
      it->correct += s.correct;
    }
  }
  return pooled;
}

EstimatorScore best_score(const std::vector<EstimatorScore>& scores) {
  EstimatorScore best;
  for (const EstimatorScore& s : scores) {
    if (s.ratio() > best.ratio() || best.estimator.empty()) best = s;
  }
  return best;
}

}  // namespace hc::privacy
