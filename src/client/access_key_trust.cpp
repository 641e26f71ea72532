#include "client/access_key_trust.h"

#include <set>
#include <string>
#include <variant>

#include "chain/trustee_signing.h"
#include "chain/trustee_state.h"
#include "client/item_verification.h"
#include "client/opener_key_trust.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;
using nlohmann::json;

Status access_key_refused(const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed, "the node's access key is not vouched for by the chain: " + what);
}

Result<std::uint64_t> access_key_epoch_of(const json& answer) {
  const json& e = answer["key_epoch"];
  if (e.is_number_unsigned()) return e.get<std::uint64_t>();
  if (e.is_string()) {
    const std::string text = e.get<std::string>();
    if (!text.empty() && text.size() <= 20 && text.find_first_not_of("0123456789") == std::string::npos) {
      try {
        return static_cast<std::uint64_t>(std::stoull(text));
      } catch (const std::exception&) {
      }
    }
  }
  return invalid_input("node answer: key_epoch must be a u64");
}

const json& access_key_items(const json& answer, const char* name) {
  static const json kEmptyItems = json::array();
  auto it = answer.find(name);
  return it != answer.end() && it->is_array() ? *it : kEmptyItems;
}

// The verified, trustee-signed transaction of an answer's entry ({"dealer" | "complainer",
// "item"}, docs/api.md), committed within [first, last].
Result<VerifiedItem> proven_trustee_item(const json& entry, const ChainTrust& trust, std::uint64_t first,
                                         std::uint64_t last, const char* what) {
  if (!entry.is_object() || !entry.contains("item") || !entry["item"].is_object()) {
    return access_key_refused(std::string(what) + ": an entry without its item");
  }
  auto verified = verify_item(entry["item"], trust.certificates());
  if (!verified.ok()) return access_key_refused(std::string(what) + ": " + verified.status().message());
  if (verified->height < first || verified->height > last) {
    return access_key_refused(std::string(what) + " at height " + std::to_string(verified->height) +
                              " is outside its round (" + std::to_string(first) + ".." + std::to_string(last) + ")");
  }
  if (!chain::is_trustee_tx(verified->tx) || !chain::verify_trustee_tx(verified->tx, trust.genesis()).ok()) {
    return access_key_refused(std::string(what) + " is not signed by the trustee it names");
  }
  return verified;
}

// h0: 0 for epoch 0, otherwise the height of the proven key_epoch_start of `key_epoch`.
Result<std::uint64_t> epoch_start_height(const json& answer, const ChainTrust& trust, const chain::Digest& chain_id,
                                         std::uint64_t key_epoch) {
  if (key_epoch == 0) return std::uint64_t{0};
  if (!answer.contains("epoch_start") || !answer["epoch_start"].is_object()) {
    return access_key_refused("key epoch " + std::to_string(key_epoch) + " comes without its key_epoch_start");
  }
  auto item = verify_item(answer["epoch_start"], trust.certificates());
  if (!item.ok()) return access_key_refused("key_epoch_start: " + item.status().message());
  const auto* start = std::get_if<chain::KeyEpochStartTx>(&item->tx);
  if (start == nullptr || start->chain_id != chain_id || start->key_epoch != key_epoch ||
      !chain::verify_manager_tx(item->tx, trust.genesis().manager_admin_key).ok()) {
    return access_key_refused("the proven transaction is not this chain's admin-signed start of key epoch " +
                              std::to_string(key_epoch));
  }
  return item->height;
}

}  // namespace

Result<TrustedAccessKey> verify_access_key_answer(const json& answer, const ChainTrust& trust) {
  const chain::Genesis& genesis = trust.genesis();
  if (genesis.access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: it has no trustees' access key");
  }
  if (!answer.is_object() || !answer.contains("key_epoch")) return invalid_input("node answer: missing key_epoch");
  HC_ASSIGN_OR_RETURN(std::uint64_t key_epoch, access_key_epoch_of(answer));
  const chain::Digest chain_id = chain::genesis_hash(genesis);
  const th::DkgParams params = chain::dkg_params_for(genesis, chain_id, key_epoch);
  HC_ASSIGN_OR_RETURN(std::uint64_t h0, epoch_start_height(answer, trust, chain_id, key_epoch));
  const chain::DkgSchedule schedule = chain::dkg_schedule(chain::KeyEpochState{key_epoch, h0});

  std::vector<std::optional<th::DkgDeal>> deals(params.trustees());
  ProvenOpenerTranscript opener;
  const json& deal_items = access_key_items(answer, "deals");
  if (deal_items.size() > params.trustees()) return access_key_refused("more deals than trustees");
  for (const json& item : deal_items) {
    HC_ASSIGN_OR_RETURN(VerifiedItem v, proven_trustee_item(item, trust, schedule.first_deal_height,
                                                            schedule.last_deal_height, "a deal"));
    const auto* deal_tx = std::get_if<chain::DkgDealTx>(&v.tx);
    if (deal_tx == nullptr || deal_tx->chain_id != chain_id || deal_tx->key_epoch != key_epoch) {
      return access_key_refused("a proven transaction is not a deal of this chain's key epoch " + std::to_string(key_epoch));
    }
    auto deal = th::decode_deal(params, deal_tx->deal);
    if (!deal.ok() || deal->dealer != deal_tx->dealer) return access_key_refused("a committed deal does not decode");
    if (deals[deal->dealer - 1].has_value()) return access_key_refused("two deals of dealer " + std::to_string(deal->dealer));
    if (trust.genesis().proven_dkg_deals && !th::deal_boxes_proven(*deal)) {  // as the chain's rules
      return access_key_refused("dealer " + std::to_string(deal->dealer) +
                                "'s deal is not in the proven form this chain requires");
    }
    if (!deal_tx->opener_deal.empty()) opener.deals.emplace_back(deal_tx->dealer, deal_tx->opener_deal);
    deals[deal->dealer - 1] = std::move(deal).value();
  }
  std::vector<th::DkgComplaint> complaints;
  std::set<std::pair<std::uint16_t, std::uint16_t>> complained;  // (complainer, dealer): once each on the chain
  const json& complaint_items = access_key_items(answer, "complaints");
  if (complaint_items.size() > static_cast<std::size_t>(params.trustees()) * params.trustees()) {
    return access_key_refused("more complaints than trustee pairs");
  }
  for (const json& item : complaint_items) {
    HC_ASSIGN_OR_RETURN(VerifiedItem v, proven_trustee_item(item, trust, schedule.last_deal_height + 1,
                                                            schedule.last_complaint_height, "a complaint"));
    const auto* complaint_tx = std::get_if<chain::DkgComplaintTx>(&v.tx);
    if (complaint_tx == nullptr || complaint_tx->chain_id != chain_id || complaint_tx->key_epoch != key_epoch) {
      return access_key_refused("a proven transaction is not a complaint of this chain's key epoch " +
                                std::to_string(key_epoch));
    }
    if (complaint_tx->against_opener_deal) {  // judged with the opener key below
      opener.complaints.push_back(complaint_tx->complaint);
      continue;
    }
    auto complaint = th::decode_complaint(params, complaint_tx->complaint);
    if (!complaint.ok()) return access_key_refused("a committed complaint does not decode");
    if (!complained.insert({complaint->complainer, complaint->dealer}).second) {
      return access_key_refused("two complaints of trustee " + std::to_string(complaint->complainer) + " about dealer " +
                                std::to_string(complaint->dealer));
    }
    complaints.push_back(std::move(complaint).value());
  }
  auto outcome = th::finalize_dkg(params, deals, complaints);
  if (!outcome.ok()) return access_key_refused("the proven transcript forms no key: " + outcome.status().message());
  if (!answer.contains("key_id") || !answer["key_id"].is_string() ||
      answer["key_id"].get<std::string>() != to_hex(outcome->key.key_id)) {
    return access_key_refused("the answered key id is not the one the proven transcript forms");
  }
  if (!answer.contains("access_key") || !answer["access_key"].is_string() ||
      answer["access_key"].get<std::string>() != to_hex(outcome->key.group_key.encode())) {
    return access_key_refused("the answered access key is not the one the proven transcript forms");
  }
  TrustedAccessKey trusted{key_epoch, std::move(outcome).value(), std::nullopt, {}, {}, {}, {}};
  if (opener.deals.empty()) {
    trusted.opener_key_failure = "key epoch " + std::to_string(key_epoch) + " was dealt without opener deals";
  } else {
    auto opener_key = opener_key_from_transcript(genesis, chain_id, key_epoch, trusted.outcome.qualified, opener);
    if (opener_key.ok()) {
      trusted.opener_key = std::move(opener_key).value();
    } else {
      trusted.opener_key_failure = opener_key.status().message();
    }
  }
  for (const crypto::P256Point& k : params.trustee_keys) trusted.dkg_trustee_keys.push_back(k.encode());
  trusted.dkg_members = genesis_trustee_members(trust.genesis());
  HC_ASSIGN_OR_RETURN(trusted.resharings, verify_resharings(answer, trust, trusted.dkg_sharing()));
  return trusted;
}

Result<TrustedAccessKey> fetch_trusted_access_key(const NodeClient& node, const ChainTrust& trust,
                                                  std::optional<std::uint64_t> key_epoch) {
  HC_ASSIGN_OR_RETURN(json answer, node.access_key_answer(key_epoch));
  HC_ASSIGN_OR_RETURN(TrustedAccessKey key, verify_access_key_answer(answer, trust));
  if (key_epoch && key.key_epoch != *key_epoch) return access_key_refused("the answer is for another key epoch");
  return key;
}

}  // namespace hc::client
