#include "node/ledger_bridge.h"

#include <algorithm>

#include "chain/consensus_parameters.h"
#include "chain/consortium_configuration.h"
#include "chain/merkle.h"
#include "consensus/certificates.h"

namespace hc::node {

consensus::Block engine_block_of(const chain::Block& block) {
  consensus::Block b;
  b.height = block.header.height;
  b.timestamp_ms = block.header.timestamp_ms;
  b.view = block.header.view;
  b.proposer = block.header.proposer;
  b.txs = block.transactions;
  return b;
}

chain::Block ledger_block_of(const consensus::Block& block, const chain::BlockHeader* tip_header,
                             const chain::Digest& genesis_hash, const chain::Digest& app_hash) {
  chain::Block out;
  out.header.height = block.height;
  out.header.previous_hash = tip_header ? chain::block_hash(*tip_header) : genesis_hash;
  out.header.timestamp_ms = block.timestamp_ms;
  out.header.view = block.view;
  out.header.proposer = block.proposer;
  out.header.app_hash = app_hash;
  out.transactions = block.txs;
  out.header.merkle_root = chain::merkle_root(chain::transaction_ids(out));
  return out;
}

Result<std::unique_ptr<PbftCertificateVerifier>> PbftCertificateVerifier::create(const chain::Genesis& genesis) {
  for (std::size_t i = 0; i < genesis.replicas.size(); ++i) {
    if (genesis.replicas[i].id != i) return invalid_input("genesis replica ids must be 0..n-1");
  }
  return std::unique_ptr<PbftCertificateVerifier>(new PbftCertificateVerifier(genesis));
}

PbftCertificateVerifier::PbftCertificateVerifier(const chain::Genesis& genesis)
    : genesis_(genesis), chain_id_(chain::genesis_hash(genesis)), id_space_(chain::replica_id_space(genesis)) {}

Status PbftCertificateVerifier::verify(const chain::BlockHeader& header, const chain::Digest& hash,
                                       const std::vector<chain::Digest>& tx_ids, ByteSpan certificate) const {
  // No membership change is known: the genesis state, hence the genesis configuration.
  const chain::MemoryTrusteeView genesis_state(genesis_, chain_id_);
  return verify_in_chain(header, hash, tx_ids, certificate, genesis_state);
}

Status PbftCertificateVerifier::verify_in_chain(const chain::BlockHeader& header, const chain::Digest& /*hash*/,
                                                const std::vector<chain::Digest>& tx_ids, ByteSpan certificate,
                                                const chain::TrusteeStateView& committed) const {
  HC_ASSIGN_OR_RETURN(consensus::CommitCertificate cert, consensus::decode_commit_certificate(certificate, id_space_));
  auto config = chain::configuration_at(committed, header.height);
  if (!config.ok()) return config.status();  // a local fault (corrupt state), never the block's
  auto verifier = consensus::Ed25519Verifier::create({});
  if (!verifier.ok()) return verifier.status();
  for (std::size_t i = 0; i < config->members.size(); ++i) {
    HC_RETURN_IF_ERROR((*verifier)->add_key(config->members[i], config->keys[i]));
  }
  // The engine's digest covers the header's height, timestamp, view and proposer and the
  // transaction ids; the Merkle root, previous hash and app hash are checked by the ledger.
  consensus::Digest digest =
      consensus::block_digest_of(header.height, header.timestamp_ms, header.view, header.proposer, tx_ids);
  // Signers must be members of the height's configuration, a quorum of it, and have signed
  // under its number (the signing input binds it: an old configuration's votes do not verify).
  const consensus::Configuration engine_config{config->number, config->members};
  Status s = consensus::verify_commit_certificate_for(chain_id_, cert, header.height, digest, engine_config, **verifier);
  if (!s.ok() && s.code() == ErrorCode::kInvalidInput) return Status::error(ErrorCode::kAuthFailed, s.message());
  return s;
}

LedgerApplication::LedgerApplication(chain::LedgerStore& store, chain::HealthchainApp& app, MembershipReports reports)
    : store_(store), app_(app), reports_(reports) {}

chain::Block LedgerApplication::to_ledger(const consensus::Block& block) const {
  chain::ChainTip tip = store_.tip();
  std::optional<chain::Block> tip_block;
  if (tip.height > 0) {
    auto read = store_.read_block(tip.height);
    HC_CHECK(read.ok());  // the tip was checked when opened and written
    tip_block = std::move(read).value();
  }
  return ledger_block_of(block, tip_block ? &tip_block->header : nullptr, store_.genesis_hash(), app_.app_hash());
}

Status LedgerApplication::check_tx(ByteSpan tx) {
  Status checked = app_.check_tx(tx);
  if (!checked.ok()) ++failed_checks_;
  return checked;
}

Status LedgerApplication::check_tx_verified(ByteSpan tx) {
  Status checked = app_.check_tx_verified(tx);
  if (!checked.ok()) ++failed_checks_;
  return checked;
}

std::vector<Status> LedgerApplication::check_txs_verified(const std::vector<Bytes>& txs) {
  std::vector<Status> verdicts = app_.check_txs_verified(txs);
  for (const Status& v : verdicts) {
    if (!v.ok()) ++failed_checks_;
  }
  return verdicts;
}

std::vector<std::size_t> LedgerApplication::check_deferred(const std::vector<Bytes>& txs) {
  std::vector<std::size_t> failing = app_.check_deferred(txs);
  if (deferred_failure_observer_) {
    for (std::size_t i : failing) deferred_failure_observer_(chain::transaction_id(txs[i]));
  }
  return failing;
}

Status LedgerApplication::validate_block(const consensus::Block& block) {
  if (block.height != store_.tip().height + 1) {
    return invalid_input("block height " + std::to_string(block.height) + " does not extend the tip");
  }
  return app_.validate_block(to_ledger(block));
}

Status LedgerApplication::commit_block(const consensus::CommittedBlock& committed) {
  chain::Block block = to_ledger(committed.block);
  block.commit_certificate = consensus::encode_commit_certificate(committed.cert);
  auto result = app_.commit_block(block);
  return result.ok() ? Status::ok_status() : result.status();
}

bool LedgerApplication::contains_tx(const consensus::Digest& tx_digest) const {
  auto found = store_.find_transaction(tx_digest);  // the engine's digest is the ledger's id
  return found.ok() && found->has_value();
}

consensus::SeqNumber LedgerApplication::last_height() const { return store_.tip().height; }

std::vector<consensus::AcceptedChange> LedgerApplication::accepted_changes(consensus::SeqNumber from_height) const {
  if (reports_ == MembershipReports::kGenesisOnly) return {};
  auto changes = app_.membership_changes(from_height);
  HC_CHECK(changes.ok());  // committed state the engine must know; a failed read is a local fault
  std::vector<consensus::AcceptedChange> out;
  for (chain::MembershipChange& c : *changes) out.push_back(consensus::AcceptedChange{c.height, std::move(c.members)});
  return out;
}

Bytes LedgerApplication::app_hash() const {
  chain::Digest d = app_.app_hash();
  return Bytes(d.begin(), d.end());
}

std::optional<consensus::CommittedBlock> LedgerApplication::load_block(consensus::SeqNumber height) const {
  if (height == 0 || height > store_.tip().height) return std::nullopt;
  auto block = store_.read_block(height);
  if (!block.ok()) return std::nullopt;
  auto cert = consensus::decode_commit_certificate(block->commit_certificate, chain::replica_id_space(store_.genesis()));
  if (!cert.ok()) return std::nullopt;
  return consensus::CommittedBlock{engine_block_of(*block), std::move(cert).value()};
}

}  // namespace hc::node
