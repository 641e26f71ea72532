// What every API request meets first, on the API thread (issue 12, item 5): per-address rate
// limits (429 with Retry-After) and the JSON nesting bound, before any JSON parser or
// signature check runs.
#include <chrono>

#include "crypto/bounded_json.h"
#include "node/node_state.h"

namespace hc::node {

// No request body of the API nests deeper than a few levels; the scan runs before any parser.
constexpr std::size_t kMaxRequestJsonDepth = 32;

namespace {

std::uint64_t api_gate_steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

void count_api_gate_answer(Metrics& metrics, const net::HttpResponse& response) {
  metrics.add_counter("hc_api_requests_total{status=\"" + std::to_string(response.status) + "\"}",
                      "API requests by status");
}

net::HttpResponse api_gate_rate_limited(std::uint32_t retry_after_s) {
  net::HttpResponse r = net::HttpResponse::error(
      429, "rate_limited", "too many requests from this address; retry after " + std::to_string(retry_after_s) + " s");
  r.headers["Retry-After"] = std::to_string(retry_after_s);
  return r;
}

}  // namespace

void Node::State::serve_api(const net::HttpRequest& request, net::HttpServer::Responder respond) {
  respond = observed(request, std::move(respond));  // latency per route, refusals logged (node_api.cpp)
  const std::string path = request.path();
  const bool manager_route = path == "/v1/manager/transactions" && request.method == "POST";
  const std::uint64_t now = api_gate_steady_ms();
  // The narrowest limit first, so a request it refuses takes nothing from the wider ones.
  std::uint32_t retry = manager_route ? api_manager_limiter.admit(request.remote_address, now) : 0;
  if (retry == 0 && request.method != "GET") retry = api_write_limiter.admit(request.remote_address, now);
  if (retry == 0) retry = api_read_limiter.admit(request.remote_address, now);
  net::HttpResponse early;
  if (retry != 0) {
    early = api_gate_rate_limited(retry);
  } else if (!crypto::json_depth_within(request.body, kMaxRequestJsonDepth)) {
    early = net::HttpResponse::error(400, "invalid_input", "request body nests deeper than " +
                                                               std::to_string(kMaxRequestJsonDepth) + " levels");
  } else {
    return handle_http(request, std::move(respond));  // counted there
  }
  count_api_gate_answer(metrics, early);
  respond(std::move(early));
}

}  // namespace hc::node
