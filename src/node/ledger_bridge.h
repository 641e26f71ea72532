// The bridge between the PBFT engine and the ledger: how an engine block becomes a ledger
// block, how the engine's commit certificate is stored in and checked for a ledger block, and
// the engine's Application implemented on top of the ledger's HealthchainApp.
//
// Block mapping (docs/node.md): the engine block carries (height, proposer's timestamp, view of
// proposal, proposer, transactions); the ledger header adds the previous block hash, the Merkle
// root of the transaction ids and the application hash after height-1, and its timestamp is
// max(engine timestamp, previous header's timestamp), so headers, and thus block hashes, are
// identical on every correct replica. The ledger block's opaque certificate field holds the
// engine's encoded CommitCertificate; PbftCertificateVerifier rebuilds the engine block from a
// ledger block and checks 2f+1 COMMIT signatures with the genesis replica keys.
//
// Thread-safety: LedgerApplication is driven by the replica's thread; PbftCertificateVerifier's
// verify() is safe to call concurrently (it holds no mutable state besides OpenSSL contexts
// created per call).
#pragma once

#include <memory>
#include <vector>

#include "chain/genesis.h"
#include "chain/healthchain_app.h"
#include "chain/ledger_store.h"
#include "consensus/application.h"
#include "consensus/crypto.h"

namespace hc::node {

// The engine block that a ledger block was made from.
consensus::Block engine_block_of(const chain::Block& block);

// The ledger block for an engine block on top of `tip_header` (nullptr at height 1, where the
// previous hash is the genesis hash and the previous timestamp the genesis time).
chain::Block ledger_block_of(const consensus::Block& block, const chain::BlockHeader* tip_header,
                             const chain::Digest& genesis_hash, std::uint64_t genesis_time_ms,
                             const chain::Digest& app_hash);

Bytes encode_engine_certificate(const consensus::CommitCertificate& cert);
Result<consensus::CommitCertificate> decode_engine_certificate(ByteSpan bytes);

class PbftCertificateVerifier final : public chain::CommitCertificateVerifier {
 public:
  // The replicas of the genesis, ids 0..n-1 in order.
  static Result<std::unique_ptr<PbftCertificateVerifier>> create(const chain::Genesis& genesis);
  Status verify(const chain::Block& block, const chain::Digest& hash, ByteSpan certificate) const override;

 private:
  std::vector<consensus::PublicKey> keys_;
};

class LedgerApplication final : public consensus::Application {
 public:
  LedgerApplication(chain::LedgerStore& store, chain::HealthchainApp& app);

  Status check_tx(ByteSpan tx) override;
  Status validate_block(const consensus::Block& block) override;
  Status commit_block(const consensus::CommittedBlock& block) override;
  bool contains_tx(ByteSpan tx) const override;
  consensus::SeqNumber last_height() const override;
  Bytes app_hash() const override;
  std::optional<consensus::CommittedBlock> load_block(consensus::SeqNumber height) const override;

 private:
  chain::Block to_ledger(const consensus::Block& block) const;

  chain::LedgerStore& store_;
  chain::HealthchainApp& app_;
};

}  // namespace hc::node
