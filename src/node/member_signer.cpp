#include "node/member_signer.h"

#include <spdlog/spdlog.h>

#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/types.h"

namespace hc::node {

MemberSigner::MemberSigner(std::unique_ptr<groupsig::MemberKey> key) : key_(std::move(key)) { rebuild_signer(); }

void MemberSigner::rebuild_signer() { signer_ = std::make_unique<groupsig::Signer>(*key_); }
MemberSigner::~MemberSigner() = default;

const std::string& MemberSigner::member_name() const { return key_->name; }
std::uint64_t MemberSigner::epoch() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return key_->gpk.epoch;
}

bool MemberSigner::revoked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return revoked_;
}

void MemberSigner::apply_revocation(std::uint64_t new_epoch, ByteSpan record) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (revoked_ || new_epoch <= key_->gpk.epoch) return;
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

Status MemberSigner::sign(chain::RecordTx& tx, std::uint64_t chain_epoch) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (revoked_) {
    return Status::error(ErrorCode::kAuthFailed,
                         "this hospital's group membership has been revoked; it can no longer sign records");
  }
  if (key_->gpk.epoch != chain_epoch) {
    return Status::error(ErrorCode::kUnavailable, "the member key is at epoch " + std::to_string(key_->gpk.epoch) +
                                                      " but the chain is at epoch " + std::to_string(chain_epoch));
  }
  tx.epoch = chain_epoch;
  tx.group_signature.clear();
  chain::Digest digest = chain::record_signing_digest(tx);
  groupsig::Signature sig = signer_->sign(digest);
  tx.group_signature = groupsig::encode_signature(sig);
  return Status::ok_status();
}

}  // namespace hc::node
