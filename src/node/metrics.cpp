#include "node/metrics.h"

#include <array>
#include <cstdio>
#include <utility>

namespace hc::node {

namespace {
// From a microsecond (a cache hit) to half a minute (a commit across a view change).
constexpr std::array<double, 15> kBucketsSeconds = {1e-6, 1e-5, 1e-4, 1e-3, 5e-3, 1e-2, 5e-2, 1e-1,
                                                    0.25, 0.5,  1.0,  2.5,  5.0,  10.0, 30.0};

// "family{a=\"b\"}" -> family and the labels inside the braces ("" when none).
std::pair<std::string, std::string> metrics_split_labels(const std::string& name) {
  const std::size_t brace = name.find('{');
  if (brace == std::string::npos || name.back() != '}') return {name, ""};
  return {name.substr(0, brace), name.substr(brace + 1, name.size() - brace - 2)};
}

// A bucket bound as Prometheus clients print it ("1e-06", "0.005", "2.5").
std::string bucket_bound(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
// Families that the node a record is submitted to moves and the others do not (issue 14,
// item 3): its clients' requests and their answers (a 202 is a submission), the records
// accepted, the commit latency measured from acceptance, and the transactions other
// replicas relayed to it (every replica but the origin checks one per record), and the stem
// records it checked (hc_stem_: the origin checks none of its own), and its own records it
// signed again after a revocation (hc_records_resign: node/own_records.h).
constexpr std::array<std::string_view, 6> kOperatorOnlyPrefixes = {
    "hc_api_", "hc_records_submitted_total", "hc_commit_latency_seconds", "hc_relayed_txs_checked_total",
    "hc_stem_", "hc_records_resign"};
}  // namespace

bool metric_is_operator_only(std::string_view name) {
  for (std::string_view prefix : kOperatorOnlyPrefixes) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

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

void Metrics::declare_histogram(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  histograms_.try_emplace(name, Histogram{help, std::vector<std::uint64_t>(kBucketsSeconds.size()), 0, 0});
}

std::string Metrics::render(MetricsAudience audience) const {
  const bool everything = audience == MetricsAudience::kOperator;
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  std::string last_family;
  for (const auto& [name, s] : scalars_) {
    if (!everything && metric_is_operator_only(name)) continue;
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
  last_family.clear();
  for (const auto& [name, h] : histograms_) {
    if (!everything && metric_is_operator_only(name)) continue;
    // Labels (e.g. `{route="GET /v1/status"}`) go inside each sample's braces, before `le`.
    const auto [family, labels] = metrics_split_labels(name);
    if (family != last_family) {
      out += "# HELP " + family + " " + h.help + "\n# TYPE " + family + " histogram\n";
      last_family = family;
    }
    const std::string prefix = labels.empty() ? "" : labels + ",";
    const std::string own = labels.empty() ? "" : "{" + labels + "}";
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      out += family + "_bucket{" + prefix + "le=\"" + bucket_bound(kBucketsSeconds[i]) + "\"} " +
             std::to_string(h.bucket_counts[i]) + "\n";
    }
    out += family + "_bucket{" + prefix + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += family + "_sum" + own + " " + number(h.sum) + "\n" + family + "_count" + own + " " +
           std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace hc::node
