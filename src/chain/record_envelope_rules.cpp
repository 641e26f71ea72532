#include "chain/record_envelope_rules.h"

#include <string>

#include "crypto/p256.h"

namespace hc::chain {

Status check_record_envelope_for_mode(const SealedRecord& sealed, const TrusteeStateView& state) {
  const bool trustees = state.genesis().access_mode == AccessMode::kTrustees;
  if (sealed.envelope_version == kRecordEnvelopeV1) {
    if (!trustees) return Status();
    return invalid_input(
        "record: envelope version 1 (sealed to the manager's RSA key) is refused on a trustees-mode chain; "
        "seal version 2 to the trustees' access key");
  }
  if (!trustees) {
    return invalid_input(
        "record: envelope version 2 (sealed to a trustees' access key) is refused on a single-manager chain");
  }
  HC_ASSIGN_OR_RETURN(auto key_epoch, read_access_key_epoch(state, sealed.key_id));
  if (!key_epoch) {
    return invalid_input("record: key id " + to_hex(sealed.key_id) + " is not the id of an access key formed on this chain");
  }
  if (!crypto::P256Point::decode(sealed.ephemeral_key).ok()) {
    return invalid_input("record: the ephemeral key is not a point of P-256");
  }
  return Status();
}

}  // namespace hc::chain
