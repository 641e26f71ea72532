// Bbs04RecordVerifier: the real RecordSignatureVerifier, backed by the BBS04 group signatures
// of src/crypto/groupsig. It holds one prepared group key per epoch (epoch 0 from the genesis,
// later ones derived from committed revocation records) and verifies a record's signature
// (groupsig's canonical signature encoding, which carries its epoch) on the 32-byte
// record_signing_digest. Kept in its own library (hc_chain_bbs04) so hc_chain does not depend
// on the pairing code.
//
// Thread-safety: verify() and check_revocation() may run concurrently; apply_revocation() must
// not run concurrently with anything (the application guarantees this).
#pragma once

#include <map>
#include <memory>

#include "chain/verifiers.h"

namespace hc::groupsig {
class PreparedGroupKey;
}

namespace hc::chain {

class Bbs04RecordVerifier final : public RecordSignatureVerifier {
 public:
  // `group_public_key` is groupsig's encoding of the epoch-0 key (the genesis field).
  // kInvalidInput if it does not decode or is not of epoch 0.
  static Result<std::unique_ptr<Bbs04RecordVerifier>> create(ByteSpan group_public_key);
  ~Bbs04RecordVerifier() override;

  Status verify(std::uint64_t epoch, const Digest& digest, ByteSpan signature) const override;
  Status check_revocation(std::uint64_t new_epoch, ByteSpan record) const override;
  Status apply_revocation(std::uint64_t new_epoch, ByteSpan record) override;

  std::uint64_t latest_epoch() const { return keys_.rbegin()->first; }

 private:
  Bbs04RecordVerifier() = default;
  std::map<std::uint64_t, std::unique_ptr<groupsig::PreparedGroupKey>> keys_;
};

}  // namespace hc::chain
