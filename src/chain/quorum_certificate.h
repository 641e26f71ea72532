// The ledger's own commit certificate format: 2f+1 Ed25519 signatures of consortium replicas
// (keys from the genesis) over the block hash. It is a complete CommitCertificateVerifier so
// that `hc chain verify` and the tests check finality without the consensus engine; the PBFT
// engine may produce it, or plug in its own verifier behind the same interface.
//
// Encoding: "HCQC" | version u8 = 1 | u16 count | count x (replica id u32 | signature 64),
// ids strictly increasing. Signed message: "HC-COMMIT-v1" || genesis hash || block hash.
// Thread-safe (immutable after construction).
#pragma once

#include <utility>
#include <vector>

#include "chain/genesis.h"
#include "chain/verifiers.h"
#include "common/secure_bytes.h"

namespace hc::chain {

Bytes quorum_commit_message(const Digest& genesis_hash, const Digest& block_hash);

// Builds a certificate from (replica id, seed) signers; HC_CHECKs ids are increasing.
Result<Bytes> make_quorum_certificate(
    const Digest& genesis_hash, const Digest& block_hash,
    const std::vector<std::pair<std::uint32_t, const SecureBytes*>>& signers);

class QuorumCertificateVerifier final : public CommitCertificateVerifier {
 public:
  explicit QuorumCertificateVerifier(Genesis genesis);
  Status verify(const BlockHeader& header, const Digest& hash, const std::vector<Digest>& tx_ids,
                ByteSpan certificate) const override;

 private:
  Genesis genesis_;
  Digest genesis_hash_;
};

}  // namespace hc::chain
