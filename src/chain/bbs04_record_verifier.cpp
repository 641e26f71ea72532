#include "chain/bbs04_record_verifier.h"

#include <string>

#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/verify.h"
#include "crypto/groupsig/elgamal_batch_verify.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "chain/manager_opener_key.h"
#include "chain/opener_key_state.h"
#include "chain/record_signature_check.h"

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
  for (const auto& [key_epoch, h] : opener_keys_) HC_RETURN_IF_ERROR(prepare_elgamal_key(new_epoch, key_epoch));
  return Status();
}

Status Bbs04RecordVerifier::prepare_elgamal_key(std::uint64_t epoch, std::uint64_t key_epoch) {
  auto h = bls12_381::G1::from_compressed(opener_keys_.at(key_epoch));
  HC_CHECK(h.ok());  // refresh_opener_keys stored a valid point
  auto key = groupsig::elgamal::with_opener_key(groupsig::elgamal::from_bbs04_view(keys_.at(epoch)->gpk()), *h);
  if (!key.ok()) return key.status().with_context("opener key of key epoch " + std::to_string(key_epoch));
  elgamal_keys_[{epoch, key_epoch}] = std::make_unique<groupsig::elgamal::PreparedKey>(*key);
  return Status();
}

Status Bbs04RecordVerifier::verify_under_opener_key(std::uint64_t epoch, std::uint64_t key_epoch,
                                                    const Digest& digest, ByteSpan signature) const {
  if (!keys_.count(epoch)) {
    return Status::error(ErrorCode::kNotFound, "group signature: unknown epoch " + std::to_string(epoch));
  }
  auto it = elgamal_keys_.find({epoch, key_epoch});
  if (it == elgamal_keys_.end()) {
    return Status::error(ErrorCode::kNotFound,
                         "group signature: key epoch " + std::to_string(key_epoch) + " has no trustees' opener key");
  }
  auto sig = groupsig::elgamal::decode_signature(signature);
  if (!sig.ok()) return invalid_input("group signature: " + sig.status().message());
  if (sig->epoch != epoch) return invalid_input("group signature: epoch differs from the record's");
  Status s = groupsig::elgamal::verify(*it->second, span_of(digest), *sig);
  if (!s.ok()) return Status::error(s.code(), "group signature: " + s.message());
  return Status();
}

std::vector<Status> Bbs04RecordVerifier::verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const {
  namespace eg = groupsig::elgamal;
  std::vector<Status> out(checks.size());
  // The checks of each installed key, in order; the others are answered one by one.
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const OpenerKeyCheck& c = checks[i];
    if (keys_.count(c.epoch) && elgamal_keys_.count({c.epoch, c.key_epoch})) {
      by_key[{c.epoch, c.key_epoch}].push_back(i);
    } else {
      out[i] = verify_under_opener_key(c.epoch, c.key_epoch, c.digest, c.signature);
    }
  }
  // A key with one check (a transaction's admission) gains nothing from a batch, and a bad
  // signature would cost the batch and then its verification: checked alone.
  for (auto it = by_key.begin(); it != by_key.end();) {
    if (it->second.size() != 1) {
      ++it;
      continue;
    }
    const OpenerKeyCheck& c = checks[it->second.front()];
    out[it->second.front()] = verify_under_opener_key(c.epoch, c.key_epoch, c.digest, c.signature);
    it = by_key.erase(it);
  }
  std::vector<std::vector<eg::EncodedBatchItem>> items;
  std::vector<eg::KeyedBatch> groups;
  items.reserve(by_key.size());
  groups.reserve(by_key.size());
  for (const auto& [key, members] : by_key) {
    std::vector<eg::EncodedBatchItem>& group = items.emplace_back();
    for (std::size_t i : members) group.push_back({span_of(checks[i].digest), checks[i].signature});
    groups.push_back({elgamal_keys_.at(key).get(), group});
  }
  eg::SystemBatchRandom rng;
  const std::vector<std::vector<Status>> verdicts = eg::verify_batch_grouped(groups, rng);
  std::size_t g = 0;
  for (const auto& [key, members] : by_key) {
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::size_t i = members[k];
      const Status& v = verdicts[g][k];
      if (v.ok()) {
        out[i] = Status();
      } else if (v.code() == ErrorCode::kAuthFailed) {
        // Decoded, of the key's epoch, and refused by verify() itself (the fallback's last word):
        // exactly what verify_under_opener_key would say, without verifying it again.
        out[i] = Status::error(v.code(), "group signature: " + v.message());
      } else {
        // Malformed or of another epoch: checked once more alone (decoding only), for the
        // message verify_under_opener_key gives.
        out[i] = verify_under_opener_key(checks[i].epoch, checks[i].key_epoch, checks[i].digest, checks[i].signature);
      }
    }
    ++g;
  }
  return out;
}

Status Bbs04RecordVerifier::install_manager_opener_key(const Genesis& genesis) {
  if (opener_keys_.count(kManagerOpenerKeyEpoch)) return Status();
  HC_ASSIGN_OR_RETURN(bls12_381::G1 h, check_manager_opener_key(genesis));
  const auto bytes = h.to_compressed();
  opener_keys_[kManagerOpenerKeyEpoch] = Bytes(bytes.begin(), bytes.end());
  for (const auto& [epoch, key] : keys_) HC_RETURN_IF_ERROR(prepare_elgamal_key(epoch, kManagerOpenerKeyEpoch));
  return Status();
}

Status Bbs04RecordVerifier::refresh_opener_keys(const TrusteeStateView& view) {
  if (view.genesis().access_mode == AccessMode::kSingleManager && view.genesis().manager_opener_key) {
    return install_manager_opener_key(view.genesis());
  }
  if (view.genesis().access_mode != AccessMode::kTrustees) return Status();
  HC_ASSIGN_OR_RETURN(auto current, read_key_epoch(view));
  if (!current) return Status();
  for (std::uint64_t e = 0; e <= current->key_epoch; ++e) {
    if (opener_keys_.count(e) || failed_opener_epochs_.count(e)) continue;
    HC_ASSIGN_OR_RETURN(auto outcome, read_opener_key(view, e));
    if (!outcome) continue;  // its DKG has not ended
    if (!outcome->formed) {
      failed_opener_epochs_.insert(e);
      continue;
    }
    const auto h = outcome->formed->key.h.to_compressed();
    opener_keys_[e] = Bytes(h.begin(), h.end());
    for (const auto& [epoch, key] : keys_) HC_RETURN_IF_ERROR(prepare_elgamal_key(epoch, e));
  }
  return Status();
}

std::vector<std::uint64_t> Bbs04RecordVerifier::opener_key_epochs() const {
  std::vector<std::uint64_t> out;
  for (const auto& [e, h] : opener_keys_) out.push_back(e);
  return out;
}

}  // namespace hc::chain
