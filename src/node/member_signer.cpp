#include "node/member_signer.h"

#include <spdlog/spdlog.h>

#include "chain/opener_key_state.h"
#include "chain/record_signature_check.h"
#include "common/check.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/types.h"

namespace hc::node {

namespace {

// Opener keys remembered (one per key epoch, 48 bytes each); forgotten all at once past this.
constexpr std::size_t kMemberSignerMaxOpenerKeys = 64;

}  // namespace

MemberSigner::MemberSigner(std::unique_ptr<groupsig::MemberKey> key) : key_(std::move(key)) {
  if (key_) rebuild_signer();
}

Status MemberSigner::install_key(std::unique_ptr<groupsig::MemberKey> key) {
  HC_CHECK(key != nullptr);
  std::lock_guard<std::mutex> lock(mutex_);
  if (key_) return invalid_input("the node already has a member key");
  key_ = std::move(key);
  rebuild_signer();
  return Status::ok_status();
}

bool MemberSigner::has_key() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return key_ != nullptr;
}

void MemberSigner::rebuild_signer() {
  signer_ = std::make_unique<groupsig::Signer>(*key_);
  elgamal_signers_.clear();  // prepared for the previous epoch's key
}
MemberSigner::~MemberSigner() = default;

std::string MemberSigner::member_name() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return key_ ? key_->name : std::string();
}
std::uint64_t MemberSigner::epoch() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return key_ ? key_->gpk.epoch : 0;
}

bool MemberSigner::revoked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return revoked_;
}

void MemberSigner::apply_revocation(std::uint64_t new_epoch, ByteSpan record) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!key_ || revoked_ || new_epoch <= key_->gpk.epoch) return;  // without a key: install_key's caller applies it
  auto rec = groupsig::decode_revocation(record);
  if (!rec.ok()) {
    spdlog::error("cannot decode committed revocation record of epoch {}: {}", new_epoch, rec.status().to_string());
    revoked_ = true;
    return;
  }
  if (rec->member == key_->name) {
    spdlog::warn("this hospital ({}) was revoked from the group at epoch {}", key_->name, new_epoch);
    revoked_ = true;
    return;
  }
  auto updated = groupsig::update_member_key(*key_, *rec);
  if (!updated.ok()) {
    spdlog::error("cannot update the member key to epoch {}: {}", new_epoch, updated.status().to_string());
    revoked_ = true;
    return;
  }
  key_ = std::make_unique<groupsig::MemberKey>(std::move(updated).value());
  rebuild_signer();
  spdlog::info("member key of {} updated to epoch {}", key_->name, key_->gpk.epoch);
}

Status MemberSigner::check_can_sign(std::uint64_t chain_epoch) const {
  if (!key_) {
    return Status::error(ErrorCode::kUnavailable, "this hospital has no group member key yet: its enrollment on the "
                                                  "chain has not been committed (hc group enroll --on-chain)");
  }
  if (revoked_) {
    return Status::error(ErrorCode::kAuthFailed,
                         "this hospital's group membership has been revoked; it can no longer sign records");
  }
  if (key_->gpk.epoch != chain_epoch) {
    return Status::error(ErrorCode::kUnavailable, "the member key is at epoch " + std::to_string(key_->gpk.epoch) +
                                                      " but the chain is at epoch " + std::to_string(chain_epoch));
  }
  return Status::ok_status();
}

Status MemberSigner::sign(chain::RecordTx& tx, std::uint64_t chain_epoch, const chain::Genesis& genesis) const {
  std::lock_guard<std::mutex> lock(mutex_);
  HC_RETURN_IF_ERROR(check_can_sign(chain_epoch));
  if (genesis.access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("record: a trustees-mode chain's records are signed with the ledger's trustees state");
  }
  if (tx.sealed.envelope_version != chain::kRecordEnvelopeV1) {
    return invalid_input("record: envelope version 2 is refused on a single-manager chain");
  }
  tx.epoch = chain_epoch;
  tx.group_signature.clear();
  if (genesis.manager_opener_key) return sign_under_manager_opener_key(tx, *genesis.manager_opener_key);
  return sign_bbs04(tx);
}

Status MemberSigner::sign(chain::RecordTx& tx, std::uint64_t chain_epoch, const chain::TrusteeStateView& ledger) const {
  std::lock_guard<std::mutex> lock(mutex_);
  HC_RETURN_IF_ERROR(check_can_sign(chain_epoch));
  const bool trustees = ledger.genesis().access_mode == chain::AccessMode::kTrustees;
  const bool v2 = tx.sealed.envelope_version == chain::kRecordEnvelopeV2;
  if (trustees != v2) {
    return invalid_input(trustees ? "record: envelope version 1 is refused on a trustees-mode chain; seal version 2 "
                                    "to the trustees' access key"
                                  : "record: envelope version 2 is refused on a single-manager chain");
  }
  tx.epoch = chain_epoch;
  tx.group_signature.clear();
  if (v2) return sign_elgamal(tx, ledger);
  if (ledger.genesis().manager_opener_key) return sign_under_manager_opener_key(tx, *ledger.genesis().manager_opener_key);
  return sign_bbs04(tx);
}

Status MemberSigner::sign_under_manager_opener_key(chain::RecordTx& tx, const chain::ManagerOpenerKey& key) const {
  HC_ASSIGN_OR_RETURN(const groupsig::elgamal::Signer* signer,
                      elgamal_signer_under(chain::kManagerOpenerKeyEpoch, key.h, "the manager's opener key"));
  const chain::Digest digest = chain::record_signing_digest(tx);
  tx.group_signature = groupsig::elgamal::encode_signature(signer->sign(digest));
  return Status::ok_status();
}

Status MemberSigner::sign_bbs04(chain::RecordTx& tx) const {
  const chain::Digest digest = chain::record_signing_digest(tx);
  tx.group_signature = groupsig::encode_signature(signer_->sign(digest));
  return Status::ok_status();
}

Status MemberSigner::sign_elgamal(chain::RecordTx& tx, const chain::TrusteeStateView& ledger) const {
  HC_ASSIGN_OR_RETURN(auto key_epoch, chain::read_access_key_epoch(ledger, tx.sealed.key_id));
  if (!key_epoch) {
    return invalid_input("record: key id " + to_hex(tx.sealed.key_id) +
                         " is not the id of an access key formed on this chain");
  }
  HC_ASSIGN_OR_RETURN(const groupsig::elgamal::Signer* signer, elgamal_signer(*key_epoch, ledger));
  const chain::Digest digest = chain::record_signing_digest(tx);
  tx.group_signature = groupsig::elgamal::encode_signature(signer->sign(digest));
  return Status::ok_status();
}

Result<const groupsig::elgamal::Signer*> MemberSigner::elgamal_signer(std::uint64_t key_epoch,
                                                                      const chain::TrusteeStateView& ledger) const {
  const std::pair<std::uint64_t, std::uint64_t> slot{key_->gpk.epoch, key_epoch};
  if (auto it = elgamal_signers_.find(slot); it != elgamal_signers_.end()) return it->second.get();
  auto known = opener_keys_.find(key_epoch);
  if (known == opener_keys_.end()) {
    HC_ASSIGN_OR_RETURN(auto outcome, chain::read_opener_key(ledger, key_epoch));
    const std::string epoch_text = std::to_string(key_epoch);
    if (!outcome) {
      return invalid_input("record: the trustees' opener key of key epoch " + epoch_text +
                           " has not formed yet (its key generation has not ended); retry later");
    }
    if (!outcome->formed) {
      return invalid_input("record: key epoch " + epoch_text + " has no trustees' opener key (" + outcome->failure +
                           "); seal the record to a later access key");
    }
    if (opener_keys_.size() >= kMemberSignerMaxOpenerKeys) opener_keys_.clear();
    const auto h = outcome->formed->key.h.to_compressed();
    known = opener_keys_.emplace(key_epoch, Bytes(h.begin(), h.end())).first;
  }
  return elgamal_signer_under(key_epoch, known->second, "the opener key of key epoch " + std::to_string(key_epoch));
}

Result<const groupsig::elgamal::Signer*> MemberSigner::elgamal_signer_under(std::uint64_t key_epoch, ByteSpan h_bytes,
                                                                            const std::string& what) const {
  const std::pair<std::uint64_t, std::uint64_t> slot{key_->gpk.epoch, key_epoch};
  if (auto it = elgamal_signers_.find(slot); it != elgamal_signers_.end()) return it->second.get();
  auto h = bls12_381::G1::from_compressed(h_bytes);
  if (!h.ok()) return invalid_input(what + " is not a G1 point");
  auto member = groupsig::elgamal::member_key_with_opener_key(*key_, *h);
  if (!member.ok()) return member.status().with_context(what);
  if (elgamal_signers_.size() >= kMaxElGamalSigners) elgamal_signers_.erase(elgamal_signers_.begin());
  auto signer = std::make_unique<groupsig::elgamal::Signer>(*member);
  const groupsig::elgamal::Signer* out = signer.get();
  elgamal_signers_.emplace(slot, std::move(signer));
  return out;
}

}  // namespace hc::node
