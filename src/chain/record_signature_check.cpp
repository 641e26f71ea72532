#include "chain/record_signature_check.h"

#include <algorithm>
#include <string>

namespace hc::chain {

Status RecordSignatureVerifier::verify_under_opener_key(std::uint64_t, std::uint64_t, const Digest&, ByteSpan) const {
  return invalid_input("group signature: this verifier does not check BBS04-ElGamal signatures");
}

Status RecordSignatureVerifier::refresh_opener_keys(const TrusteeStateView&) { return Status(); }

bool is_elgamal_group_signature(ByteSpan signature) {
  return signature.size() >= kElGamalSignatureMagic.size() &&
         std::equal(kElGamalSignatureMagic.begin(), kElGamalSignatureMagic.end(), signature.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

Status verify_record_signature(const RecordSignatureVerifier& verifier, const TrusteeStateView& view,
                               const RecordTx& record) {
  const Digest digest = record_signing_digest(record);
  if (!is_elgamal_group_signature(record.group_signature)) {
    if (record.sealed.envelope_version == kRecordEnvelopeV2) {
      return invalid_input(
          "record: a version-2 record must carry a BBS04-ElGamal group signature under the trustees' opener key of "
          "its key epoch; a BBS04 signature is refused (a single key could open it)");
    }
    return verifier.verify(record.epoch, digest, record.group_signature);
  }
  if (view.genesis().access_mode != AccessMode::kTrustees || record.sealed.envelope_version != kRecordEnvelopeV2) {
    return invalid_input("record: a BBS04-ElGamal group signature needs a version-2 record on a trustees chain");
  }
  HC_ASSIGN_OR_RETURN(auto key_epoch, read_access_key_epoch(view, record.sealed.key_id));
  if (!key_epoch) return invalid_input("record: its access key id names no formed key epoch");
  return verifier.verify_under_opener_key(record.epoch, *key_epoch, digest, record.group_signature);
}

}  // namespace hc::chain
