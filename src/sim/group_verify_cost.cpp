#include "sim/group_verify_cost.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hc::sim {

double BatchCostCurve::per_signature_us(std::size_t k) const {
  if (points.empty()) return 0;
  if (k <= points.front().batch_size) return points.front().per_signature_us;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const BatchCostPoint& lo = points[i - 1];
    const BatchCostPoint& hi = points[i];
    if (k <= hi.batch_size) {
      const double at = static_cast<double>(k - lo.batch_size) / static_cast<double>(hi.batch_size - lo.batch_size);
      return lo.per_signature_us + at * (hi.per_signature_us - lo.per_signature_us);
    }
  }
  return points.back().per_signature_us;
}

Result<BatchCostCurve> parse_batch_cost_curve(const std::string& text) {
  BatchCostCurve curve;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string item = text.substr(at, comma - at);
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos) {
      return invalid_input("batch cost point '" + item + "' is not SIZE:US");
    }
    BatchCostPoint p;
    const char* size_end = item.data() + colon;
    const auto size_parse = std::from_chars(item.data(), size_end, p.batch_size);
    if (size_parse.ec != std::errc() || size_parse.ptr != size_end || p.batch_size == 0) {
      return invalid_input("batch cost point '" + item + "': the size is not a positive integer");
    }
    const std::string us = item.substr(colon + 1);
    char* us_end = nullptr;
    p.per_signature_us = std::strtod(us.c_str(), &us_end);
    if (us.empty() || us_end != us.c_str() + us.size() || !std::isfinite(p.per_signature_us) ||
        p.per_signature_us <= 0) {
      return invalid_input("batch cost point '" + item + "': the cost is not a positive number of microseconds");
    }
    if (!curve.points.empty() && p.batch_size <= curve.points.back().batch_size) {
      return invalid_input("batch cost points must be in increasing order of size");
    }
    if (curve.points.size() == kMaxBatchCostPoints) {
      return invalid_input("more than " + std::to_string(kMaxBatchCostPoints) + " batch cost points");
    }
    curve.points.push_back(p);
    at = comma + 1;
  }
  return curve;
}

}  // namespace hc::sim
