#include "node/envelope_key_answer.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "chain/committed_item.h"
#include "crypto/envelope_key.h"
#include "net/http.h"

namespace hc::node {

namespace {

using nlohmann::json;

// The committed transaction that published envelope key `key_id` in the block at `height`.
Result<json> envelope_key_publication_item(const chain::LedgerStore& store, std::uint64_t height,
                                           const chain::KeyId& key_id) {
  HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(height));
  for (std::size_t i = 0; i < block.transactions.size(); ++i) {
    auto tx = chain::decode_transaction(block.transactions[i]);
    if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "stored transaction does not decode");
    const auto* publish = std::get_if<chain::PublishEnvelopeKeyTx>(&*tx);
    if (publish != nullptr && chain::key_id_of(publish->spki_der) == key_id) {
      return chain::committed_item_to_json(block, height, static_cast<std::uint32_t>(i));
    }
  }
  return Status::error(ErrorCode::kCorrupt, "the block at height " + std::to_string(height) +
                                                " does not hold the envelope key's publication");
}

std::shared_ptr<const EnvelopeKeyAnswer> envelope_key_answer_of(const net::HttpResponse& response) {
  return std::make_shared<const EnvelopeKeyAnswer>(EnvelopeKeyAnswer{response.status, response.body});
}

}  // namespace

std::shared_ptr<const EnvelopeKeyAnswer> EnvelopeKeyAnswerBuilder::current(const chain::LedgerStore& store) {
  auto key = store.current_envelope_key();
  if (!key.ok()) {
    spdlog::error("envelope key answer: {}", key.status().to_string());
    return envelope_key_answer_of(net::HttpResponse::from_status(key.status()));
  }
  std::optional<chain::KeyId> key_id;
  if (key->has_value()) key_id = (*key)->key_id;
  if (built_ && key_id == key_id_) return answer_;
  answer_ = build(store, *key);
  // A failed build is retried at the next call; a good one (or "none yet") is kept.
  built_ = answer_->status == 200 || answer_->status == 404;
  key_id_ = key_id;
  return answer_;
}

std::shared_ptr<const EnvelopeKeyAnswer> EnvelopeKeyAnswerBuilder::build(
    const chain::LedgerStore& store, const std::optional<chain::EnvelopeKeyEntry>& key) {
  if (!key) {
    return envelope_key_answer_of(
        net::HttpResponse::error(404, "not_found", "the manager has not published an envelope key yet"));
  }
  auto failed = [](const Status& why) {
    spdlog::error("envelope key answer: {}", why.to_string());
    return envelope_key_answer_of(net::HttpResponse::from_status(why));
  };
  auto pub = crypto::EnvelopePublicKey::from_spki_der(key->spki_der);
  if (!pub.ok()) return failed(pub.status());
  auto height = heights_.height_of(store, key->key_id);
  if (!height.ok()) return failed(height.status());
  auto item = envelope_key_publication_item(store, *height, key->key_id);
  if (!item.ok()) return failed(item.status());
  json body = {{"key_id", to_hex(pub->key_id())}, {"public_key_pem", pub->to_pem()}, {"height", *height},
               {"publication", std::move(item).value()}};
  return std::make_shared<const EnvelopeKeyAnswer>(
      EnvelopeKeyAnswer{200, body.dump(-1, ' ', false, json::error_handler_t::replace)});
}

}  // namespace hc::node
