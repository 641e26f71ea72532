// Bearer-token authentication and per-token rate limiting for the node's API.
//
// Tokens are never stored: the config (and the account store, account_store.h) holds their
// SHA-256, and a presented token is hashed and compared in constant time against every
// configured hash and every store account of the authenticator's role. The store is read at
// each call, so an account added, removed or rotated counts from the next request on. Each token has a token
// bucket of `requests_per_minute` capacity refilled continuously. Not thread-safe: used on
// the API's single thread. Time comes in as a parameter (milliseconds), for tests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "node/account_store.h"
#include "node/config.h"

namespace hc::node {

class TokenAuthenticator {
 public:
  TokenAuthenticator(std::vector<DoctorToken> tokens, std::uint32_t requests_per_minute);
  // Also accepts the tokens of `accounts`' accounts of `role` (`accounts` outlives this).
  TokenAuthenticator(std::vector<DoctorToken> tokens, std::uint32_t requests_per_minute, const AccountStore* accounts,
                     AccountRole role);

  // The token holder's name for an "Authorization: Bearer <token>" header value (the scheme
  // in any letter case, RFC 7235), or std::nullopt for a missing, malformed or unknown token.
  std::optional<std::string> authenticate(const std::string& authorization_header) const;
  // Takes one request from the holder's bucket; false when the holder is over its rate.
  bool allow(const std::string& holder, std::uint64_t now_ms);
  // Milliseconds from now_ms until the holder's bucket holds a whole request again (0 if it
  // does now), for a 429's Retry-After.
  std::uint64_t retry_after_ms(const std::string& holder, std::uint64_t now_ms) const;

 private:
  struct Bucket {
    double tokens = 0;
    std::uint64_t last_ms = 0;
  };
  double refilled(const Bucket& bucket, std::uint64_t now_ms) const;

  std::vector<DoctorToken> tokens_;
  const AccountStore* accounts_ = nullptr;
  AccountRole role_ = AccountRole::kDoctor;
  double capacity_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace hc::node
