#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/pseudonym_key.h"

#include "chain/genesis.h"
#include "common/file_io.h"
#include "chain/manager_opener_key.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/store.h"
#include "crypto/sealed_record.h"
#include "crypto/serial_number.h"
#include "node/ledger_bridge.h"

namespace hc::client {

namespace fs = std::filesystem;

ManagerSession::ManagerSession(fs::path dir, SecureBytes passphrase, crypto::ManagerKeys keys,
                               crypto::Ed25519PrivateKey admin)
    : dir_(std::move(dir)), passphrase_(std::move(passphrase)), keys_(std::move(keys)), admin_(std::move(admin)) {}

ManagerSession::~ManagerSession() = default;

Result<std::unique_ptr<ManagerSession>> ManagerSession::open(const fs::path& dir, SecureBytes passphrase) {
  HC_ASSIGN_OR_RETURN(crypto::ManagerKeys keys, crypto::ManagerKeys::open(dir));
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey admin, crypto::Ed25519PrivateKey::load(dir / "admin.key.pem", passphrase));
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file((dir / "genesis.json").string()));
  if (genesis.manager_admin_key != admin.public_key().bytes()) {
    return invalid_input("the admin key in " + dir.string() + " is not the genesis manager key");
  }
  auto session = std::unique_ptr<ManagerSession>(
      new ManagerSession(dir, std::move(passphrase), std::move(keys), std::move(admin)));
  HC_ASSIGN_OR_RETURN(session->certificates_, FollowingCertificateVerifier::create(genesis));
  session->genesis_ = std::make_unique<chain::Genesis>(std::move(genesis));
  // Trustees mode: the group has no opener key (only the trustees unmask a hospital).
  if (session->genesis_->access_mode == chain::AccessMode::kSingleManager) {
    groupsig::GroupDir group(dir / "group");
    HC_ASSIGN_OR_RETURN(groupsig::OpenerKey opener,
                        groupsig::load_opener_key(group.opener_key(), session->passphrase_.span()));
    session->opener_ = std::make_unique<groupsig::OpenerKey>(std::move(opener));
  }
  if (session->genesis_->manager_opener_key) {
    groupsig::GroupDir group(dir / "group");
    HC_ASSIGN_OR_RETURN(groupsig::elgamal::OpenerKey opener,
                        groupsig::elgamal::load_opener_key_file(group.elgamal_opener_key(), session->passphrase_.span()));
    HC_ASSIGN_OR_RETURN(bls12_381::G1 h, chain::check_manager_opener_key(*session->genesis_));
    HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk0, groupsig::decode_gpk(session->genesis_->group_public_key));
    HC_ASSIGN_OR_RETURN(groupsig::elgamal::GroupKey key0,
                        groupsig::elgamal::with_opener_key(groupsig::elgamal::from_bbs04_view(gpk0), h));
    if (!groupsig::elgamal::check_opener_matches(opener, key0).ok()) {
      return invalid_input(group.elgamal_opener_key().string() + " is not the secret of the genesis's manager opener key");
    }
    session->elgamal_opener_ = std::make_unique<groupsig::elgamal::OpenerKey>(std::move(opener));
  }
  return session;
}

Result<chain::Serial> ManagerSession::serial_of(const std::string& name, const std::string& id) const {
  HC_ASSIGN_OR_RETURN(SecureBytes key, load_checked_pseudonym_key(keys_.pseudonym_key_path(), *genesis_));
  return crypto::compute_serial(key.span(), name, id);
}

void ManagerSession::follow_changes_of(const std::string& node_url) {
  if (node_url.empty()) return;
  certificates_->set_fetcher(change_history_from_node(node_url, genesis_->tls_trust_anchors()));
}

Result<std::string> ManagerSession::reader_token() const { return read_token_file(dir_ / "reader.token"); }

Result<const groupsig::Registry*> ManagerSession::registry_of(std::uint64_t epoch) {
  if (auto it = registries_.find(epoch); it != registries_.end()) return it->second.get();
  HC_ASSIGN_OR_RETURN(groupsig::Registry reg, groupsig::load_registry(groupsig::GroupDir(dir_ / "group").registry(epoch)));
  auto& slot = registries_[epoch];
  slot = std::make_unique<groupsig::Registry>(std::move(reg));
  return slot.get();
}

Result<const groupsig::elgamal::PreparedKey*> ManagerSession::elgamal_key_of(std::uint64_t epoch) {
  if (!genesis_->manager_opener_key) {
    return Status::error(ErrorCode::kUnavailable, "the genesis has no manager opener key (not version 7)");
  }
  if (auto it = elgamal_keys_.find(epoch); it != elgamal_keys_.end()) return it->second.get();
  HC_ASSIGN_OR_RETURN(bls12_381::G1 h, chain::check_manager_opener_key(*genesis_));
  HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk, groupsig::load_gpk(groupsig::GroupDir(dir_ / "group").gpk(epoch)));
  HC_ASSIGN_OR_RETURN(groupsig::elgamal::GroupKey key,
                      groupsig::elgamal::with_opener_key(groupsig::elgamal::from_bbs04_view(gpk), h));
  auto& slot = elgamal_keys_[epoch];
  slot = std::make_unique<groupsig::elgamal::PreparedKey>(key);
  return slot.get();
}

Result<groupsig::elgamal::Opening> ManagerSession::open_elgamal_record(const chain::RecordTx& record) {
  if (!elgamal_opener_) {
    return Status::error(ErrorCode::kUnavailable, "the genesis has no manager opener key (not version 7)");
  }
  auto sig = groupsig::elgamal::decode_signature(record.group_signature);
  if (!sig.ok()) return Status::error(ErrorCode::kAuthFailed, "group signature: " + sig.status().message());
  if (sig->epoch != record.epoch) return Status::error(ErrorCode::kAuthFailed, "signature epoch differs from the record's");
  HC_ASSIGN_OR_RETURN(const groupsig::elgamal::PreparedKey* key, elgamal_key_of(record.epoch));
  HC_ASSIGN_OR_RETURN(const groupsig::Registry* registry, registry_of(record.epoch));
  const chain::Digest digest = chain::record_signing_digest(record);
  return groupsig::elgamal::open(*key, *elgamal_opener_, *registry, digest, *sig);
}

Result<std::string> ManagerSession::signer_of(const chain::RecordTx& record) {
  if (genesis_->manager_opener_key) {
    HC_ASSIGN_OR_RETURN(groupsig::elgamal::Opening opening, open_elgamal_record(record));
    return opening.member;
  }
  if (!opener_) return Status::error(ErrorCode::kUnavailable, std::string(kOpeningNeedsTheTrustees));
  HC_ASSIGN_OR_RETURN(groupsig::Signature sig, groupsig::decode_signature(record.group_signature));
  if (sig.epoch != record.epoch) return Status::error(ErrorCode::kAuthFailed, "signature epoch differs from the record's");
  groupsig::GroupDir group(dir_ / "group");
  if (!group_keys_.count(record.epoch)) {
    HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk, groupsig::load_gpk(group.gpk(record.epoch)));
    group_keys_[record.epoch] = std::make_unique<groupsig::PreparedGroupKey>(gpk, groupsig::Precompute::kNone);
  }
  HC_ASSIGN_OR_RETURN(const groupsig::Registry* registry, registry_of(record.epoch));
  chain::Digest digest = chain::record_signing_digest(record);
  HC_ASSIGN_OR_RETURN(groupsig::Opening opening, groupsig::open(*group_keys_[record.epoch], *opener_,
                                                                *registry, digest, sig));
  return opening.member;
}

Result<PatientVisit> ManagerSession::read_record(const VerifiedItem& item) {
  const auto* record = std::get_if<chain::RecordTx>(&item.tx);
  if (record == nullptr) return invalid_input("not a record transaction");
  crypto::SealedRecord sealed;
  sealed.serial = record->sealed.serial;
  sealed.key_id = record->sealed.key_id;
  sealed.wrapped_key.assign(record->sealed.wrapped_key.begin(), record->sealed.wrapped_key.end());
  sealed.nonce = record->sealed.nonce;
  sealed.ciphertext = record->sealed.ciphertext;
  auto key = envelope_keys_.find(sealed.key_id);
  if (key == envelope_keys_.end()) {
    HC_ASSIGN_OR_RETURN(crypto::EnvelopePrivateKey loaded, keys_.private_key(sealed.key_id, passphrase_));
    key = envelope_keys_.emplace(sealed.key_id, std::move(loaded)).first;
  }
  // The epoch is checked before anything is decrypted: outside its epoch the signature may be a
  // forgery made from a revocation record (docs/groupsig.md).
  if (!epoch_starts_) {
    HC_ASSIGN_OR_RETURN(EpochStarts starts, load_epoch_starts(dir_));
    epoch_starts_ = std::make_unique<EpochStarts>(std::move(starts));
  }
  HC_ASSIGN_OR_RETURN(std::uint64_t current_epoch, groupsig::GroupDir(dir_ / "group").current_epoch());
  HC_RETURN_IF_ERROR(check_record_epoch(*epoch_starts_, current_epoch, record->epoch, item.height));
  PatientVisit out;
  out.height = item.height;
  out.tx_id = chain::digest_hex(item.tx_id);
  out.epoch = record->epoch;
  HC_ASSIGN_OR_RETURN(out.visit, crypto::open_record(sealed, key->second));
  HC_ASSIGN_OR_RETURN(out.hospital, signer_of(*record));
  return out;
}

Status ManagerSession::sign(chain::Transaction& tx) const {
  HC_ASSIGN_OR_RETURN(Bytes message, chain::manager_signing_message(tx));
  crypto::Ed25519Signature sig = admin_.sign(message);
  std::visit(
      [&](auto& t) {
        if constexpr (requires { t.signature; }) std::copy(sig.begin(), sig.end(), t.signature.begin());
      },
      tx);
  return chain::verify_manager_tx(tx, admin_.public_key().bytes());
}

chain::KeyId ManagerSession::admin_key_id() const { return chain::key_id_of(admin_.public_key().bytes()); }

}  // namespace hc::client
