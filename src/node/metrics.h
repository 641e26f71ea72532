// Node metrics in the Prometheus text exposition format (version 0.0.4): counters and gauges
// by name (optionally with labels, e.g. `name{status="200"}`), plus histograms of durations
// in seconds (count, sum, fixed buckets from 1 us to 30 s; labels allowed the same way).
// Thread-safe: updates and rendering take one mutex (metrics are cheap and rare).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace hc::node {

class Metrics {
 public:
  void set_gauge(const std::string& name, const std::string& help, double value);
  void add_counter(const std::string& name, const std::string& help, double delta = 1.0);
  void set_counter(const std::string& name, const std::string& help, double value);
  // Records one observation in seconds into a histogram with fixed buckets (1 us .. 30 s).
  void observe_seconds(const std::string& name, const std::string& help, double seconds);
  std::string render() const;

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
