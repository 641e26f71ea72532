#include "chain/record_signature_check.h"

#include <algorithm>
#include <optional>
#include <string>

#include "common/check.h"

namespace hc::chain {

Status RecordSignatureVerifier::verify_under_opener_key(std::uint64_t, std::uint64_t, const Digest&, ByteSpan) const {
  return invalid_input("group signature: this verifier does not check BBS04-ElGamal signatures");
}

std::vector<Status> RecordSignatureVerifier::verify_under_opener_keys(std::span<const OpenerKeyCheck> checks) const {
  std::vector<Status> out;
  out.reserve(checks.size());
  for (const OpenerKeyCheck& c : checks) out.push_back(verify_under_opener_key(c.epoch, c.key_epoch, c.digest, c.signature));
  return out;
}

Status RecordSignatureVerifier::refresh_opener_keys(const TrusteeStateView&) { return Status(); }

bool is_elgamal_group_signature(ByteSpan signature) {
  return signature.size() >= kElGamalSignatureMagic.size() &&
         std::equal(kElGamalSignatureMagic.begin(), kElGamalSignatureMagic.end(), signature.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

namespace {

// The form checks of verify_record_signature. A final status when they refuse the record or
// when its signature is plain BBS04 (then `check` is unset: verify() decides); otherwise ok
// with the BBS04-ElGamal check to make in `check`.
Status route_record_signature(const TrusteeStateView& view, const RecordTx& record,
                              std::optional<OpenerKeyCheck>& check) {
  check.reset();
  const Genesis& genesis = view.genesis();
  if (genesis.access_mode == AccessMode::kSingleManager && genesis.manager_opener_key) {
    if (!is_elgamal_group_signature(record.group_signature) || record.sealed.envelope_version != kRecordEnvelopeV1) {
      return invalid_input(
          "record: on this chain (genesis version 7) a record must be of envelope version 1 with a BBS04-ElGamal group "
          "signature under the manager's opener key");
    }
    check = OpenerKeyCheck{record.epoch, kManagerOpenerKeyEpoch, record_signing_digest(record), record.group_signature};
    return Status();
  }
  if (!is_elgamal_group_signature(record.group_signature)) {
    if (record.sealed.envelope_version == kRecordEnvelopeV2) {
      return invalid_input(
          "record: a version-2 record must carry a BBS04-ElGamal group signature under the trustees' opener key of "
          "its key epoch; a BBS04 signature is refused (a single key could open it)");
    }
    return Status();
  }
  if (view.genesis().access_mode != AccessMode::kTrustees || record.sealed.envelope_version != kRecordEnvelopeV2) {
    return invalid_input("record: a BBS04-ElGamal group signature needs a version-2 record on a trustees chain");
  }
  HC_ASSIGN_OR_RETURN(auto key_epoch, read_access_key_epoch(view, record.sealed.key_id));
  if (!key_epoch) return invalid_input("record: its access key id names no formed key epoch");
  check = OpenerKeyCheck{record.epoch, *key_epoch, record_signing_digest(record), record.group_signature};
  return Status();
}

}  // namespace

Status check_record_signature_form(const TrusteeStateView& view, const RecordTx& record) {
  std::optional<OpenerKeyCheck> check;
  return route_record_signature(view, record, check);
}

Status verify_record_signature(const RecordSignatureVerifier& verifier, const TrusteeStateView& view,
                               const RecordTx& record) {
  std::optional<OpenerKeyCheck> check;
  HC_RETURN_IF_ERROR(route_record_signature(view, record, check));
  if (!check) return verifier.verify(record.epoch, record_signing_digest(record), record.group_signature);
  return verifier.verify_under_opener_key(check->epoch, check->key_epoch, check->digest, check->signature);
}

std::vector<Status> verify_record_signatures(const RecordSignatureVerifier& verifier, const TrusteeStateView& view,
                                             std::span<const RecordTx* const> records) {
  std::vector<Status> out(records.size());
  std::vector<OpenerKeyCheck> checks;
  std::vector<std::size_t> checked_at;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RecordTx& record = *records[i];
    std::optional<OpenerKeyCheck> check;
    out[i] = route_record_signature(view, record, check);
    if (!out[i].ok()) continue;
    if (!check) {
      out[i] = verifier.verify(record.epoch, record_signing_digest(record), record.group_signature);
      continue;
    }
    checks.push_back(*check);
    checked_at.push_back(i);
  }
  if (checks.empty()) return out;
  std::vector<Status> verdicts = verifier.verify_under_opener_keys(checks);
  HC_CHECK(verdicts.size() == checks.size());
  for (std::size_t k = 0; k < checks.size(); ++k) out[checked_at[k]] = std::move(verdicts[k]);
  return out;
}

}  // namespace hc::chain
