// Node metrics in the Prometheus text exposition format (version 0.0.4): counters and gauges
// by name (optionally with labels, e.g. `name{status="200"}`), plus histograms of durations
// in seconds (count, sum, fixed buckets from 1 us to 30 s; labels allowed the same way).
// Thread-safe: updates and rendering take one mutex (metrics are cheap and rare).
//
// Two audiences (issue 14, item 3; docs/privacy.md): the public rendering leaves out the
// operator-only families, the ones that count this node's own clients' activity (API requests,
// records submitted here, their commit latency, transactions relayed to it): they differ
// between the node a record was submitted to and the others, so they would name a record's
// origin. The hospital's administrator sees everything (GET /metrics with the admin token).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hc::node {

enum class MetricsAudience : std::uint8_t { kPublic, kOperator };

// True for a family only the operator may see (by name, labels ignored): see above.
bool metric_is_operator_only(std::string_view name);

class Metrics {
 public:
  void set_gauge(const std::string& name, const std::string& help, double value);
  void add_counter(const std::string& name, const std::string& help, double delta = 1.0);
  void set_counter(const std::string& name, const std::string& help, double value);
  // Records one observation in seconds into a histogram with fixed buckets (1 us .. 30 s).
  void observe_seconds(const std::string& name, const std::string& help, double seconds);
  // Creates the histogram with no observation if it does not exist yet, so that it is rendered
  // (with zero counts) from the start: a family every replica must show alike.
  void declare_histogram(const std::string& name, const std::string& help);
  // Every metric for kOperator; without the operator-only families for kPublic.
  std::string render(MetricsAudience audience) const;

 private:
  enum class Kind : std::uint8_t { kCounter, kGauge };
  struct Scalar {
    Kind kind;
    std::string help;
    double value = 0;
  };
  struct Histogram {
    std::string help;
    std::vector<std::uint64_t> bucket_counts;
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Scalar> scalars_;
  std::map<std::string, Histogram> histograms_;
};

}  // namespace hc::node
