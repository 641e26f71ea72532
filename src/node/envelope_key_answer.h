// The answer of GET /v1/envelope-key, built once per publication (review finding, issue 15):
// the manager's current envelope key, the height of the block that published it and that
// publication as a committed item with its Merkle proof and commit certificate
// (client/envelope_key_trust.h verifies it). Building it reads and decodes the publishing
// block and rebuilds the proof, so the consensus thread builds it only when the store's
// current key changes (at startup, after the commit or catch-up of a PublishEnvelopeKeyTx),
// and the API serves the copy it finds in the snapshot (api_snapshot.h).
//
// Not thread-safe: one builder, on the consensus thread.
#pragma once

#include <memory>
#include <optional>

#include "chain/ledger_store.h"
#include "chain/transaction.h"
#include "node/api_snapshot.h"
#include "node/publication_height.h"

namespace hc::node {

class EnvelopeKeyAnswerBuilder {
 public:
  // The answer for the store's current envelope key: rebuilt when the key changed since the
  // last call, the previous one otherwise. 200 with the key, 404 before any publication, or
  // the HTTP form of a local failure (500, logged).
  std::shared_ptr<const EnvelopeKeyAnswer> current(const chain::LedgerStore& store);

 private:
  std::shared_ptr<const EnvelopeKeyAnswer> build(const chain::LedgerStore& store,
                                                 const std::optional<chain::EnvelopeKeyEntry>& key);

  bool built_ = false;
  std::optional<chain::KeyId> key_id_;  // of the answer built last (nullopt: none published)
  std::shared_ptr<const EnvelopeKeyAnswer> answer_;
  PublicationHeights heights_;
};

}  // namespace hc::node
