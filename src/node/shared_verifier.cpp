#include "node/shared_verifier.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "crypto/hash.h"

namespace hc::node {

namespace {

// Domain-separated, versioned key of one verification: epoch (8 bytes, big-endian), the
// signed digest, then the signature bytes.
chain::Digest shared_verifier_cache_key(std::uint64_t epoch, const chain::Digest& digest, ByteSpan signature) {
  constexpr std::string_view kDomain = "hc-node/verdict-cache/v1";
  Bytes input(kDomain.begin(), kDomain.end());
  for (int shift = 56; shift >= 0; shift -= 8) input.push_back(static_cast<std::uint8_t>(epoch >> shift));
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
  const chain::Digest key = shared_verifier_cache_key(epoch, digest, signature);
  if (auto verdict = verdicts_.find(key)) return *verdict;
  Status verdict;
  std::chrono::duration<double> took{};
  {
    std::shared_lock<std::shared_mutex> lock(inner_mutex_);
    const auto started = std::chrono::steady_clock::now();
    verdict = inner_->verify(epoch, digest, signature);
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
