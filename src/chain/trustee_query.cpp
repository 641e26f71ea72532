#include "chain/trustee_query.h"

#include <charconv>
#include <string>

#include "chain/reshare_query.h"
#include "chain/transaction_json.h"
#include "chain/trustee_rules.h"
#include "chain/trustee_state.h"

namespace hc::chain {

namespace {
using nlohmann::json;

Result<std::uint64_t> key_epoch_arg(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return invalid_input("query: expected a decimal key epoch");
  }
  return v;
}

json indices_json(const std::vector<std::uint16_t>& v) { return json(v); }

json outcome_json(const KeyEpochOutcome& o) {
  json j{{"key_epoch", std::to_string(o.key_epoch)}, {"finalized_at_height", std::to_string(o.finalized_at_height)}};
  if (!o.formed) {
    j["formed"] = false;
    j["failure"] = o.failure;
    return j;
  }
  const auto& d = *o.formed;
  json shares = json::array();
  for (const auto& y : d.key.public_shares) shares.push_back(to_hex(y.encode()));
  j["formed"] = true;
  j["key_id"] = to_hex(d.key.key_id);
  j["access_key"] = to_hex(d.key.group_key.encode());
  j["threshold"] = d.key.threshold;
  j["public_shares"] = shares;
  j["qualified"] = indices_json(d.qualified);
  j["disqualified"] = indices_json(d.disqualified);
  j["absent"] = indices_json(d.absent);
  j["rejected_complainers"] = indices_json(d.rejected_complainers);
  return j;
}

Result<json> access_key_query(const TrusteeStateView& store, std::optional<std::string_view> arg) {
  std::optional<KeyEpochOutcome> outcome;
  if (arg) {
    HC_ASSIGN_OR_RETURN(std::uint64_t epoch, key_epoch_arg(*arg));
    HC_ASSIGN_OR_RETURN(outcome, read_outcome(store, epoch));
    if (outcome && !outcome->formed) return Status::error(ErrorCode::kNotFound, "query: key epoch failed: " + outcome->failure);
  } else {
    HC_ASSIGN_OR_RETURN(outcome, read_current_access_key(store));
  }
  if (!outcome) return Status::error(ErrorCode::kNotFound, "query: no access key");
  json j = outcome_json(*outcome);
  // The trustees that answer requests committed from now on (after a resharing, not the DKG's).
  HC_ASSIGN_OR_RETURN(auto sharing, read_latest_sharing(store, outcome->key_epoch));
  if (sharing) j["sharing"] = sharing_json(*sharing);
  return j;
}

Result<json> dkg_query(const TrusteeStateView& store, std::string_view arg) {
  HC_ASSIGN_OR_RETURN(std::uint64_t epoch, key_epoch_arg(arg));
  HC_ASSIGN_OR_RETURN(auto current, read_key_epoch(store));
  if (!current) return Status::error(ErrorCode::kNotFound, "query: not a trustees-mode chain");
  if (epoch > current->key_epoch) return Status::error(ErrorCode::kNotFound, "query: no such key epoch");
  json j{{"key_epoch", std::to_string(epoch)}};
  if (epoch == current->key_epoch) {
    const DkgSchedule s = dkg_schedule(*current);
    j["started_at_height"] = std::to_string(current->started_at_height);
    j["deal_heights"] = {std::to_string(s.first_deal_height), std::to_string(s.last_deal_height)};
    j["complaint_heights"] = {std::to_string(s.last_deal_height + 1), std::to_string(s.last_complaint_height)};
    j["finalize_height"] = std::to_string(s.finalize_height);
  }
  json deals = json::array();
  HC_ASSIGN_OR_RETURN(auto stored_deals, read_deals(store, epoch));
  for (const auto& [dealer, bytes] : stored_deals) deals.push_back({{"dealer", dealer}, {"deal", to_base64(bytes)}});
  j["deals"] = deals;
  json complaints = json::array();
  HC_ASSIGN_OR_RETURN(auto stored_complaints, read_complaints(store, epoch));
  for (const StoredComplaint& c : stored_complaints) {
    complaints.push_back({{"complainer", c.complainer}, {"dealer", c.dealer},
                          {"verdict", complaint_status_name(c.status)}, {"complaint", to_base64(c.complaint)}});
  }
  j["complaints"] = complaints;
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(store, epoch));
  j["outcome"] = outcome ? outcome_json(*outcome) : json(nullptr);
  return j;
}

Result<json> request_query(const LedgerStore& store, const TrusteeStateView& view, std::string_view arg) {
  auto id = digest_from_hex(arg);
  if (!id.ok()) return invalid_input("query: expected 64 hex characters");
  auto request = committed_access_request(store, *id);
  if (!request.ok()) {
    if (request.status().code() == ErrorCode::kInvalidInput) return Status::error(ErrorCode::kNotFound, request.status().message());
    return request.status();
  }
  json answers = json::array();
  HC_ASSIGN_OR_RETURN(auto stored, read_answers(view, *id));
  for (const auto& [trustee, tx_id] : stored) answers.push_back({{"trustee", trustee}, {"tx_id", digest_hex(tx_id)}});
  return json{{"request_id", digest_hex(*id)}, {"request", transaction_to_json(Transaction(*request))}, {"answers", answers}};
}
Result<json> reader_policy_query(const TrusteeStateView& view) {
  if (view.genesis().access_mode != AccessMode::kTrustees) {
    return Status::error(ErrorCode::kNotFound, "a single-manager chain has no reader policy");
  }
  HC_ASSIGN_OR_RETURN(ReaderPolicyHead head, read_reader_policy_head(view));
  HC_ASSIGN_OR_RETURN(std::vector<ReaderEntry> entries, read_readers(view));
  json readers = json::array();
  for (const ReaderEntry& r : entries) readers.push_back(reader_entry_json(r));
  return json{{"policy_version", head.version}, {"listed", head.listed}, {"readers", readers}};
}
}  // namespace

json reader_entry_json(const ReaderEntry& r) {
  return json{{"reader_key", to_hex(r.key)},     {"name", r.name},     {"rights", reader_rights_text(r.rights)},
              {"listed", r.listed},              {"policy_version", r.version}, {"height", r.height},
              {"tx_id", digest_hex(r.tx_id)}};
}

std::optional<Result<json>> query_trustees_state(const LedgerStore& store, std::string_view verb,
                                                 std::optional<std::string_view> arg) {
  const StoreTrusteeView view(store);
  if (verb == "access_key") return access_key_query(view, arg);
  if (verb == "dkg" && arg) return dkg_query(view, *arg);
  if (verb == "access_request" && arg) return request_query(store, view, *arg);
  if (verb == "reader_policy" && !arg) return reader_policy_query(view);
  return query_reshare_state(view, store.tip().height, verb, arg);
}

}  // namespace hc::chain
