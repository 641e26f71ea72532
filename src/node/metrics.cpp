#include "node/metrics.h"

#include <array>
#include <cstdio>

namespace hc::node {

namespace {
constexpr std::array<double, 8> kBucketsSeconds = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0};

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

void Metrics::set_gauge(const std::string& name, const std::string& help, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  scalars_[name] = Scalar{Kind::kGauge, help, value};
}

void Metrics::add_counter(const std::string& name, const std::string& help, double delta) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = scalars_.try_emplace(name, Scalar{Kind::kCounter, help, 0});
  it->second.value += delta;
}

void Metrics::set_counter(const std::string& name, const std::string& help, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  scalars_[name] = Scalar{Kind::kCounter, help, value};
}

void Metrics::observe_seconds(const std::string& name, const std::string& help, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = histograms_.try_emplace(name, Histogram{help, std::vector<std::uint64_t>(kBucketsSeconds.size()), 0, 0});
  Histogram& h = it->second;
  for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
    if (seconds <= kBucketsSeconds[i]) h.bucket_counts[i]++;
  }
  h.count++;
  h.sum += seconds;
}

std::string Metrics::render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  std::string last_family;
  for (const auto& [name, s] : scalars_) {
    // A name may carry labels ("hc_api_requests_total{status=\"200\"}"); HELP and TYPE name
    // the family once, before its first sample (the map keeps a family's samples together).
    std::string family = name.substr(0, name.find('{'));
    if (family != last_family) {
      out += "# HELP " + family + " " + s.help + "\n# TYPE " + family +
             (s.kind == Kind::kCounter ? " counter\n" : " gauge\n");
      last_family = family;
    }
    out += name + " " + number(s.value) + "\n";
  }
  for (const auto& [name, h] : histograms_) {
    out += "# HELP " + name + " " + h.help + "\n# TYPE " + name + " histogram\n";
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out += name + "_bucket{le=\"" + number(kBucketsSeconds[i]) + "\"} " + std::to_string(h.bucket_counts[i]) + "\n";
    }
    out += name + "_bucket{le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += name + "_sum " + number(h.sum) + "\n" + name + "_count " + std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace hc::node
