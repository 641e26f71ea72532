// The consortium's configuration history as a client verifies it from the genesis (issue 16;
// docs/consensus.md section 2c, "Clients follow the changes"): each membership change's proof
// (chain/change_proof.h) is checked in height order against the configurations the genesis
// and the changes verified before it fix, and the governance entries it proves are kept in an
// in-memory state, so that the ledger's own check, CommitCertificateVerifier::verify_in_chain,
// can verify any later certificate against that state. Per proof at height h:
//   - the headers are those of h and h+1 and h+1 extends h (previous hash), each header's
//     Merkle root is that of its transaction ids;
//   - block h's certificate verifies under the configuration of h, block h+1's under that of
//     h+1 (both from the genesis and the changes verified so far);
//   - app_hash(h), recomputed from header(h).app_hash, h, block_hash(h) and SHA-256 of the
//     state-change bytes, equals header(h+1).app_hash;
//   - the state changes decode (canonically) and hold consortium/change/<h> and
//     consortium/head, whose change counter is one above the changes verified before it (a
//     node that leaves a change out is caught at the next one).
// Only the consortium/change/, consortium/member/, consortium/key/ and consortium/head entries
// are kept. A node that withholds the newest changes only makes the client lag: certificates
// signed under a configuration it does not know are then refused, never accepted.
// Not thread-safe (FollowingCertificateVerifier serializes it); the object must not move
// while its view() is in use (it is held by unique_ptr).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "chain/change_proof.h"
#include "chain/genesis.h"
#include "chain/state_changes.h"
#include "chain/trustee_state.h"
#include "chain/verifiers.h"
#include "common/status.h"

namespace hc::client {

class ConfigurationHistory {
 public:
  explicit ConfigurationHistory(const chain::Genesis& genesis);
  ConfigurationHistory(const ConfigurationHistory&) = delete;
  ConfigurationHistory& operator=(const ConfigurationHistory&) = delete;

  // Verifies `proofs` (a node's whole list, in height order) and keeps what they prove. The
  // proofs already verified must come first, unchanged (they are skipped; a node that now
  // answers differently is refused). kAuthFailed naming the height and the check that failed,
  // kInvalidInput for malformed state changes; the proofs verified before a failing one are kept.
  Status extend(const std::vector<chain::ChangeProof>& proofs, const chain::CommitCertificateVerifier& certificates);

  // The verified governance state: the genesis plus every verified change's entries.
  const chain::TrusteeStateView& view() const { return *view_; }
  std::size_t verified_changes() const { return verified_.size(); }

 private:
  Status verify_one(const chain::ChangeProof& proof, const chain::CommitCertificateVerifier& certificates,
                    std::vector<chain::TrusteeStateEntry>& kept) const;

  std::unique_ptr<chain::Genesis> genesis_;
  chain::Digest genesis_hash_{};
  std::vector<chain::ChangeProof> verified_;
  std::vector<chain::TrusteeStateEntry> entries_;  // every kept entry, in the order applied
  std::unique_ptr<chain::MemoryTrusteeView> view_;
};

}  // namespace hc::client
