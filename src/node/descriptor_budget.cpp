#include "node/descriptor_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <string>

namespace hc::node {

namespace {
constexpr std::size_t kMinPendingHandshakes = 4;
constexpr std::size_t kMinApiConnections = 8;
}  // namespace

Result<DescriptorBudget> plan_descriptors(std::uint64_t limit, std::size_t in_use, std::size_t peers,
                                          const DescriptorBudget& wanted) {
  // The floors below which a node is not worth starting (or what was asked for, if less).
  const std::size_t min_handshakes = std::min(kMinPendingHandshakes, wanted.pending_handshakes);
  const std::size_t min_api = std::min(kMinApiConnections, wanted.api_connections);
  const std::size_t fixed = in_use + kStorageDescriptorReserve + 2 * peers;  // a session and a redial per peer
  const std::size_t minimum = fixed + min_handshakes + min_api;
  if (limit < minimum) {
    return invalid_input("the descriptor limit (RLIMIT_NOFILE) is " + std::to_string(limit) + "; this node needs at least " +
                         std::to_string(minimum) + " (raise it, e.g. ulimit -n 4096)");
  }
  const std::size_t spare = static_cast<std::size_t>(limit) - fixed;
  DescriptorBudget b;
  // Handshakes get at most a quarter of the spare descriptors, the API the rest.
  b.pending_handshakes = std::clamp(spare / 4, min_handshakes, wanted.pending_handshakes);
  b.pending_handshakes_per_address = std::min(wanted.pending_handshakes_per_address, b.pending_handshakes);
  b.api_connections = std::clamp(spare - b.pending_handshakes, min_api, wanted.api_connections);
  b.api_connections_per_address = std::min(wanted.api_connections_per_address, b.api_connections);
  return b;
}

Result<std::uint64_t> raise_descriptor_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return Status::error(ErrorCode::kIo, "cannot read RLIMIT_NOFILE");
  if (r.rlim_cur < r.rlim_max) {
    rlimit raised = r;
    raised.rlim_cur = r.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) r = raised;
  }
  return static_cast<std::uint64_t>(r.rlim_cur);
}

Result<std::size_t> open_descriptor_count() {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  if (ec) return Status::error(ErrorCode::kIo, "cannot list /proc/self/fd: " + ec.message());
  return n;
}

}  // namespace hc::node
