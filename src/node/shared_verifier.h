// SharedRecordVerifier: the node's one group-signature verifier, shared by the consensus thread
// (the ledger's checks), the ledger's verification pool and the API thread (issue 12, item 5).
// It wraps the real verifier and adds two things:
//  - a verdict cache keyed by a digest of (epoch, signed digest, signature), so a signature the
//    API thread (or a relayed transaction's check) already verified costs the consensus thread
//    a lookup, not a pairing. Only final verdicts (valid, bad signature, malformed) are kept;
//    bounded to kMaxVerdicts entries, oldest evicted first;
//  - a reader-writer lock: verifications run concurrently, a committed revocation (which
//    installs the next epoch's key) or a refresh of the trustees' opener keys waits for them
//    and excludes them while it runs.
// pairings_run() counts the verifications that actually ran (cache misses; a batch counts each
// of its signatures); an optional timing observer is told how long each took (for the node's
// metrics; a batch's signatures each report the batch's time divided by their number).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <memory>
#include <shared_mutex>

#include "chain/verifiers.h"
#include "chain/verification_cache.h"

namespace hc::node {

class SharedRecordVerifier final : public chain::RecordSignatureVerifier {
 public:
  static constexpr std::size_t kMaxVerdicts = 16384;

  explicit SharedRecordVerifier(std::unique_ptr<chain::RecordSignatureVerifier> inner);

  Status verify(std::uint64_t epoch, const chain::Digest& digest, ByteSpan signature) const override;
  Status check_revocation(std::uint64_t new_epoch, ByteSpan record) const override;
  Status apply_revocation(std::uint64_t new_epoch, ByteSpan record) override;
  // Forwarded like verify() (cached under another domain, with the key epoch) and like
  // apply_revocation() (exclusive) respectively.
  Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const chain::Digest& digest,
                                 ByteSpan signature) const override;
  // Each check answered from the cache when it can; the others go to the inner verifier in one
  // verify_under_opener_keys call (one batch per key) under the shared lock, and their final
  // verdicts are cached as verify_under_opener_key's would be.
  std::vector<Status> verify_under_opener_keys(std::span<const chain::OpenerKeyCheck> checks) const override;
  Status refresh_opener_keys(const chain::TrusteeStateView& view) override;

  std::uint64_t pairings_run() const { return pairings_run_.load(); }
  // Called with the seconds each verification that ran took, on the verifying thread; an
  // empty function removes it (after which it is never called again).
  void set_timing_observer(std::function<void(double)> observer);

 private:
  std::unique_ptr<chain::RecordSignatureVerifier> inner_;
  // The verdict for `key` from the cache, or run() under the shared lock (cached when final).
  Status cached_verify(const chain::Digest& key, const std::function<Status()>& run) const;

  mutable std::shared_mutex inner_mutex_;  // shared: verify; exclusive: apply_revocation
  mutable chain::VerificationCache verdicts_{kMaxVerdicts};  // keyed by the verification, not a tx id
  mutable std::atomic<std::uint64_t> pairings_run_{0};
  mutable std::mutex observer_mutex_;
  std::function<void(double)> observer_;
};

}  // namespace hc::node
