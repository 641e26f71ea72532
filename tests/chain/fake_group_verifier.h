// TEST DOUBLE (tests only, never in src/): FakeGroupVerifier stands in for the BBS04 verifier
// behind chain::RecordSignatureVerifier. A "signature" is
//   SHA-256("TEST-FAKE-GROUPSIG" || epoch key || digest) || signer u8 || 303 zero bytes (336 in
// all), where `signer` is free (it stands for the randomness of a real group signature, so one
// digest has several valid signatures, as with BBS04),
// where the epoch-0 key is SHA-256 of the genesis group public key and epoch e+1's key is
// SHA-256(epoch e key || revocation record). A revocation record is valid iff it starts with
// "REVOKE". It is not a group signature and offers no security; it lets the ledger's tests
// check that digests, epochs and revocations are routed correctly. Its trustees-mode
// counterpart (verify_under_opener_key) is "HCGE" (the BBS04-ElGamal magic, which routes it)
// || SHA-256("TEST-FAKE-GROUPSIG-ELGAMAL" || epoch key || key epoch u64 BE || digest) ||
// signer u8, zero-padded to the same length. `work_rounds` adds that many
// SHA-256 computations per verify, to give benchmarks a configurable cost. Thread-safe for
// verify/check_revocation (reads only), as the interface requires.
#pragma once

#include <atomic>
#include <map>

#include "chain/verifiers.h"

namespace hc::chain::testing {

inline constexpr std::size_t kFakeSignatureBytes = 336;

class FakeGroupVerifier final : public RecordSignatureVerifier {
 public:
  explicit FakeGroupVerifier(ByteSpan group_public_key, unsigned work_rounds = 0);

  Status verify(std::uint64_t epoch, const Digest& digest, ByteSpan signature) const override;
  Status check_revocation(std::uint64_t new_epoch, ByteSpan record) const override;
  Status apply_revocation(std::uint64_t new_epoch, ByteSpan record) override;
  Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                 ByteSpan signature) const override;

  // What an honest member would produce for `digest` in `epoch` (HC_CHECKs the epoch is known);
  // a different `signer` gives a different valid signature.
  Bytes sign(std::uint64_t epoch, const Digest& digest, std::uint8_t signer = 0) const;
  // The same for a version-2 record under the opener key of `key_epoch`.
  Bytes sign_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                              std::uint8_t signer = 0) const;
  std::uint64_t verify_calls() const { return verify_calls_.load(); }
  std::uint64_t latest_epoch() const { return epoch_keys_.rbegin()->first; }

 private:
  std::map<std::uint64_t, Digest> epoch_keys_;
  unsigned work_rounds_;
  mutable std::atomic<std::uint64_t> verify_calls_{0};
};

}  // namespace hc::chain::testing
