#include "chain/bbs04_record_verifier.h"

#include <string>

#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/verify.h"

namespace hc::chain {

Result<std::unique_ptr<Bbs04RecordVerifier>> Bbs04RecordVerifier::create(
    ByteSpan group_public_key) {
  auto gpk = groupsig::decode_gpk(group_public_key);
  if (!gpk.ok()) return invalid_input("group public key: " + gpk.status().message());
  if (gpk->epoch != 0) return invalid_input("group public key: the genesis key must be of epoch 0");
  std::unique_ptr<Bbs04RecordVerifier> v(new Bbs04RecordVerifier());
  v->keys_[0] = std::make_unique<groupsig::PreparedGroupKey>(*gpk);
  return v;
}

Bbs04RecordVerifier::~Bbs04RecordVerifier() = default;

Status Bbs04RecordVerifier::verify(std::uint64_t epoch, const Digest& digest,
                                   ByteSpan signature) const {
  auto it = keys_.find(epoch);
  if (it == keys_.end()) {
    return Status::error(ErrorCode::kNotFound, "group signature: unknown epoch " + std::to_string(epoch));
  }
  auto sig = groupsig::decode_signature(signature);
  if (!sig.ok()) return invalid_input("group signature: " + sig.status().message());
  if (sig->epoch != epoch) return invalid_input("group signature: epoch differs from the record's");
  Status s = groupsig::verify(*it->second, span_of(digest), *sig);
  if (!s.ok()) return Status::error(s.code(), "group signature: " + s.message());
  return Status();
}

Status Bbs04RecordVerifier::check_revocation(std::uint64_t new_epoch, ByteSpan record) const {
  auto rec = groupsig::decode_revocation(record);
  if (!rec.ok()) return invalid_input("revocation record: " + rec.status().message());
  if (rec->new_epoch != new_epoch || new_epoch != latest_epoch() + 1) {
    return invalid_input("revocation record: epoch does not follow the current one");
  }
  Status s = groupsig::check_revocation(keys_.rbegin()->second->gpk(), *rec);
  if (!s.ok()) return Status::error(s.code(), "revocation record: " + s.message());
  return Status();
}

Status Bbs04RecordVerifier::apply_revocation(std::uint64_t new_epoch, ByteSpan record) {
  HC_RETURN_IF_ERROR(check_revocation(new_epoch, record));
  auto rec = groupsig::decode_revocation(record);
  HC_CHECK(rec.ok());
  auto next = groupsig::next_gpk(keys_.rbegin()->second->gpk(), *rec);
  if (!next.ok()) return next.status().with_context("revocation record");
  keys_[new_epoch] = std::make_unique<groupsig::PreparedGroupKey>(*next);
  return Status();
}

}  // namespace hc::chain
