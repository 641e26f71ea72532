// MemberSigner: the hospital's group membership inside its node. It holds the member key of
// the chain's current epoch, follows revocations committed on the chain (every non-revoked
// member updates its key from the public revocation record alone, BBS04 section 7), and
// group-signs record transactions submitted by the hospital's doctors. When a revocation names
// this hospital, its key cannot be updated and it refuses to sign from then on.
//
// Which signature a record gets follows its envelope (docs/ledger.md, "Records of envelope
// version 2"; docs/groupsig.md, "BBS04-ElGamal"):
//  - version 1 (single-manager mode, the paper's): BBS04 under the group key of the epoch;
//  - version 2 (trustees mode): BBS04-ElGamal under the opener key h_e the trustees generated
//    in the key epoch e of the record's access key (chain/opener_key_state.h), read from the
//    committed ledger state. A record whose key epoch has no opener key is refused, never
//    signed with anything else, so only t trustees can name the hospital behind it;
//  - version 1 on a single-manager chain of genesis version 7: BBS04-ElGamal under the
//    manager's opener key from the genesis (chain/manager_opener_key.h), so the chain's
//    records batch-verify; the manager alone opens them.
// Prepared ElGamal signers (fixed-base tables, ~15 ms to build) are cached per (revocation
// epoch, key epoch), at most kMaxElGamalSigners, and dropped when a revocation moves the key.
//
// Threading: thread-safe (one mutex): the API thread signs while the consensus thread applies
// committed revocations. Keys are wiped when replaced or destroyed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "common/status.h"

namespace hc::groupsig {
struct MemberKey;
class Signer;
namespace elgamal {
class Signer;
}
}  // namespace hc::groupsig

namespace hc::chain {
class TrusteeStateView;
}

namespace hc::node {

class MemberSigner {
 public:
  static constexpr std::size_t kMaxElGamalSigners = 8;

  // `key` may be null: a joined hospital whose member key has not reached it yet (it comes
  // boxed in its enrollment on the chain, node/member_enrollment.h); install_key() sets it.
  explicit MemberSigner(std::unique_ptr<groupsig::MemberKey> key);
  ~MemberSigner();

  // Sets the member key of a signer made without one (kInvalidInput if it already has one).
  // The caller then applies the revocations committed after the key's epoch.
  Status install_key(std::unique_ptr<groupsig::MemberKey> key);
  bool has_key() const;

  // Applies a committed revocation record (groupsig encoding) that starts `new_epoch`.
  // Revocations of epochs the key already has are ignored. Marks the signer revoked when the
  // record names this member (or its key cannot be updated).
  void apply_revocation(std::uint64_t new_epoch, ByteSpan record);

  // Fills tx.epoch and tx.group_signature as above; `ledger` is the committed state (its
  // genesis says the mode; in trustees mode its transcript gives the opener keys).
  // kUnavailable while the signer has no key (the enrollment not yet committed);
  // kAuthFailed once this member is revoked; kUnavailable if the key's epoch is behind
  // `chain_epoch` (a revocation not yet applied); kInvalidInput for an envelope the chain's
  // mode refuses, an access key id that names no formed key epoch, or a key epoch whose opener
  // key has not formed (or failed); kCorrupt if the ledger state does not read.
  Status sign(chain::RecordTx& tx, std::uint64_t chain_epoch, const chain::TrusteeStateView& ledger) const;
  // A version-1 record as the single-manager chain of `genesis` requires it, without the ledger:
  // BBS04-ElGamal under the manager's opener key from genesis version 7, plain BBS04 before.
  // kInvalidInput for a trustees-mode genesis or another envelope.
  Status sign(chain::RecordTx& tx, std::uint64_t chain_epoch, const chain::Genesis& genesis) const;

  // Empty / 0 while the signer has no key.
  std::string member_name() const;
  std::uint64_t epoch() const;
  bool revoked() const;

 private:
  void rebuild_signer();
  Status check_can_sign(std::uint64_t chain_epoch) const;  // under mutex_
  Status sign_bbs04(chain::RecordTx& tx) const;
  Status sign_elgamal(chain::RecordTx& tx, const chain::TrusteeStateView& ledger) const;
  Status sign_under_manager_opener_key(chain::RecordTx& tx, const chain::ManagerOpenerKey& key) const;
  // The prepared signer of the current epoch under the opener key h (compressed), cached in
  // slot (epoch, key_epoch); `what` names the key in errors.
  Result<const groupsig::elgamal::Signer*> elgamal_signer_under(std::uint64_t key_epoch, ByteSpan h_bytes,
                                                                const std::string& what) const;
  // The prepared signer of the current epoch under key epoch `key_epoch`'s opener key.
  Result<const groupsig::elgamal::Signer*> elgamal_signer(std::uint64_t key_epoch,
                                                          const chain::TrusteeStateView& ledger) const;

  std::unique_ptr<groupsig::MemberKey> key_;
  // Fixed-base tables for the key's epoch (built once per epoch, ~13 ms): a signature then
  // needs no pairing (groupsig/sign.h).
  std::unique_ptr<groupsig::Signer> signer_;
  // Trustees mode: the opener key of each key epoch seen (compressed G1; immutable once
  // formed) and the prepared signers by (revocation epoch, key epoch).
  mutable std::map<std::uint64_t, Bytes> opener_keys_;
  mutable std::map<std::pair<std::uint64_t, std::uint64_t>, std::unique_ptr<groupsig::elgamal::Signer>>
      elgamal_signers_;
  bool revoked_ = false;
  mutable std::mutex mutex_;
};

}  // namespace hc::node
