// Encoders and decoders of the structures shared by messages and persisted records.
// Internal to the consensus module. Pure functions, thread-safe.
#pragma once

#include "consensus/messages.h"
#include "consensus/wire_reader.h"

namespace hc::consensus {

// seq:u64 | state_digest:32 | count:u32 | count x (replica:u32 | sig:64)
void put_checkpoint_proof(Bytes& out, const CheckpointProof& proof);
// view:u64 | seq:u64 | digest:32 | preprepare_sig:64 | prepares (as above)
void put_prepared_proof(Bytes& out, const PreparedProof& proof);
// The proof followed by the block (persisted records only; VIEW-CHANGE carries proofs).
void put_prepared(Bytes& out, const PreparedCertificate& cert);

// view:u64 | seq:u64 | digest:32 | commits (as above)
void put_commit_cert(Bytes& out, const CommitCertificate& cert);

Block get_block(WireReader& r, const DecodeLimits& lim);
CommitCertificate get_commit_cert(WireReader& r, const DecodeLimits& lim);
CheckpointProof get_checkpoint_proof(WireReader& r, const DecodeLimits& lim);
PreparedProof get_prepared_proof(WireReader& r, const DecodeLimits& lim);
PreparedCertificate get_prepared(WireReader& r, const DecodeLimits& lim);

}  // namespace hc::consensus
