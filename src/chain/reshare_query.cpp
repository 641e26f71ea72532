#include "chain/reshare_query.h"

#include <charconv>
#include <string>

namespace hc::chain {

namespace {
using nlohmann::json;

Result<std::uint64_t> rq_number_arg(std::string_view text, std::string_view what) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return invalid_input("query: expected a decimal " + std::string(what));
  }
  return v;
}

const char* rq_phase_name(const ReshareSchedule& s, std::uint64_t committed_height) {
  if (committed_height >= s.finalize_height) return "finalized";
  if (committed_height >= s.last_deal_height) return "complaints";
  if (committed_height >= s.last_key_height) return "deals";
  return "keys";
}

json rq_deals_json(const std::vector<std::pair<std::uint16_t, Bytes>>& deals) {
  json out = json::array();
  for (const auto& [dealer, bytes] : deals) out.push_back({{"dealer", dealer}, {"deal", to_base64(bytes)}});
  return out;
}

json rq_record_json(const ReshareRecord& r) {
  json j{{"finalized_at_height", std::to_string(r.finalized_at_height)}, {"formed", r.formed.has_value()}};
  if (!r.formed) {
    j["failure"] = r.failure;
    return j;
  }
  j["sharing"] = sharing_json(*r.formed);
  j["qualified"] = json(r.qualified);
  j["wrong_constant"] = json(r.wrong_constant);
  j["disqualified"] = json(r.disqualified);
  j["absent"] = json(r.absent);
  j["rejected_complainers"] = json(r.rejected_complainers);
  return j;
}

Result<json> rq_run_json(const TrusteeStateView& view, const ReshareRun& run, std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(const ReshareSchedule s, read_reshare_schedule(view, run));
  json j{{"reshare_epoch", std::to_string(run.reshare_epoch)},
         {"key_epoch", std::to_string(run.key_epoch)},
         {"started_at_height", std::to_string(run.started_at_height)},
         {"key_heights", {std::to_string(s.first_key_height), std::to_string(s.last_key_height)}},
         {"deal_heights", {std::to_string(s.last_key_height + 1), std::to_string(s.last_deal_height)}},
         {"complaint_heights", {std::to_string(s.last_deal_height + 1), std::to_string(s.last_complaint_height)}},
         {"finalize_height", std::to_string(s.finalize_height)},
         {"phase", rq_phase_name(s, committed_height)},
         {"announcements_closed", s.announcements_closed},
         {"with_opener", run.with_opener},
         {"new_threshold", run.new_threshold},
         {"members", json(run.members)}};
  json keys = json::array();
  HC_ASSIGN_OR_RETURN(auto announced, read_reshare_keys(view, run.reshare_epoch));
  for (const ReshareAnnouncement& a : announced) keys.push_back({{"member", a.member}, {"key", to_hex(a.key)}});
  j["announcements"] = keys;
  HC_ASSIGN_OR_RETURN(auto deals, read_reshare_deals(view, run.reshare_epoch));
  j["deals"] = rq_deals_json(deals);
  HC_ASSIGN_OR_RETURN(auto opener_deals, read_opener_reshare_deals(view, run.reshare_epoch));
  j["opener_deals"] = rq_deals_json(opener_deals);
  json complaints = json::array();
  HC_ASSIGN_OR_RETURN(auto stored, read_reshare_complaints(view, run.reshare_epoch));
  for (const StoredComplaint& c : stored) {
    complaints.push_back({{"complainer", c.complainer}, {"dealer", c.dealer},
                          {"verdict", complaint_status_name(c.status)}, {"complaint", to_base64(c.complaint)}});
  }
  j["complaints"] = complaints;
  json opener_complaints = json::array();
  HC_ASSIGN_OR_RETURN(auto opener_stored, read_opener_reshare_complaints(view, run.reshare_epoch));
  for (const StoredOpenerComplaint& c : opener_stored) {
    opener_complaints.push_back({{"complainer", c.complainer}, {"dealer", c.dealer}, {"complaint", to_base64(c.complaint)}});
  }
  j["opener_complaints"] = opener_complaints;
  HC_ASSIGN_OR_RETURN(auto outcome, read_reshare_outcome(view, run.reshare_epoch));
  j["outcome"] = outcome ? rq_record_json(*outcome) : json(nullptr);
  return j;
}

Result<json> rq_reshare_query(const TrusteeStateView& view, std::uint64_t committed_height,
                           std::optional<std::string_view> arg) {
  std::optional<ReshareRun> run;
  if (arg) {
    HC_ASSIGN_OR_RETURN(std::uint64_t r, rq_number_arg(*arg, "resharing epoch"));
    HC_ASSIGN_OR_RETURN(run, read_reshare_run(view, r));
  } else {
    HC_ASSIGN_OR_RETURN(run, read_latest_reshare_run(view));
  }
  if (!run) return Status::error(ErrorCode::kNotFound, "query: no such resharing");
  return rq_run_json(view, *run, committed_height);
}

Result<json> rq_sharing_query(const TrusteeStateView& view, std::string_view arg) {
  HC_ASSIGN_OR_RETURN(std::uint64_t epoch, rq_number_arg(arg, "key epoch"));
  HC_ASSIGN_OR_RETURN(auto all, read_sharings(view, epoch));
  if (all.empty()) return Status::error(ErrorCode::kNotFound, "query: key epoch " + std::to_string(epoch) + " has no access key");
  json history = json::array();
  for (const TrusteeSharing& s : all) history.push_back(sharing_json(s));
  return json{{"key_epoch", std::to_string(epoch)}, {"in_force", sharing_json(all.back())}, {"history", history}};
}
}  // namespace

json sharing_json(const TrusteeSharing& s) {
  json trustees = json::array();
  json shares = json::array();
  for (std::size_t j = 0; j < s.trustees.size(); ++j) {
    json seat{{"index", j + 1}, {"key", to_hex(s.trustees[j].key)}};
    seat["member"] = s.trustees[j].member == kNoMember ? json(nullptr) : json(s.trustees[j].member);
    trustees.push_back(seat);
    shares.push_back(to_hex(s.access_key.public_shares[j].encode()));
  }
  return json{{"key_epoch", std::to_string(s.key_epoch)},
              {"reshare_epoch", std::to_string(s.reshare_epoch)},
              {"in_force_from_height", std::to_string(s.in_force_from_height)},
              {"threshold", s.access_key.threshold},
              {"key_id", to_hex(s.access_key.key_id)},
              {"access_key", to_hex(s.access_key.group_key.encode())},
              {"trustees", trustees},
              {"public_shares", shares}};
}

std::optional<Result<json>> query_reshare_state(const TrusteeStateView& view, std::uint64_t committed_height,
                                                std::string_view verb, std::optional<std::string_view> arg) {
  if (verb == "reshare") return rq_reshare_query(view, committed_height, arg);
  if (verb == "sharing" && arg) return rq_sharing_query(view, *arg);
  return std::nullopt;
}

}  // namespace hc::chain
