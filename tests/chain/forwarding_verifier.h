// Test support: a RecordSignatureVerifier that forwards every call to another one (the real
// Bbs04RecordVerifier, in the tests and benchmarks that use it) except
// verify_under_opener_keys, which it leaves to the interface's default: a block's
// BBS04-ElGamal signatures are then checked one by one, as block validation did before
// batches. Tests derive from it to count or batch calls; benchmarks compare it with the
// batching verifier. Thread-safe as far as the inner verifier is.
#pragma once

#include "chain/verifiers.h"

namespace hc::chain::testing {

class ForwardingRecordVerifier : public RecordSignatureVerifier {
 public:
  explicit ForwardingRecordVerifier(RecordSignatureVerifier& inner) : inner_(inner) {}
  Status verify(std::uint64_t epoch, const Digest& digest, ByteSpan signature) const override {
    return inner_.verify(epoch, digest, signature);
  }
  Status check_revocation(std::uint64_t new_epoch, ByteSpan record) const override {
    return inner_.check_revocation(new_epoch, record);
  }
  Status apply_revocation(std::uint64_t new_epoch, ByteSpan record) override {
    return inner_.apply_revocation(new_epoch, record);
  }
  Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                 ByteSpan signature) const override {
    return inner_.verify_under_opener_key(epoch, key_epoch, digest, signature);
  }
  Status refresh_opener_keys(const TrusteeStateView& view) override { return inner_.refresh_opener_keys(view); }

 protected:
  RecordSignatureVerifier& inner() const { return inner_; }

 private:
  RecordSignatureVerifier& inner_;
};

}  // namespace hc::chain::testing
