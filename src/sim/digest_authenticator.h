// The simulator's message authenticator: a deterministic, keyless stand-in for Ed25519 that
// lets thousands of seeded runs sign every protocol message cheaply. The "signature" of
// replica r on m is SHA-256("HC-SIM/1/digest-auth" || r || m), twice, to fill 64 bytes. It
// catches corrupted and misattributed messages (what the checkers and Byzantine strategies
// need) but anyone can compute it, so it has no security and lives only in the simulator;
// `hc-sim --real-crypto` and every node use Ed25519 (consensus/crypto.h). Stateless apart
// from the replica id / count; thread-compatible.
#pragma once

#include "consensus/crypto.h"

namespace hc::sim {

consensus::Signature digest_authenticator(consensus::ReplicaId id, ByteSpan msg);

class DigestSigner final : public consensus::Signer {
 public:
  explicit DigestSigner(consensus::ReplicaId id) : id_(id) {}
  consensus::Signature sign(ByteSpan msg) override { return digest_authenticator(id_, msg); }

 private:
  consensus::ReplicaId id_;
};

// Accepts replica r's authenticator on m for r in 0..replica_count-1.
class DigestVerifier final : public consensus::Verifier {
 public:
  explicit DigestVerifier(std::uint32_t replica_count) : replica_count_(replica_count) {}
  bool verify(consensus::ReplicaId signer, ByteSpan msg, const consensus::Signature& sig) override;

 private:
  std::uint32_t replica_count_;
};

}  // namespace hc::sim
