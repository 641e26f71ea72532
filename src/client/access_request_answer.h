// What a node answers about an access request (GET /v1/access-requests/{request_id}, docs/api.md),
// believed only as far as the chain vouches for it: the committed access_request and every
// committed decryption_shares answer to it, each a self-proving item (client/item_verification.h)
// checked against the genesis' replicas. The request must be this chain's, with the asked id;
// each answer must be signed by the trustee it names, for this request; a trustee's second
// answer is ignored (the chain refuses one anyway). A node can withhold answers (ask another
// node, or wait), but cannot invent, alter or move one. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <vector>

#include "chain/transaction.h"
#include "client/access_key_trust.h"
#include "client/genesis_trust.h"
#include "client/item_verification.h"
#include "client/node_client.h"
#include "common/status.h"

namespace hc::client {

struct ProvenShareAnswer {
  std::uint64_t height = 0;
  chain::Digest tx_id{};
  chain::DecryptionSharesTx shares;
};

struct ProvenAccessRequest {
  std::uint64_t height = 0;
  chain::Digest request_id{};
  chain::AccessRequestTx request;
  std::vector<ProvenShareAnswer> answers;  // one per trustee, by trustee ascending
};

// kAuthFailed naming the first check that fails; kInvalidInput for a malformed answer. Each
// answer's signature is checked under `seat_keys` (seat j's key at j-1: the sharing in force
// at the request's height, client/reshare_trust.h) when given, else under the genesis
// trustee keys (the DKG's sharing; after a resharing that refuses the new seats' answers).
Result<ProvenAccessRequest> verify_access_request_answer(const nlohmann::json& answer, const chain::Digest& request_id,
                                                         const ChainTrust& trust,
                                                         const std::vector<crypto::P256PointBytes>* seat_keys = nullptr);

// The same, following resharings: when an answer's signature does not verify under the
// genesis trustee keys, the seat keys of the sharing in force at the request's height are
// taken from `node`'s proven access-key answer (client/access_key_trust.h, reshare_trust.h)
// and the answer is verified again under them. A chain without resharings costs nothing more.
Result<ProvenAccessRequest> verify_access_request_answer_following(const NodeClient& node, const nlohmann::json& answer,
                                                                   const chain::Digest& request_id,
                                                                   const ChainTrust& trust);

// The same with the epoch's trusted access key from `keys` (the access console's source), and
// the replica id of each seat of the sharing the answers were verified under in
// `seat_members` (seat j's at j-1) when given: the genesis trustees' without a resharing.
using TrustedAccessKeySource = std::function<Result<TrustedAccessKey>(std::uint64_t key_epoch)>;
Result<ProvenAccessRequest> verify_access_request_answer_following(const TrustedAccessKeySource& keys,
                                                                   const nlohmann::json& answer,
                                                                   const chain::Digest& request_id,
                                                                   const ChainTrust& trust,
                                                                   std::vector<std::uint32_t>* seat_members = nullptr);

}  // namespace hc::client
