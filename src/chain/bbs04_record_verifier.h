// Bbs04RecordVerifier: the real RecordSignatureVerifier, backed by the BBS04 group signatures
// of src/crypto/groupsig. It holds one prepared group key per epoch (epoch 0 from the genesis,
// later ones derived from committed revocation records) and verifies a record's signature
// (groupsig's canonical signature encoding, which carries its epoch) on the 32-byte
// record_signing_digest. In trustees mode it also learns, from the committed state, the opener
// key the trustees generated in each key epoch (chain/opener_key_state.h) and verifies
// BBS04-ElGamal signatures under the group key of an epoch with that opener key (one prepared
// key per (epoch, key epoch), built when either is installed); a block's BBS04-ElGamal
// signatures are verified as one batch per (epoch, key epoch). On a single-manager chain of
// genesis version 7 the manager's opener key (chain/manager_opener_key.h, its proof checked)
// is installed the same way at key epoch kManagerOpenerKeyEpoch by refresh_opener_keys, so the
// chain's records batch alike. Kept in its own library
// (hc_chain_bbs04) so hc_chain does not depend on the pairing code.
//
// Thread-safety: verify(), verify_under_opener_key(s)() and check_revocation() may run
// concurrently; apply_revocation() and refresh_opener_keys() must not run concurrently with
// anything (the application guarantees this).
#pragma once

#include <set>
#include <utility>
#include <vector>

#include <map>
#include <memory>

#include "chain/genesis.h"
#include "chain/verifiers.h"

namespace hc::groupsig {
class PreparedGroupKey;
namespace elgamal {
class PreparedKey;
}
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
  Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                 ByteSpan signature) const override;
  // One batch (elgamal::verify_batch_grouped) per (epoch, key epoch) among the checks whose key
  // is installed; each failed item's status is then verify_under_opener_key's own (so a refused
  // block names the same reason as one-by-one checking: a signature refused by the fallback's
  // verify() is not verified again, a malformed one is decoded again alone). A key with a
  // single check (an admission) is checked without a batch; checks under a missing key get its
  // kNotFound.
  std::vector<Status> verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const override;
  Status refresh_opener_keys(const TrusteeStateView& view) override;
  // The key epochs whose opener key is installed, ascending.
  std::vector<std::uint64_t> opener_key_epochs() const;

  std::uint64_t latest_epoch() const { return keys_.rbegin()->first; }

 private:
  Bbs04RecordVerifier() = default;
  // Prepares the BBS04-ElGamal key of (epoch, key_epoch) from the BBS04 key of `epoch`.
  Status prepare_elgamal_key(std::uint64_t epoch, std::uint64_t key_epoch);
  // A version-7 single-manager genesis's opener key, once (kInvalidInput for a bad proof).
  Status install_manager_opener_key(const Genesis& genesis);

  std::map<std::uint64_t, std::unique_ptr<groupsig::PreparedGroupKey>> keys_;
  std::map<std::uint64_t, Bytes> opener_keys_;  // h (compressed G1) by key epoch
  std::set<std::uint64_t> failed_opener_epochs_;  // finalized without an opener key
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::unique_ptr<groupsig::elgamal::PreparedKey>> elgamal_keys_;
};

}  // namespace hc::chain
