#include "node/token_auth.h"

#include <algorithm>

#include "common/bytes.h"
#include "crypto/hash.h"

namespace hc::node {

TokenAuthenticator::TokenAuthenticator(std::vector<DoctorToken> tokens, std::uint32_t requests_per_minute)
    : tokens_(std::move(tokens)), capacity_(std::max<std::uint32_t>(1, requests_per_minute)) {}

std::optional<std::string> TokenAuthenticator::authenticate(const std::string& header) const {
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string token = header.substr(prefix.size());
  if (token.size() > 512) return std::nullopt;
  crypto::Digest32 hash = crypto::sha256(as_bytes(token));
  std::optional<std::string> holder;
  for (const auto& t : tokens_) {  // no early exit: every hash is compared
    if (constant_time_equal(hash, t.sha256)) holder = t.name;
  }
  return holder;
}

bool TokenAuthenticator::allow(const std::string& holder, std::uint64_t now_ms) {
  auto [it, inserted] = buckets_.try_emplace(holder, Bucket{capacity_, now_ms});
  Bucket& b = it->second;
  if (!inserted && now_ms > b.last_ms) {
    b.tokens = std::min(capacity_, b.tokens + capacity_ * static_cast<double>(now_ms - b.last_ms) / 60000.0);
    b.last_ms = now_ms;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace hc::node
