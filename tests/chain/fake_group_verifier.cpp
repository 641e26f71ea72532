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

Bytes FakeGroupVerifier::sign_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                              std::uint8_t signer) const {
  auto it = epoch_keys_.find(epoch);
  HC_CHECK(it != epoch_keys_.end());
  std::uint8_t key_epoch_be[8];
  for (int i = 0; i < 8; ++i) key_epoch_be[i] = static_cast<std::uint8_t>(key_epoch >> (56 - 8 * i));
  Digest tag = tagged_hash("TEST-FAKE-GROUPSIG-ELGAMAL", {span_of(it->second), ByteSpan(key_epoch_be, 8), span_of(digest)});
  Bytes sig(kFakeSignatureBytes, 0);
  const std::string_view magic = "HCGE";
  std::copy(magic.begin(), magic.end(), sig.begin());
  std::copy(tag.begin(), tag.end(), sig.begin() + magic.size());
  sig[magic.size() + tag.size()] = signer;
  return sig;
}

Status FakeGroupVerifier::verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                                  ByteSpan signature) const {
  ++verify_calls_;
  if (epoch_keys_.find(epoch) == epoch_keys_.end()) {
    return Status::error(ErrorCode::kNotFound, "fake verifier: unknown epoch");
  }
  constexpr std::size_t kSignerAt = 4 + kDigestBytes;
  if (signature.size() != kFakeSignatureBytes) return invalid_input("fake verifier: bad length");
  Bytes expected = sign_under_opener_key(epoch, key_epoch, digest, signature[kSignerAt]);
  if (!std::equal(expected.begin(), expected.end(), signature.begin())) {
    return Status::error(ErrorCode::kAuthFailed, "fake verifier: signature does not verify");
  }
  return Status();
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
