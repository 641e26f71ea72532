#include "node/shared_verifier.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>

#include "common/check.h"
#include "crypto/hash.h"

namespace hc::node {

namespace {

void shared_verifier_append_u64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Domain-separated, versioned key of one verification: epoch (8 bytes, big-endian), the
// signed digest, then the signature bytes; for a BBS04-ElGamal verification under a key
// epoch's opener key, another domain and the key epoch after the epoch.
chain::Digest shared_verifier_cache_key(std::uint64_t epoch, const chain::Digest& digest, ByteSpan signature,
                                        std::optional<std::uint64_t> key_epoch = std::nullopt) {
  constexpr std::string_view kDomain = "hc-node/verdict-cache/v1";
  constexpr std::string_view kOpenerKeyDomain = "hc-node/verdict-cache/opener-key/v1";
  const std::string_view domain = key_epoch ? kOpenerKeyDomain : kDomain;
  Bytes input(domain.begin(), domain.end());
  shared_verifier_append_u64(input, epoch);
  if (key_epoch) shared_verifier_append_u64(input, *key_epoch);
  input.insert(input.end(), digest.begin(), digest.end());
  input.insert(input.end(), signature.begin(), signature.end());
  const auto hash = crypto::sha256(input);
  chain::Digest key;
  std::copy(hash.begin(), hash.end(), key.begin());
  return key;
}

bool shared_verifier_is_final(const Status& verdict) {
  return verdict.ok() || verdict.code() == ErrorCode::kAuthFailed || verdict.code() == ErrorCode::kInvalidInput;
}

}  // namespace

SharedRecordVerifier::SharedRecordVerifier(std::unique_ptr<chain::RecordSignatureVerifier> inner)
    : inner_(std::move(inner)) {}

Status SharedRecordVerifier::verify(std::uint64_t epoch, const chain::Digest& digest, ByteSpan signature) const {
  return cached_verify(shared_verifier_cache_key(epoch, digest, signature),
                       [&] { return inner_->verify(epoch, digest, signature); });
}

Status SharedRecordVerifier::verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch,
                                                     const chain::Digest& digest, ByteSpan signature) const {
  return cached_verify(shared_verifier_cache_key(epoch, digest, signature, key_epoch),
                       [&] { return inner_->verify_under_opener_key(epoch, key_epoch, digest, signature); });
}

std::vector<Status> SharedRecordVerifier::verify_under_opener_keys(
    std::span<const chain::OpenerKeyCheck> checks) const {
  std::vector<Status> out(checks.size());
  std::vector<chain::Digest> keys;
  std::vector<chain::OpenerKeyCheck> misses;
  std::vector<std::size_t> missed_at;
  keys.reserve(checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const chain::OpenerKeyCheck& c = checks[i];
    keys.push_back(shared_verifier_cache_key(c.epoch, c.digest, c.signature, c.key_epoch));
    if (auto verdict = verdicts_.find(keys.back())) {
      out[i] = *verdict;
    } else {
      misses.push_back(c);
      missed_at.push_back(i);
    }
  }
  if (misses.empty()) return out;
  std::vector<Status> verdicts;
  std::chrono::duration<double> took{};
  {
    std::shared_lock<std::shared_mutex> lock(inner_mutex_);
    const auto started = std::chrono::steady_clock::now();
    verdicts = inner_->verify_under_opener_keys(misses);
    took = std::chrono::steady_clock::now() - started;
  }
  HC_CHECK(verdicts.size() == misses.size());
  pairings_run_ += misses.size();
  {
    std::lock_guard<std::mutex> lock(observer_mutex_);
    if (observer_) {
      for (std::size_t k = 0; k < misses.size(); ++k) observer_(took.count() / static_cast<double>(misses.size()));
    }
  }
  for (std::size_t k = 0; k < misses.size(); ++k) {
    const std::size_t i = missed_at[k];
    if (shared_verifier_is_final(verdicts[k])) verdicts_.insert(keys[i], verdicts[k]);
    out[i] = std::move(verdicts[k]);
  }
  return out;
}

Status SharedRecordVerifier::refresh_opener_keys(const chain::TrusteeStateView& view) {
  std::unique_lock<std::shared_mutex> lock(inner_mutex_);
  return inner_->refresh_opener_keys(view);
}

Status SharedRecordVerifier::cached_verify(const chain::Digest& key, const std::function<Status()>& run) const {
  if (auto verdict = verdicts_.find(key)) return *verdict;
  Status verdict;
  std::chrono::duration<double> took{};
  {
    std::shared_lock<std::shared_mutex> lock(inner_mutex_);
    const auto started = std::chrono::steady_clock::now();
    verdict = run();
    took = std::chrono::steady_clock::now() - started;
  }
  ++pairings_run_;
  {
    std::lock_guard<std::mutex> lock(observer_mutex_);
    if (observer_) observer_(took.count());
  }
  if (shared_verifier_is_final(verdict)) verdicts_.insert(key, verdict);
  return verdict;
}

void SharedRecordVerifier::set_timing_observer(std::function<void(double)> observer) {
  std::lock_guard<std::mutex> lock(observer_mutex_);
  observer_ = std::move(observer);
}

Status SharedRecordVerifier::check_revocation(std::uint64_t new_epoch, ByteSpan record) const {
  std::shared_lock<std::shared_mutex> lock(inner_mutex_);
  return inner_->check_revocation(new_epoch, record);
}

Status SharedRecordVerifier::apply_revocation(std::uint64_t new_epoch, ByteSpan record) {
  std::unique_lock<std::shared_mutex> lock(inner_mutex_);
  return inner_->apply_revocation(new_epoch, record);
}

}  // namespace hc::node
