#include "chain/trustee_signing.h"

#include <string>

#include "chain/transaction_trustees.h"
#include "common/overloaded.h"

namespace hc::chain {

std::optional<std::uint16_t> signing_trustee(const Transaction& tx) {
  if (const auto* d = std::get_if<DkgDealTx>(&tx)) return d->dealer;
  if (const auto* c = std::get_if<DkgComplaintTx>(&tx)) return c->complainer;
  if (const auto* s = std::get_if<DecryptionSharesTx>(&tx)) return s->trustee;
  return std::nullopt;
}

Result<Bytes> trustee_signing_message(const Transaction& tx) {
  if (!is_trustee_tx(tx)) return invalid_input("not a trustee transaction");
  return encode_unsigned(tx);
}

Status sign_trustee_tx(Transaction& tx, const crypto::P256Scalar& trustee_secret) {
  HC_ASSIGN_OR_RETURN(Bytes message, trustee_signing_message(tx));
  if (trustee_secret.is_zero()) return invalid_input("trustee key is zero");
  *trustee_signature_of(tx) = crypto::threshold::sign_as_trustee(message, trustee_secret);
  return Status();
}

Status verify_trustee_tx(const Transaction& tx, const Genesis& genesis) {
  HC_ASSIGN_OR_RETURN(Bytes message, trustee_signing_message(tx));
  if (is_reshare_tx(tx)) return invalid_input("a resharing transaction's signer is a key the chain's state names");
  const std::uint16_t index = *signing_trustee(tx);
  if (genesis.access_mode != AccessMode::kTrustees || index == 0 || index > genesis.trustee_keys.size()) {
    return invalid_input("trustee " + std::to_string(index) + " is not a trustee of this chain");
  }
  auto key = crypto::P256Point::decode(genesis.trustee_keys[index - 1]);
  if (!key.ok() || !crypto::threshold::verify_trustee_signature(message, *key, *trustee_signature_of(tx))) {
    return Status::error(ErrorCode::kAuthFailed, "trustee " + std::to_string(index) + "'s signature does not verify");
  }
  return Status();
}

Status verify_trustee_tx_by(const Transaction& tx, const crypto::P256PointBytes& key) {
  HC_ASSIGN_OR_RETURN(Bytes message, trustee_signing_message(tx));
  auto point = crypto::P256Point::decode(key);
  if (!point.ok()) return invalid_input("the signing trustee key is not a P-256 point");
  if (!crypto::threshold::verify_trustee_signature(message, *point, *trustee_signature_of(tx))) {
    return Status::error(ErrorCode::kAuthFailed, std::string(tx_kind_name(kind_of(tx))) +
                                                     ": the trustee signature does not verify");
  }
  return Status();
}

Status sign_reshare_key_tx(ReshareKeyTx& tx, const crypto::P256Scalar& current_secret,
                           const crypto::P256Scalar& new_secret) {
  if (current_secret.is_zero() || new_secret.is_zero()) return invalid_input("trustee key is zero");
  if (crypto::P256Point::base_mul(new_secret).encode() != tx.new_key) {
    return invalid_input("reshare key: the new secret is not the announced key's");
  }
  const Bytes message = encode_unsigned(Transaction(tx));
  tx.new_key_signature = crypto::threshold::sign_as_trustee(message, new_secret);
  tx.trustee_signature = crypto::threshold::sign_as_trustee(message, current_secret);
  return Status();
}

Status verify_reshare_key_possession(const ReshareKeyTx& tx) {
  auto point = crypto::P256Point::decode(tx.new_key);
  const Bytes message = encode_unsigned(Transaction(tx));
  if (!point.ok() || !crypto::threshold::verify_trustee_signature(message, *point, tx.new_key_signature)) {
    return Status::error(ErrorCode::kAuthFailed, "reshare key: the new key's signature (proof of possession) does not verify");
  }
  return Status();
}

}  // namespace hc::chain
