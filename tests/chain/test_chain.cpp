#include "chain/test_chain.h"

#include <unistd.h>

#include "chain/merkle.h"
#include "consensus/certificates.h"
#include "consensus/crypto.h"
#include "consensus/messages.h"
#include "common/file_io.h"
#include "chain/state_changes.h"
#include "crypto/ed25519.h"
#include "crypto/envelope_key.h"

namespace hc::chain::testing {

TempDir::TempDir(const std::string& name) {
  static int counter = 0;
  path_ = (std::filesystem::temp_directory_path() /
           ("hc-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
              .string();
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {
// Public RSA-3072 envelope keys kept as test data (generating one takes about a second).
Bytes load_spki(const char* name) {
  auto der = read_file(std::string(HC_SOURCE_DIR) + "/tests/chain/data/" + name, 4096);
  HC_CHECK(der.ok());
  HC_CHECK(crypto::check_rsa3072_spki(*der).ok());
  return std::move(der).value();
}

SecureBytes seed_of(std::uint8_t tag, std::uint32_t index) {
  SecureBytes seed(32);
  for (std::size_t i = 0; i < 32; ++i) seed.data()[i] = static_cast<std::uint8_t>(tag + i * 7 + index * 13);
  return seed;
}

Ed25519PublicKey public_key_of(const SecureBytes& seed) {
  auto key = crypto::Ed25519PrivateKey::from_seed(seed);
  HC_CHECK(key.ok());
  return key->public_key().bytes();
}

}  // namespace

const Bytes& test_envelope_spki() {
  static const Bytes spki = load_spki("envelope_key_1.spki.der");
  return spki;
}

const Bytes& other_envelope_spki() {
  static const Bytes spki = load_spki("envelope_key_2.spki.der");
  return spki;
}

TestConsortium::TestConsortium(std::uint32_t replicas, Bytes group_public_key) {
  genesis_.chain_name = "test-chain";
  genesis_.genesis_time_ms = 1700000000000;
  for (std::uint32_t i = 0; i < replicas; ++i) {
    replica_seeds_.push_back(seed_of(1, i));
    genesis_.replicas.push_back(ReplicaInfo{i, public_key_of(replica_seeds_.back())});
  }
  admin_seed_ = seed_of(2, 0);
  genesis_.manager_admin_key = public_key_of(admin_seed_);
  genesis_.group_public_key = std::move(group_public_key);
  genesis_hash_ = ::hc::chain::genesis_hash(genesis_);
  group_ = std::make_unique<FakeGroupVerifier>(genesis_.group_public_key);
  auto verifier = node::PbftCertificateVerifier::create(genesis_);
  HC_CHECK(verifier.ok());
  certificates_ = std::move(verifier).value();
}

void TestConsortium::use_manager_opener_key(const ManagerOpenerKey& key) {
  genesis_.manager_opener_key = key;
  HC_CHECK(check_genesis(genesis_).ok());
  genesis_hash_ = ::hc::chain::genesis_hash(genesis_);
  auto verifier = node::PbftCertificateVerifier::create(genesis_);  // bound to the genesis hash
  HC_CHECK(verifier.ok());
  certificates_ = std::move(verifier).value();
}

void TestConsortium::use_trustees(std::vector<crypto::P256PointBytes> trustee_keys, std::uint16_t threshold) {
  genesis_.access_mode = AccessMode::kTrustees;
  genesis_.trustee_keys = std::move(trustee_keys);
  genesis_.trustee_threshold = threshold;
  HC_CHECK(check_genesis(genesis_).ok());
  genesis_hash_ = ::hc::chain::genesis_hash(genesis_);
  auto verifier = node::PbftCertificateVerifier::create(genesis_);  // bound to the genesis hash
  HC_CHECK(verifier.ok());
  certificates_ = std::move(verifier).value();
}

void TestConsortium::use_tls_ca_certificates(const std::vector<std::string>& pems) {
  HC_CHECK(pems.size() <= genesis_.replicas.size());
  for (std::size_t i = 0; i < pems.size(); ++i) genesis_.replicas[i].tls_ca_pem = pems[i];
  HC_CHECK(check_genesis(genesis_).ok());
  genesis_hash_ = ::hc::chain::genesis_hash(genesis_);
  auto verifier = node::PbftCertificateVerifier::create(genesis_);  // bound to the genesis hash
  HC_CHECK(verifier.ok());
  certificates_ = std::move(verifier).value();
}

void TestConsortium::require_proven_dkg_deals() {
  genesis_.proven_dkg_deals = true;
  use_governance(genesis_.governance);  // checks the genesis and rebinds its hash and verifier
}

void TestConsortium::use_governance(const GovernanceRules& rules) {
  genesis_.governance = rules;
  HC_CHECK(check_genesis(genesis_).ok());
  genesis_hash_ = ::hc::chain::genesis_hash(genesis_);
  auto verifier = node::PbftCertificateVerifier::create(genesis_);  // bound to the genesis hash
  HC_CHECK(verifier.ok());
  certificates_ = std::move(verifier).value();
}

Serial TestConsortium::serial_of(std::uint64_t patient) const {
  Bytes b;
  append_u64_be(b, patient);
  return tagged_hash("TEST-PATIENT", {b});
}

RecordTx TestConsortium::make_record(const Serial& serial, std::uint64_t epoch,
                                     std::size_t ciphertext_bytes, const KeyId* key_id) {
  RecordTx r;
  r.sealed.serial = serial;
  r.sealed.key_id = key_id != nullptr ? *key_id : envelope_key_id();
  for (auto& b : r.sealed.wrapped_key) b = static_cast<std::uint8_t>(rng_());
  for (auto& b : r.sealed.nonce) b = static_cast<std::uint8_t>(rng_());
  r.sealed.ciphertext.resize(ciphertext_bytes);
  for (auto& b : r.sealed.ciphertext) b = static_cast<std::uint8_t>(rng_());
  r.epoch = epoch;
  r.group_signature = group_->sign(epoch, record_signing_digest(r));
  return r;
}

Bytes TestConsortium::encode_signed_record(const Serial& serial, std::uint64_t epoch,
                                           std::size_t ciphertext_bytes) {
  return encode_transaction(make_record(serial, epoch, ciphertext_bytes));
}

Transaction TestConsortium::signed_manager(Transaction tx) const {
  HC_CHECK(sign_manager_tx(tx, admin_seed_).ok());
  return tx;
}

Bytes TestConsortium::publish_key_tx(const Bytes& spki) const {
  return encode_transaction(signed_manager(PublishEnvelopeKeyTx{spki, {}}));
}

Bytes TestConsortium::audit_tx(const Serial& serial, std::uint64_t timestamp_ms,
                               const std::string& purpose, const std::string& accessor) const {
  AccessAuditTx a;
  a.accessor = accessor;
  a.serial = serial;
  a.manager_key_id = envelope_key_id();
  a.timestamp_ms = timestamp_ms;
  a.purpose = purpose;
  return encode_transaction(signed_manager(a));
}

Bytes TestConsortium::enrollment_tx(const std::string& member) const {
  return encode_transaction(signed_manager(EnrollmentTx{member, Bytes(96, 0x11), {}}));
}

Bytes TestConsortium::revocation_tx(std::uint64_t new_epoch) const {
  std::string rec = "REVOKE member-" + std::to_string(new_epoch);
  return encode_transaction(signed_manager(RevocationTx{new_epoch, Bytes(rec.begin(), rec.end()), {}}));
}

consensus::SignedBy TestConsortium::commit_signature(std::uint32_t replica,
                                                     const consensus::CommitCertificate& cert) const {
  HC_CHECK(replica < replica_seeds_.size());
  auto signer = consensus::Ed25519Signer::create(replica_seeds_[replica]);
  HC_CHECK(signer.ok());
  const Bytes statement = consensus::vote_statement(cert.view, cert.seq, cert.digest);
  return consensus::SignedBy{replica, (*signer)->sign(consensus::signing_input(genesis_hash_, 0, consensus::MsgType::kCommit, replica,
                                                                               statement))};
}

Bytes TestConsortium::certificate_in(const Block& block, std::uint64_t config, const std::vector<Signer>& signers) const {
  consensus::CommitCertificate cert;
  cert.view = block.header.view;
  cert.seq = block.header.height;
  cert.digest = consensus::block_digest(node::engine_block_of(block));
  const Bytes statement = consensus::vote_statement(cert.view, cert.seq, cert.digest);
  for (const Signer& s : signers) {
    auto signer = consensus::Ed25519Signer::create(*s.seed);
    HC_CHECK(signer.ok());
    cert.commits.push_back(consensus::SignedBy{
        s.id, (*signer)->sign(consensus::signing_input(genesis_hash_, config, consensus::MsgType::kCommit, s.id, statement))});
  }
  return consensus::encode_commit_certificate(cert);
}

consensus::CommitCertificate TestConsortium::commit_certificate_for(const Block& block, std::size_t signers) const {
  consensus::CommitCertificate cert;
  cert.view = block.header.view;
  cert.seq = block.header.height;
  cert.digest = consensus::block_digest(node::engine_block_of(block));
  for (std::size_t i = 0; i < signers; ++i) {
    cert.commits.push_back(commit_signature(genesis_.replicas[i].id, cert));
  }
  return cert;
}

Bytes TestConsortium::certificate_for(const Block& block, std::size_t signers) const {
  return consensus::encode_commit_certificate(commit_certificate_for(block, signers));
}

Block TestConsortium::make_block(const ChainTip& tip, std::vector<Bytes> txs,
                                 std::uint64_t timestamp_ms) const {
  Block b;
  b.header.height = tip.height + 1;
  b.header.previous_hash = tip.block_hash;
  b.header.timestamp_ms = timestamp_ms == 0 ? genesis_.genesis_time_ms + tip.height + 1 : timestamp_ms;
  b.header.view = 0;
  b.header.proposer = genesis_.replicas[(tip.height + 1) % genesis_.replicas.size()].id;
  b.header.app_hash = tip.app_hash;
  b.transactions = std::move(txs);
  b.header.merkle_root = merkle_root(transaction_ids(b));
  b.commit_certificate = certificate_for(b, genesis_.quorum());
  return b;
}

Block deterministic_block(TestConsortium& c, const ChainTip& tip, std::size_t records_per_block) {
  const std::uint64_t height = tip.height + 1;
  const KeyId fixed_key = sha256(as_bytes("TEST-FIXED-KEY-ID"));
  c.rng().seed(height);
  std::vector<Bytes> txs;
  for (std::size_t i = 0; i < records_per_block; ++i) {
    txs.push_back(encode_transaction(c.make_record(c.serial_of((height * 7 + i) % 50), 0, 48, &fixed_key)));
  }
  return c.make_block(tip, std::move(txs));
}

}  // namespace hc::chain::testing
