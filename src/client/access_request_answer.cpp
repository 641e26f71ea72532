#include "client/access_request_answer.h"

#include <algorithm>
#include <set>
#include <string>
#include <variant>

#include "chain/trustee_signing.h"
#include "client/access_key_trust.h"

namespace hc::client {

namespace {

Status request_answer_refused(const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed, "the node's access-request answer is not vouched for by the chain: " + what);
}

}  // namespace

Result<ProvenAccessRequest> verify_access_request_answer(const nlohmann::json& answer, const chain::Digest& request_id,
                                                         const ChainTrust& trust,
                                                         const std::vector<crypto::P256PointBytes>* seat_keys) {
  if (!answer.is_object() || !answer.contains("request") || !answer["request"].is_object()) {
    return invalid_input("node answer: missing the request item");
  }
  const chain::Digest chain_id = chain::genesis_hash(trust.genesis());
  auto item = verify_item(answer["request"], trust.certificates());
  if (!item.ok()) return request_answer_refused("request: " + item.status().message());
  const auto* request = std::get_if<chain::AccessRequestTx>(&item->tx);
  if (request == nullptr || item->tx_id != request_id || request->chain_id != chain_id) {
    return request_answer_refused("the proven transaction is not this chain's access request " + chain::digest_hex(request_id));
  }
  ProvenAccessRequest out{item->height, request_id, *request, {}};
  const auto answers = answer.find("answers");
  if (answers == answer.end()) return out;
  if (!answers->is_array()) return invalid_input("node answer: answers must be an array");
  if (answers->size() > chain::kMaxChainTrustees) return request_answer_refused("more answers than trustees");
  std::set<std::uint16_t> seen;
  for (const nlohmann::json& a : *answers) {
    // {"trustee", "height", "tx_id", "share_boxes", "item"} (docs/api.md): only the item is believed.
    if (!a.is_object() || !a.contains("item") || !a["item"].is_object()) {
      return request_answer_refused("an answer without its item");
    }
    auto share_item = verify_item(a["item"], trust.certificates());
    if (!share_item.ok()) return request_answer_refused("answer: " + share_item.status().message());
    const auto* shares = std::get_if<chain::DecryptionSharesTx>(&share_item->tx);
    if (shares == nullptr || shares->request_id != request_id || shares->chain_id != chain_id) {
      return request_answer_refused("a proven transaction is not an answer to this request");
    }
    const bool signed_by_seat =
        seat_keys == nullptr
            ? chain::verify_trustee_tx(share_item->tx, trust.genesis()).ok()
            : shares->trustee >= 1 && shares->trustee <= seat_keys->size() &&
                  chain::verify_trustee_tx_by(share_item->tx, (*seat_keys)[shares->trustee - 1]).ok();
    if (!signed_by_seat) {
      return request_answer_refused("an answer is not signed by trustee " + std::to_string(shares->trustee));
    }
    if (!seen.insert(shares->trustee).second) continue;
    out.answers.push_back(ProvenShareAnswer{share_item->height, share_item->tx_id, *shares});
  }
  std::sort(out.answers.begin(), out.answers.end(),
            [](const ProvenShareAnswer& x, const ProvenShareAnswer& y) { return x.shares.trustee < y.shares.trustee; });
  return out;
}

Result<ProvenAccessRequest> verify_access_request_answer_following(const NodeClient& node, const nlohmann::json& answer,
                                                                   const chain::Digest& request_id,
                                                                   const ChainTrust& trust) {
  return verify_access_request_answer_following(
      [&](std::uint64_t key_epoch) { return fetch_trusted_access_key(node, trust, key_epoch); }, answer, request_id,
      trust);
}

Result<ProvenAccessRequest> verify_access_request_answer_following(const TrustedAccessKeySource& keys,
                                                                   const nlohmann::json& answer,
                                                                   const chain::Digest& request_id,
                                                                   const ChainTrust& trust,
                                                                   std::vector<std::uint32_t>* seat_members) {
  auto under_genesis = verify_access_request_answer(answer, request_id, trust);
  if (under_genesis.ok() || under_genesis.status().code() != ErrorCode::kAuthFailed) {
    if (under_genesis.ok() && seat_members != nullptr) *seat_members = genesis_trustee_members(trust.genesis());
    return under_genesis;
  }
  auto item = verify_item(answer["request"], trust.certificates());
  const auto* request = item.ok() ? std::get_if<chain::AccessRequestTx>(&item->tx) : nullptr;
  if (request == nullptr) return under_genesis;
  auto key = keys(request->key_epoch);
  if (!key.ok() || key->resharings.empty()) return under_genesis;
  const TrustedSharing dkg = key->dkg_sharing();
  const TrustedSharing& in_force = sharing_at(dkg, key->resharings, item->height);
  auto proven = verify_access_request_answer(answer, request_id, trust, &in_force.trustee_keys);
  if (proven.ok() && seat_members != nullptr) *seat_members = in_force.members;
  return proven;
}

}  // namespace hc::client
