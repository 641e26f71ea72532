// The two external checks the ledger delegates, as small interfaces so hc_chain depends on
// neither implementation: the group signature of a record (Bbs04RecordVerifier, over
// src/crypto/groupsig) and the commit certificate of a block (node::PbftCertificateVerifier in
// src/node/ledger_bridge.h, the PBFT engine's certificate, the only format stored).
//
// Thread-safety: verify() and check_revocation() of RecordSignatureVerifier and verify() of
// CommitCertificateVerifier must be safe to call concurrently from several threads (the
// application verifies on a pool). apply_revocation() is only ever called by the application's
// commit path while no verification of that verifier runs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "chain/block.h"
#include "chain/digest.h"
#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

class TrusteeStateView;

// One BBS04-ElGamal signature check of a batch (verify_under_opener_keys): what
// verify_under_opener_key takes. The signature bytes must outlive the call.
struct OpenerKeyCheck {
  std::uint64_t epoch = 0;
  std::uint64_t key_epoch = 0;
  Digest digest{};
  ByteSpan signature;
};

class RecordSignatureVerifier {
 public:
  virtual ~RecordSignatureVerifier() = default;
  // ok if `signature` is a valid group signature on `digest` (record_signing_digest) under the
  // group public key of `epoch`; kAuthFailed if not; kNotFound if the epoch is unknown;
  // kInvalidInput if the signature bytes are malformed.
  virtual Status verify(std::uint64_t epoch, const Digest& digest, ByteSpan signature) const = 0;
  // ok if `record` is a valid revocation record moving epoch new_epoch-1 to new_epoch; does not
  // change state. kInvalidInput / kAuthFailed otherwise.
  virtual Status check_revocation(std::uint64_t new_epoch, ByteSpan record) const = 0;
  // Installs the group public key of new_epoch derived from `record` (after check_revocation).
  virtual Status apply_revocation(std::uint64_t new_epoch, ByteSpan record) = 0;

  // Trustees mode (issue 13 item 4): ok if `signature` is a valid BBS04-ElGamal signature on
  // `digest` under the group key of `epoch` with the trustees' opener key of key epoch
  // `key_epoch`; kNotFound if that key epoch has no opener key; otherwise as verify(). This
  // default (a verifier without the variant) refuses with kInvalidInput.
  virtual Status verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch, const Digest& digest,
                                         ByteSpan signature) const;
  // verify_under_opener_key for many signatures (a block's records): one status per check, in
  // order, each what verify_under_opener_key returns for it, except that a bad signature may
  // pass with probability at most 2^-64 (batch verification, docs/groupsig.md). This default
  // checks them one by one; Bbs04RecordVerifier batches them per (epoch, key epoch).
  virtual std::vector<Status> verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const;
  // Learns the opener keys formed in the committed trustees state `view` (the application calls
  // it at start and after each commit, with the same guarantee as apply_revocation). The
  // default learns nothing.
  virtual Status refresh_opener_keys(const TrusteeStateView& view);
};

class CommitCertificateVerifier {
 public:
  virtual ~CommitCertificateVerifier() = default;
  // ok if `certificate` proves that the block with `header` (whose hash is `hash`) and these
  // transaction ids (in block order) was committed; kAuthFailed / kInvalidInput naming what is
  // wrong otherwise. Header, hash and ids are what a light client holds, so retrieval can be
  // checked without the other transactions of the block.
  // This form knows the genesis only, so it checks against the genesis configuration: what a
  // light client holding the genesis can check (a block above a membership change's boundary
  // is refused by it; docs/consensus.md section 2c).
  virtual Status verify(const BlockHeader& header, const Digest& hash, const std::vector<Digest>& tx_ids,
                        ByteSpan certificate) const = 0;
  // The same check against the configuration of header.height as the chain's committed state
  // `committed` fixes it (consortium_configuration.h): `committed` holds at least every block
  // below the height. What the ledger runs on commit and `hc chain verify` while replaying.
  virtual Status verify_in_chain(const BlockHeader& header, const Digest& hash, const std::vector<Digest>& tx_ids,
                                 ByteSpan certificate, const TrusteeStateView& committed) const = 0;
};

}  // namespace hc::chain
