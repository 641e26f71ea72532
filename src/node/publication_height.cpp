#include "node/publication_height.h"

#include <variant>

namespace hc::node {

namespace {

bool publishes(const chain::Transaction& tx, const chain::KeyId& key_id) {
  const auto* publish = std::get_if<chain::PublishEnvelopeKeyTx>(&tx);
  return publish != nullptr && chain::key_id_of(publish->spki_der) == key_id;
}

}  // namespace

Result<std::uint64_t> PublicationHeights::height_of(const chain::LedgerStore& store, const chain::KeyId& key_id) {
  if (cached_ && cached_->first == key_id) return cached_->second;
  for (std::uint64_t height = store.tip().height; height >= 1; --height) {
    HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(height));
    for (const Bytes& encoding : block.transactions) {
      auto tx = chain::decode_transaction(encoding);
      if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "a stored transaction does not decode");
      if (publishes(*tx, key_id)) {
        cached_ = std::make_pair(key_id, height);
        return height;
      }
    }
  }
  return Status::error(ErrorCode::kCorrupt, "the chain holds no publication of the current envelope key");
}

}  // namespace hc::node
