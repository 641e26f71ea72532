#include "client/envelope_key_trust.h"

#include <chrono>
#include <variant>

#include "client/item_verification.h"

namespace hc::client {

namespace {

Status envelope_key_refused(const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed, "the node's envelope key is not vouched for by the chain: " + what);
}

std::string age_in_hours(std::uint64_t ms) { return std::to_string(ms / 3600000) + " h"; }

}  // namespace

KeyFreshness freshness_now(std::uint64_t max_age_ms) {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return {static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count()),
          max_age_ms};
}

Result<TrustedEnvelopeKey> verify_envelope_key_answer(const nlohmann::json& answer, const ChainTrust& trust,
                                                      const KeyFreshness& freshness) {
  if (!answer.is_object() || !answer.contains("publication") || !answer["publication"].is_object()) {
    return envelope_key_refused("the answer carries no publication proof");
  }
  auto item = verify_item(answer["publication"], trust.certificates());
  if (!item.ok()) return envelope_key_refused(item.status().message());
  const auto* publish = std::get_if<chain::PublishEnvelopeKeyTx>(&item->tx);
  if (publish == nullptr) return envelope_key_refused("the proven transaction does not publish an envelope key");
  if (!chain::verify_manager_tx(item->tx, trust.genesis().manager_admin_key).ok()) {
    return envelope_key_refused("the key was not published by the genesis admin key");
  }
  auto key = crypto::EnvelopePublicKey::from_spki_der(publish->spki_der);
  if (!key.ok()) return envelope_key_refused("the published key does not parse: " + key.status().message());
  if (!answer.contains("public_key_pem") || !answer["public_key_pem"].is_string()) {
    return invalid_input("node answer: missing public_key_pem");
  }
  auto answered = crypto::EnvelopePublicKey::from_pem(answer["public_key_pem"].get<std::string>());
  if (!answered.ok() || answered->key_id() != key->key_id()) {
    return envelope_key_refused("the answered key is not the one the proof publishes");
  }
  const std::uint64_t published_ms = item->header.timestamp_ms;
  if (published_ms < freshness.now_ms && freshness.now_ms - published_ms > freshness.max_age_ms) {
    return envelope_key_refused("the key was published " + age_in_hours(freshness.now_ms - published_ms) +
                                " ago, more than the " + age_in_hours(freshness.max_age_ms) +
                                " allowed (the manager has not rotated it, or the node hides the newer key)");
  }
  return TrustedEnvelopeKey{std::move(key).value(), item->height, published_ms};
}

Result<TrustedEnvelopeKey> fetch_trusted_envelope_key(const NodeClient& node, const ChainTrust& trust,
                                                      const KeyFreshness& freshness) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.envelope_key_answer());
  return verify_envelope_key_answer(answer, trust, freshness);
}

}  // namespace hc::client
