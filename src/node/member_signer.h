// MemberSigner: the hospital's group membership inside its node. It holds the member key of
// the chain's current epoch, follows revocations committed on the chain (every non-revoked
// member updates its key from the public revocation record alone, BBS04 section 7), and
// group-signs record transactions submitted by the hospital's doctors. When a revocation names
// this hospital, its key cannot be updated and it refuses to sign from then on.
//
// Threading: thread-safe (one mutex): the API thread signs while the consensus thread applies
// committed revocations. The key is wiped when replaced or destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "chain/transaction.h"
#include "common/status.h"

namespace hc::groupsig {
struct MemberKey;
class Signer;
}

namespace hc::node {

class MemberSigner {
 public:
  explicit MemberSigner(std::unique_ptr<groupsig::MemberKey> key);
  ~MemberSigner();

  // Applies a committed revocation record (groupsig encoding) that starts `new_epoch`.
  // Revocations of epochs the key already has are ignored. Marks the signer revoked when the
  // record names this member (or its key cannot be updated).
  void apply_revocation(std::uint64_t new_epoch, ByteSpan record);

  // Fills tx.epoch and tx.group_signature. kAuthFailed once this member is revoked;
  // kUnavailable if the key's epoch is behind `chain_epoch` (a revocation not yet applied).
  Status sign(chain::RecordTx& tx, std::uint64_t chain_epoch) const;

  const std::string& member_name() const;
  std::uint64_t epoch() const;
  bool revoked() const;

 private:
  void rebuild_signer();

  std::unique_ptr<groupsig::MemberKey> key_;
  // Fixed-base tables for the key's epoch (built once per epoch, ~13 ms): a signature then
  // needs no pairing (groupsig/sign.h).
  std::unique_ptr<groupsig::Signer> signer_;
  bool revoked_ = false;
  mutable std::mutex mutex_;
};

}  // namespace hc::node
