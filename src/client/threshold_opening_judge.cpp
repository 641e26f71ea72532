#include "client/threshold_opening_judge.h"

#include <algorithm>

#include "chain/transaction.h"
#include "client/access_key_trust.h"
#include "client/access_request_answer.h"
#include "client/item_verification.h"
#include "client/reshare_trust.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;

Status judge_refused(const std::string& why) { return Status::error(ErrorCode::kAuthFailed, why); }

// The proven committed record `record_id` among the node's records of `serial`.
Result<VerifiedItem> judged_record_item(const NodeClient& node, const ChainTrust& trust, const chain::Serial& serial,
                                        const chain::Digest& record_id) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.records_by_serial(chain::digest_hex(serial)));
  HC_ASSIGN_OR_RETURN(auto items, verify_serial_answer(answer, serial, trust.certificates()));
  for (VerifiedItem& item : items) {
    if (item.tx_id == record_id && std::holds_alternative<chain::RecordTx>(item.tx)) return std::move(item);
  }
  return Status::error(ErrorCode::kNotFound, "record " + chain::digest_hex(record_id) +
                                                 " is not among the node's proven records of the request's serial");
}

}  // namespace

Result<JudgedOpening> judge_opening_evidence(const ProvenAccessRequest& proven, const VerifiedItem& record_item,
                                             const TrustedAccessKey& key, const groupsig::GroupPublicKey& gpk,
                                             const groupsig::Registry& registry, const std::string& member) {
  const chain::Digest& request_id = proven.request_id;
  const chain::Digest& record_id = record_item.tx_id;
  if (!proven.request.open) return invalid_input("the access request did not ask to open: it holds no opening evidence");
  if (!std::binary_search(proven.request.record_ids.begin(), proven.request.record_ids.end(), record_id)) {
    return invalid_input("the access request does not name record " + chain::digest_hex(record_id));
  }
  const auto* record = std::get_if<chain::RecordTx>(&record_item.tx);
  if (record == nullptr) return invalid_input("transaction " + chain::digest_hex(record_id) + " is not a record");
  if (key.key_epoch != proven.request.key_epoch) return invalid_input("the access key is not of the request's key epoch");
  if (!key.opener_key) {
    return judge_refused("key epoch " + std::to_string(key.key_epoch) + " has no opener key: " + key.opener_key_failure);
  }
  // The seats that answered are those of the sharing in force at the request's height.
  const TrustedSharing dkg = key.dkg_sharing();
  const TrustedSharing& in_force = sharing_at(dkg, key.resharings, proven.height);
  if (!in_force.opener_key) {
    return judge_refused("resharing epoch " + std::to_string(in_force.reshare_epoch) + " of key epoch " +
                         std::to_string(key.key_epoch) + " formed no sharing of the opener key");
  }
  const crypto::threshold::OpenerKeyPublic& opener = *in_force.opener_key;
  JudgedOpening out{proven.height, record_item.height, key.key_epoch, in_force.reshare_epoch, {}};
  std::vector<th::PartialOpening> evidence;
  for (const ProvenShareAnswer& a : proven.answers) {
    for (const chain::PartialOpeningEntry& e : a.shares.partial_openings) {
      if (e.record_id != record_id) continue;
      auto partial = th::decode_partial_opening(e.partial_opening);
      if (!partial.ok()) {
        return judge_refused("trustee " + std::to_string(a.shares.trustee) + "'s partial opening does not decode");
      }
      if (partial->trustee != a.shares.trustee) {
        return judge_refused("trustee " + std::to_string(a.shares.trustee) + " committed another trustee's partial opening");
      }
      out.trustees.push_back(a.shares.trustee);
      evidence.push_back(std::move(partial).value());
    }
  }
  HC_ASSIGN_OR_RETURN(eg::Signature sig, eg::decode_signature(record->group_signature));
  HC_ASSIGN_OR_RETURN(eg::GroupKey group_key, eg::with_opener_key(eg::from_bbs04_view(gpk), opener.h));
  const chain::Digest digest = chain::record_signing_digest(*record);
  HC_RETURN_IF_ERROR(th::check_opening_evidence(eg::PreparedKey(group_key, groupsig::Precompute::kNone),
                                                opener, registry, request_id,
                                                ByteSpan(digest.data(), digest.size()), sig, evidence, member));
  return out;
}

Result<JudgedOpening> judge_threshold_opening(const NodeClient& node, const ChainTrust& trust,
                                              const chain::Digest& request_id, const chain::Digest& record_id,
                                              const groupsig::GroupPublicKey& gpk, const groupsig::Registry& registry,
                                              const std::string& member) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, node.access_request_answer(chain::digest_hex(request_id)));
  HC_ASSIGN_OR_RETURN(ProvenAccessRequest proven, verify_access_request_answer_following(node, answer, request_id, trust));
  HC_ASSIGN_OR_RETURN(VerifiedItem record, judged_record_item(node, trust, proven.request.serial, record_id));
  HC_ASSIGN_OR_RETURN(TrustedAccessKey key, fetch_trusted_access_key(node, trust, proven.request.key_epoch));
  return judge_opening_evidence(proven, record, key, gpk, registry, member);
}

}  // namespace hc::client
