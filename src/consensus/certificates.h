// Standalone verification of the PBFT certificates.
//
// verify_commit_certificate() is what a light client, the ledger or a peer doing state
// transfer runs to check that a block is final, given only the replicas' public keys (as a
// Verifier) and n. Each function returns ok, or kAuthFailed / kInvalidInput with the reason.
// Thread-safety: as the Verifier passed in.
#pragma once

#include "consensus/crypto.h"
#include "consensus/messages.h"

namespace hc::consensus {

inline ReplicaId primary_of(ViewNumber view, std::uint32_t n) {
  return static_cast<ReplicaId>(view % n);
}

// 2f+1 valid COMMIT signatures by distinct members on (cert.view, cert.seq, cert.digest), and
// the block's height and digest match.
Status verify_commit_certificate(const CommittedBlock& committed, std::uint32_t replica_count,
                                 Verifier& verifier);

// Genesis (seq 0, no signatures), or 2f+1 valid CHECKPOINT signatures by distinct members.
Status verify_checkpoint_proof(const CheckpointProof& proof, std::uint32_t replica_count,
                               Verifier& verifier);

// The primary's PRE-PREPARE signature plus 2f PREPAREs by distinct backups, and the block
// matches the digest and seq.
Status verify_prepared_certificate(const PreparedCertificate& cert, std::uint32_t replica_count,
                                   Verifier& verifier);

// The signature of a VIEW-CHANGE and everything it carries (checkpoint proof, prepared
// certificates strictly above the checkpoint, ascending, below new_view).
Status verify_view_change(const SignedViewChange& svc, const ConsensusConfig& config,
                          Verifier& verifier);

}  // namespace hc::consensus
