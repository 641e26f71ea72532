// Standalone verification of the PBFT certificates.
//
// verify_commit_certificate() is what a light client, the ledger or a peer doing state
// transfer runs to check that a block is final, given only the replicas' public keys (as a
// Verifier), the configuration of the block's height (members, quorum and number, section 2c
// of docs/consensus.md) and the chain id (the genesis hash: signatures are bound to both). Each function returns ok, or kAuthFailed / kInvalidInput with the reason.
// Thread-safety: as the Verifier passed in.
#pragma once

#include "consensus/crypto.h"
#include "consensus/messages.h"

namespace hc::consensus {

// A quorum (cfg.quorum(): 2f+1 when n = 3f+1) of valid COMMIT signatures by distinct members of cfg (the configuration of the block's
// height) on (cert.view, cert.seq, cert.digest) under cfg.number, and the block's height and
// digest match.
Status verify_commit_certificate(const ChainId& chain, const CommittedBlock& committed, const Configuration& cfg,
                                 Verifier& verifier);

// The same check for a block known only by its height and digest (block_digest_of its header
// fields and transaction digests): what a light client holding a ledger header and the block's
// transaction ids runs.
Status verify_commit_certificate_for(const ChainId& chain, const CommitCertificate& cert, SeqNumber height,
                                     const Digest& digest, const Configuration& cfg, Verifier& verifier);

// Standalone encoding of a commit certificate, kept by the ledger with each block:
// "HCCC" | version:u8 = 1 | view:u64 | seq:u64 | digest:32 | count:u32 | count x (replica:u32 | sig:64).
Bytes encode_commit_certificate(const CommitCertificate& cert);
// kInvalidInput for anything the encoder would not produce (or more than replica_count signers).
Result<CommitCertificate> decode_commit_certificate(ByteSpan bytes, std::uint32_t replica_count);

// Genesis (seq 0, no signatures), or a quorum of valid CHECKPOINT signatures by distinct members of
// cfg (the configuration of proof.seq).
Status verify_checkpoint_proof(const ChainId& chain, const CheckpointProof& proof, const Configuration& cfg,
                               Verifier& verifier);

// The primary's PRE-PREPARE signature plus quorum - 1 PREPAREs by distinct backups, all on
// (view, seq, digest). The block is not part of the proof: whoever later holds a block for it
// checks block_digest(block) == digest (and block.height == seq) itself.
Status verify_prepared_proof(const ChainId& chain, const PreparedProof& proof, const Configuration& cfg,
                             Verifier& verifier);

// The signature of a VIEW-CHANGE of configuration `config_number` (on config.chain_id, by a
// member) and everything it carries: a checkpoint proof whose next sequence number belongs to
// that configuration (the proof checked with the configuration of its own sequence number), and
// prepared proofs strictly above it, ascending, below new_view, inside the window and the same
// configuration. Sequence numbers above known_through (whose configuration the caller cannot
// know yet) are refused. A view change never mixes configurations.
Status verify_view_change(const SignedViewChange& svc, const ConsensusConfig& config, const ConfigSchedule& schedule,
                          ConfigNumber config_number, SeqNumber known_through, Verifier& verifier);

}  // namespace hc::consensus
