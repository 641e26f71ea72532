#include "node/token_auth.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/bytes.h"
#include "crypto/hash.h"

namespace hc::node {

TokenAuthenticator::TokenAuthenticator(std::vector<DoctorToken> tokens, std::uint32_t requests_per_minute)
    : tokens_(std::move(tokens)), capacity_(std::max<std::uint32_t>(1, requests_per_minute)) {}

TokenAuthenticator::TokenAuthenticator(std::vector<DoctorToken> tokens, std::uint32_t requests_per_minute,
                                       const AccountStore* accounts, AccountRole role)
    : tokens_(std::move(tokens)),
      accounts_(accounts),
      role_(role),
      capacity_(std::max<std::uint32_t>(1, requests_per_minute)) {}

namespace {

// The token of "<scheme> <token>" when the scheme is "bearer" in any letter case (RFC 7235
// section 2.1) and the token is one word; nullopt otherwise.
std::optional<std::string> bearer_token(const std::string& header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  std::size_t start = header.find_first_not_of(' ', kScheme.size());
  if (start == kScheme.size() || start == std::string::npos) return std::nullopt;
  std::string token = header.substr(start);
  if (token.find_first_of(" \t") != std::string::npos) return std::nullopt;
  return token;
}

}  // namespace

std::optional<std::string> TokenAuthenticator::authenticate(const std::string& header) const {
  std::optional<std::string> presented = bearer_token(header);
  if (!presented) return std::nullopt;
  std::string token = std::move(*presented);
  if (token.size() > 512) return std::nullopt;
  crypto::Digest32 hash = crypto::sha256(as_bytes(token));
  std::optional<std::string> holder;
  for (const auto& t : tokens_) {  // no early exit: every hash is compared
    if (constant_time_equal(hash, t.sha256)) holder = t.name;
  }
  if (accounts_ != nullptr) {
    std::optional<Account> account = accounts_->find_by_token_hash(hash);
    if (account && account->role == role_) holder = account->name;
  }
  return holder;
}

double TokenAuthenticator::refilled(const Bucket& b, std::uint64_t now_ms) const {
  if (now_ms <= b.last_ms) return b.tokens;
  return std::min(capacity_, b.tokens + capacity_ * static_cast<double>(now_ms - b.last_ms) / 60000.0);
}

bool TokenAuthenticator::allow(const std::string& holder, std::uint64_t now_ms) {
  auto [it, inserted] = buckets_.try_emplace(holder, Bucket{capacity_, now_ms});
  Bucket& b = it->second;
  if (!inserted && now_ms > b.last_ms) {
    b.tokens = refilled(b, now_ms);
    b.last_ms = now_ms;
  }
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

std::uint64_t TokenAuthenticator::retry_after_ms(const std::string& holder, std::uint64_t now_ms) const {
  auto it = buckets_.find(holder);
  if (it == buckets_.end()) return 0;
  double tokens = refilled(it->second, now_ms);
  if (tokens >= 1.0) return 0;
  return static_cast<std::uint64_t>(std::ceil((1.0 - tokens) * 60000.0 / capacity_));
}

}  // namespace hc::node
