// Helpers for the ledger's tests and benchmark: a deterministic 4-replica consortium, the
// manager's admin key, a real RSA-3072 envelope key, seeded record transactions signed with
// the FakeGroupVerifier test double, and blocks with real PBFT commit certificates: 2f+1 COMMIT
// signatures by the genesis replicas over the engine's digest of the ledger block, exactly what
// hc-node stores (node/ledger_bridge.h), checked by node::PbftCertificateVerifier. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "chain/block.h"
#include "chain/fake_group_verifier.h"
#include "chain/genesis.h"
#include "chain/ledger_store.h"
#include "chain/transaction.h"
#include "common/secure_bytes.h"
#include "consensus/types.h"
#include "node/ledger_bridge.h"

namespace hc::chain::testing {

// A fresh empty directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An RSA-3072 SPKI DER (test data in tests/chain/data/, made with `openssl genpkey`).
const Bytes& test_envelope_spki();
// A second, different one.
const Bytes& other_envelope_spki();

class TestConsortium {
 public:
  // `group_public_key` goes into the genesis (default: 200 filler bytes, for the fake verifier).
  explicit TestConsortium(std::uint32_t replicas = 4, Bytes group_public_key = Bytes(200, 0x5a));
  // Switches the genesis to trustees mode with these trustee keys and threshold (before any
  // store is created from it).
  void use_trustees(std::vector<crypto::P256PointBytes> trustee_keys, std::uint16_t threshold);
  const Genesis& genesis() const { return genesis_; }
  const Digest& genesis_hash() const { return genesis_hash_; }
  const SecureBytes& admin_seed() const { return admin_seed_; }
  // Replica `id`'s Ed25519 seed (ids 0..replicas-1).
  const SecureBytes& replica_seed(std::uint32_t id) const { return replica_seeds_.at(id); }
  // Gives replica i (ids 0..replicas-1) the TLS CA certificate pems[i] (before any store is
  // created from the genesis; an empty text leaves that replica without one).
  void use_tls_ca_certificates(const std::vector<std::string>& pems);
  // Switches the genesis to these governance rules (before any store is created from it).
  void use_governance(const GovernanceRules& rules);
  // Makes the trustees genesis version 6: DKG deals only in the proven form (after use_trustees,
  // before any store is created from it).
  void require_proven_dkg_deals();
  // Makes the single-manager genesis version 7 with this opener key (before any store is
  // created from it); the key's proof must be over the genesis as it is (test's duty).
  void use_manager_opener_key(const ManagerOpenerKey& key);
  FakeGroupVerifier& group() { return *group_; }
  const node::PbftCertificateVerifier& certificates() const { return *certificates_; }
  KeyId envelope_key_id() const { return key_id_of(test_envelope_spki()); }

  // A record for `serial` in `epoch` with a seeded ciphertext of `ciphertext_bytes`, sealed to
  // `key_id` (default: the test envelope key).
  RecordTx make_record(const Serial& serial, std::uint64_t epoch, std::size_t ciphertext_bytes = 64,
                       const KeyId* key_id = nullptr);
  Bytes encode_signed_record(const Serial& serial, std::uint64_t epoch, std::size_t ciphertext_bytes = 64);
  Transaction signed_manager(Transaction tx) const;
  Bytes publish_key_tx(const Bytes& spki) const;
  // `accessor` empty: the audit form from before issue 15 (wire kind 5).
  Bytes audit_tx(const Serial& serial, std::uint64_t timestamp_ms, const std::string& purpose,
                 const std::string& accessor = {}) const;
  Bytes enrollment_tx(const std::string& member) const;
  Bytes revocation_tx(std::uint64_t new_epoch) const;

  // The next block on `tip` with a certificate signed by the first quorum() replicas.
  Block make_block(const ChainTip& tip, std::vector<Bytes> txs, std::uint64_t timestamp_ms = 0) const;
  // The engine's commit certificate for `block` (its digest recomputed from the header and the
  // transaction ids), in view header.view, signed by replicas 0..signers-1.
  consensus::CommitCertificate commit_certificate_for(const Block& block, std::size_t signers) const;
  // The same, encoded as the ledger stores it.
  Bytes certificate_for(const Block& block, std::size_t signers) const;
  // Replica `replica`'s COMMIT signature on `cert`'s (view, seq, digest).
  consensus::SignedBy commit_signature(std::uint32_t replica, const consensus::CommitCertificate& cert) const;
  // A replica that signs a certificate: its id and Ed25519 seed (a genesis replica's is
  // replica_seed(id); a joined member's is its own).
  struct Signer {
    std::uint32_t id = 0;
    const SecureBytes* seed = nullptr;
  };
  // `block`'s commit certificate signed by `signers` under configuration number `config`
  // (issue 16: the configuration of the block's height), encoded as the ledger stores it.
  Bytes certificate_in(const Block& block, std::uint64_t config, const std::vector<Signer>& signers) const;

  Serial serial_of(std::uint64_t patient) const;
  std::mt19937_64& rng() { return rng_; }

 private:
  Genesis genesis_;
  Digest genesis_hash_{};
  std::vector<SecureBytes> replica_seeds_;
  SecureBytes admin_seed_;
  std::unique_ptr<FakeGroupVerifier> group_;
  std::unique_ptr<node::PbftCertificateVerifier> certificates_;
  std::mt19937_64 rng_{20261124};
};

// The next block of a deterministic chain used by the crash test: `records_per_block` records
// of patients derived from the height, sealed to a fixed key id (the store does not check key
// ids; the application does). Built on `tip`.
Block deterministic_block(TestConsortium& c, const ChainTip& tip, std::size_t records_per_block);

}  // namespace hc::chain::testing
