#include "chain/fake_group_verifier.h"

#include <algorithm>

namespace hc::chain::testing {

FakeGroupVerifier::FakeGroupVerifier(ByteSpan group_public_key, unsigned work_rounds)
    : work_rounds_(work_rounds) {
  epoch_keys_[0] = sha256(group_public_key);
}

Bytes FakeGroupVerifier::sign(std::uint64_t epoch, const Digest& digest, std::uint8_t signer) const {
  auto it = epoch_keys_.find(epoch);
  HC_CHECK(it != epoch_keys_.end());
  Digest tag = tagged_hash("TEST-FAKE-GROUPSIG", {span_of(it->second), span_of(digest)});
  Bytes sig(tag.begin(), tag.end());
  sig.push_back(signer);
  sig.resize(kFakeSignatureBytes, 0);
  return sig;
}

Status FakeGroupVerifier::verify(std::uint64_t epoch, const Digest& digest,
                                 ByteSpan signature) const {
  ++verify_calls_;
  Digest work = digest;
  for (unsigned i = 0; i < work_rounds_; ++i) work = sha256(work);
  if (work_rounds_ > 0 && work == Digest{}) return Status::error(ErrorCode::kInternal, "unreachable");
  if (epoch_keys_.find(epoch) == epoch_keys_.end()) {
    return Status::error(ErrorCode::kNotFound, "fake verifier: unknown epoch");
  }
  if (signature.size() != kFakeSignatureBytes) return invalid_input("fake verifier: bad length");
  Bytes expected = sign(epoch, digest, signature[kDigestBytes]);
  if (!std::equal(expected.begin(), expected.end(), signature.begin())) {
    return Status::error(ErrorCode::kAuthFailed, "fake verifier: signature does not verify");
  }
  return Status();
}

Status FakeGroupVerifier::check_revocation(std::uint64_t new_epoch, ByteSpan record) const {
  if (new_epoch != latest_epoch() + 1) return invalid_input("fake verifier: epoch out of order");
  const std::string_view prefix = "REVOKE";
  if (record.size() < prefix.size() ||
      !std::equal(prefix.begin(), prefix.end(), record.begin())) {
    return Status::error(ErrorCode::kAuthFailed, "fake verifier: invalid revocation record");
  }
  return Status();
}

Status FakeGroupVerifier::apply_revocation(std::uint64_t new_epoch, ByteSpan record) {
  HC_RETURN_IF_ERROR(check_revocation(new_epoch, record));
  epoch_keys_[new_epoch] = tagged_hash("", {span_of(epoch_keys_.rbegin()->second), record});
  return Status();
}

}  // namespace hc::chain::testing
