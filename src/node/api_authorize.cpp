// Who may use a route of the API (issue 15, item 3): the bearer token is checked against the
// role the route needs (doctor, reader or the hospital's administrator). A token that belongs
// to nobody gets 401; a valid token of another role gets 403 (a doctor cannot read records or
// manage accounts). Every refusal and rate limit is logged at info level by account name
// (never the token), at most kRefusalLogsPerSecond lines a second, the rest counted.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "node/node_state.h"

namespace hc::node {

namespace {

constexpr std::uint32_t kRefusalLogsPerSecond = 20;

std::uint64_t api_authorize_now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

const char* api_role_name(ApiRole role) {
  switch (role) {
    case ApiRole::kDoctor: return "doctor";
    case ApiRole::kReader: return "reader";
    case ApiRole::kAdmin: return "administrator";
  }
  return "unknown";
}

}  // namespace

TokenAuthenticator& Node::State::authenticator_for(ApiRole role) {
  switch (role) {
    case ApiRole::kDoctor: return *doctors;
    case ApiRole::kReader: return *readers;
    case ApiRole::kAdmin: return *admins;
  }
  return *admins;
}

// Bounded: a flood of bad tokens cannot flood the log.
void Node::State::log_refusal(const std::string& line) {
  const std::uint64_t now = api_authorize_now_ms();
  if (now >= refusal_log_window_ms + 1000) {
    if (refusal_logs_suppressed > 0) {
      spdlog::info("{} further refused API request(s) not logged", refusal_logs_suppressed);
    }
    refusal_log_window_ms = now;
    refusal_logs_in_window = 0;
    refusal_logs_suppressed = 0;
  }
  if (refusal_logs_in_window >= kRefusalLogsPerSecond) {
    ++refusal_logs_suppressed;
    return;
  }
  ++refusal_logs_in_window;
  spdlog::info("{}", line);
}

std::optional<net::HttpResponse> Node::State::authorize(const net::HttpRequest& req, ApiRole role,
                                                        std::string& holder_out) {
  const std::string header = req.header("authorization");
  const std::string path = req.path().substr(0, 64);
  TokenAuthenticator& auth = authenticator_for(role);
  std::optional<std::string> holder = auth.authenticate(header);
  if (!holder) {
    for (ApiRole other : {ApiRole::kDoctor, ApiRole::kReader, ApiRole::kAdmin}) {
      if (other == role) continue;
      std::optional<std::string> someone = authenticator_for(other).authenticate(header);
      if (!someone) continue;
      log_refusal("refused " + req.method.substr(0, 8) + " " + path + " from " + api_role_name(other) + " " +
                  *someone + ": the route needs a " + api_role_name(role));
      return net::HttpResponse::error(403, "forbidden",
                                      std::string("this route needs a ") + api_role_name(role) + " credential");
    }
    log_refusal("refused " + req.method.substr(0, 8) + " " + path + " from " + req.remote_address +
                ": no valid " + api_role_name(role) + " token");
    return net::HttpResponse::error(401, "unauthorized",
                                    std::string("a valid ") + api_role_name(role) + " bearer token is required");
  }
  const std::uint64_t now = api_authorize_now_ms();
  if (!auth.allow(*holder, now)) {
    log_refusal("rate-limited " + std::string(api_role_name(role)) + " " + *holder + " on " + path);
    net::HttpResponse limited = net::HttpResponse::error(429, "rate_limited", "too many requests for this token");
    std::uint64_t wait_s = std::max<std::uint64_t>(1, (auth.retry_after_ms(*holder, now) + 999) / 1000);
    limited.headers["Retry-After"] = std::to_string(wait_s);
    return limited;
  }
  holder_out = std::move(*holder);
  return std::nullopt;
}

net::HttpResponse Node::State::whoami(const net::HttpRequest& req) {
  const std::string header = req.header("authorization");
  for (ApiRole role : {ApiRole::kDoctor, ApiRole::kReader, ApiRole::kAdmin}) {
    if (!authenticator_for(role).authenticate(header)) continue;
    std::string holder;
    if (auto denied = authorize(req, role, holder)) return *denied;  // the holder's rate limit
    return net::HttpResponse::json(200, "{\"name\":" + nlohmann::json(holder).dump() + ",\"role\":\"" +
                                            api_role_name(role) + "\"}");
  }
  log_refusal("refused GET /v1/whoami from " + req.remote_address + ": no valid token");
  return net::HttpResponse::error(401, "unauthorized", "a valid bearer token is required");
}

}  // namespace hc::node
